import { describe, expect, it } from 'vitest';
import { forEachInOrder } from './in-order.js';

/** Jobs that finish in reverse order of starting, logging starts, finishes and uses. */
function reversedJobs(count: number) {
  const log: string[] = [];
  const start = (i: number) =>
    new Promise<number>((resolve) =>
      setTimeout(() => {
        log.push(`done ${i}`);
        resolve(i * 10);
      }, (count - i) * 5),
    );
  return { log, start: (i: number) => (log.push(`start ${i}`), start(i)) };
}

describe('forEachInOrder', () => {
  it('uses results in index order with at most inFlight unused jobs started', async () => {
    const { log, start } = reversedJobs(5);
    const used: number[] = [];
    const complete = await forEachInOrder(5, 2, start, async (value, i) => {
      log.push(`use ${i}`);
      used.push(value);
      return true;
    });
    expect(complete).toBe(true);
    expect(used).toEqual([0, 10, 20, 30, 40]);
    // Job 2 starts only after result 0 is used; with inFlight 1 each job would start after the previous use.
    expect(log.indexOf('start 2')).toBeGreaterThan(log.indexOf('use 0'));
    expect(log.indexOf('start 1')).toBeLessThan(log.indexOf('use 0'));
  });

  it('stops when use says so, after the jobs still running have finished', async () => {
    const { log, start } = reversedJobs(6);
    const complete = await forEachInOrder(6, 3, start, async (_value, i) => i < 1);
    expect(complete).toBe(false);
    // Stopped at result 1: jobs 2 and 3 were running and have finished; 4 and 5 never started.
    expect(log).toContain('done 3');
    expect(log).not.toContain('start 4');
  });

  it('rejects with a job failure without waiting for the others', async () => {
    const start = (i: number) => (i === 0 ? Promise.reject(new Error('job 0 failed')) : new Promise<number>(() => undefined));
    await expect(forEachInOrder(3, 3, start, async () => true)).rejects.toThrow('job 0 failed');
  });
});

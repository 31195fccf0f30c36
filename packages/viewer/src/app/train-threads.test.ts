import { describe, expect, it } from 'vitest';
import { defaultThreads, MAX_THREADS } from './train-threads.js';

describe('default training threads', () => {
  it('offers the cores, at most MAX_THREADS, and one where the browser does not say', () => {
    expect(defaultThreads(2)).toBe(2);
    expect(defaultThreads(6)).toBe(6);
    expect(defaultThreads(32)).toBe(MAX_THREADS);
    expect(MAX_THREADS).toBe(8);
    expect(defaultThreads(undefined)).toBe(1);
    expect(defaultThreads(0)).toBe(1);
  });
});

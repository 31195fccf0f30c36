import { spawn } from 'node:child_process';
import { access, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, float32Npy, tempDir, type CliResult } from './helpers.js';

/**
 * Ctrl-C and a diverging loss during `latentkit fit`: the command stops with one line that names the
 * checkpoint of the last good epoch, leaves any previous model alone, and `--resume` finishes the job.
 * Data: 400 rows × 16 features near a 2-d plane, as a CSV (320 train / 80 test rows after the split).
 */
const exists = (p: string) => access(p).then(() => true, () => false);

function planeCsv(rows: number, cols: number): string {
  let seed = 12345;
  // A tiny LCG: the test only needs fixed, smooth-ish data.
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = [Array.from({ length: cols }, (_, j) => `f${j}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const a = rand();
    const b = rand();
    lines.push(Array.from({ length: cols }, (_, j) => (0.5 + 0.3 * a * ((j % 4) - 1.5) / 1.5 + 0.2 * b * (Math.floor(j / 4) - 1.5) / 1.5 + 0.01 * rand()).toFixed(4)).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Runs the CLI and sends SIGINT as soon as `file` exists (polled, so no guessed delay). */
function cliInterruptedOnceExists(args: readonly string[], cwd: string, file: string): Promise<CliResult & { signalled: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      void exists(join(cwd, file)).then((yes) => {
        if (yes && !signalled) {
          signalled = true;
          clearInterval(poll);
          child.kill('SIGINT');
        }
      });
    }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, stdout, stderr, signalled });
    });
  });
}

/** The error lines of a run (the "interrupted, stopping cleanly" notice is not an error). */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('latentkit: ') && !l.includes('stopping cleanly'));

const manifestOf = (dir: string) => readFile(join(dir, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as { kind: string; extra: Record<string, unknown> });

describe('training faults in latentkit fit', () => {
  let dir: string;
  const data = ['--data', 'csv:plane.csv', '--latent', '2', '--quiet'];

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'plane.csv'), planeCsv(400, 16));
    // The same rows as an NPY file, which `fit` reads in batches (a streamed fit) for reducers that can.
    const rows = planeCsv(400, 16).trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    await writeFile(join(dir, 'plane.npy'), float32Npy(Float32Array.from(rows.flat()), [400, 16]));
  });

  it('Ctrl-C keeps the last good epoch as a checkpoint, creates no model, and --resume finishes the fit', async () => {
    const fit = ['fit', ...data, '--reducer', 'dense-ae', '--epochs', '50', '--out', 'm'];
    const r = await cliInterruptedOnceExists(fit, dir, 'm.checkpoint/manifest.json');
    expect(r.signalled).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    const lines = errorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/cancelled; the last good checkpoint \(epoch \d+\) is in .*m\.checkpoint: continue with --resume$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await exists(join(dir, 'm'))).toBe(false);
    // Nothing else either: no staging folders (.m.staging-…) left behind.
    expect((await readdir(dir)).filter((n) => !n.startsWith('plane.'))).toEqual(['m.checkpoint']);
    const checkpoint = await manifestOf(join(dir, 'm.checkpoint'));
    const epoch = (checkpoint.extra.checkpoint as { epoch: number }).epoch;
    expect(lines[0]).toContain(`(epoch ${epoch})`);
    expect(epoch).toBeLessThan(50);

    const resumed = await cli([...fit, '--resume'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const metrics = JSON.parse(await readFile(join(dir, 'm', 'metrics.json'), 'utf8')) as { history: { epoch: number }[]; test: { mse: number } };
    expect(metrics.history.map((p) => p.epoch)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(metrics.test.mse).toBeGreaterThan(0);
    expect((await manifestOf(join(dir, 'm'))).kind).toBe('dense-ae');
    expect(await exists(join(dir, 'm.checkpoint'))).toBe(false);
  }, 60_000);

  it('a streamed fit (NPY) checkpoints too: Ctrl-C keeps the last good epoch and --resume ends with the uninterrupted model', async () => {
    const fit = ['fit', '--data', 'npy:plane.npy', '--latent', '2', '--reducer', 'dense-ae', '--epochs', '40', '--workers', '1'];
    const whole = await cli([...fit, '--out', 'whole', '--quiet'], { cwd: dir });
    expect(whole.code, whole.stderr).toBe(0);
    const r = await cliInterruptedOnceExists([...fit, '--out', 's', '--quiet'], dir, 's.checkpoint/manifest.json');
    expect(r.signalled).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(errorLines(r.stderr)[0]).toMatch(/cancelled; the last good checkpoint \(epoch \d+\) is in .*s\.checkpoint: continue with --resume$/);
    expect(await exists(join(dir, 's'))).toBe(false);
    const epoch = ((await manifestOf(join(dir, 's.checkpoint'))).extra.checkpoint as { epoch: number }).epoch;
    expect(epoch).toBeLessThan(40);

    const resumed = await cli([...fit, '--out', 's', '--resume'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    // It streamed (not loaded in memory) and resumed where the checkpoint left off.
    expect(resumed.stderr).toContain('reading npy:');
    const metrics = (d: string) => readFile(join(dir, d, 'metrics.json'), 'utf8').then((t) => JSON.parse(t) as { history: { epoch: number; loss: number }[]; test: { mse: number } });
    const [a, b] = [await metrics('whole'), await metrics('s')];
    expect(b.history.map((p) => p.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(b.history.map((p) => p.loss)).toEqual(a.history.map((p) => p.loss));
    expect(b.test.mse).toBe(a.test.mse);
    expect(await exists(join(dir, 's.checkpoint'))).toBe(false);
  }, 90_000);

  it('Ctrl-C during a --force refit leaves the old model intact', async () => {
    expect((await cli(['fit', ...data, '--reducer', 'pca', '--out', 'old'], { cwd: dir })).code).toBe(0);
    const before = await readFile(join(dir, 'old', 'manifest.json'));
    const r = await cliInterruptedOnceExists(['fit', ...data, '--reducer', 'dense-ae', '--epochs', '50', '--out', 'old', '--force'], dir, 'old.checkpoint/manifest.json');
    expect(r.code, r.stderr).toBe(130);
    expect(errorLines(r.stderr)[0]).toMatch(/old\.checkpoint: continue with --resume$/);
    expect(await readFile(join(dir, 'old', 'manifest.json'))).toEqual(before);
    expect((await manifestOf(join(dir, 'old.checkpoint'))).kind).toBe('dense-ae');
  }, 60_000);

  it('a fit that diverges at once stops after its retries with one line; the previous model is untouched', async () => {
    expect((await cli(['fit', ...data, '--reducer', 'pca', '--out', 'prev'], { cwd: dir })).code).toBe(0);
    const before = await readFile(join(dir, 'prev', 'manifest.json'));
    // One full-batch step per epoch: epoch 1's step moves every weight by ~1e30, and the codes of the probe
    // rows, checked at the end of the epoch, overflow to NaN. Each retry (learning rate ×0.3) does the same.
    const r = await cli(['fit', ...data, '--reducer', 'dense-ae', '--epochs', '5', '--batch-size', '1000', '--learning-rate', '1e30', '--out', 'prev', '--force'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(130);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^latentkit: training diverged: the codes became NaN at epoch 1; 2 retries from new seeds at lower learning rates \(down to 9\.0e\+28\) did not help; /);
    expect(await readFile(join(dir, 'prev', 'manifest.json'))).toEqual(before);
    // No epoch was ever good, so there is no checkpoint to name or keep.
    expect(await exists(join(dir, 'prev.checkpoint'))).toBe(false);
    // With --opt retries=0 it stops at the first attempt.
    const once = await cli(['fit', ...data, '--reducer', 'dense-ae', '--epochs', '5', '--batch-size', '1000', '--learning-rate', '1e30', '--opt', 'retries=0', '--out', 'prev', '--force'], { cwd: dir });
    expect(once.stderr.trim().split('\n'), once.stderr).toEqual([expect.stringMatching(/^latentkit: training diverged: the codes became NaN at epoch 1; weights were kept/)]);
    expect(await readFile(join(dir, 'prev', 'manifest.json'))).toEqual(before);
  }, 60_000);
});

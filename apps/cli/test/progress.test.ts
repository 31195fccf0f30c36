import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '@latentkit/core';
import { createProgressReporter, type ProgressReporterOptions } from '../src/progress.js';

/** A stream that is not a terminal (CI, a pipe, `tee`), and a clock the test moves by hand. */
function fakeLog(options: Partial<ProgressReporterOptions> = {}, isTTY = false) {
  const chunks: string[] = [];
  let t = 0;
  const reporter = createProgressReporter({ enabled: true, stream: { isTTY, write: (c: string) => chunks.push(c) }, now: () => t, ...options });
  return {
    reporter,
    advance: (seconds: number) => (t += seconds * 1000),
    lines: () => chunks.join('').split('\n').filter((l) => l !== ''),
    raw: () => chunks.join(''),
  };
}

/** The events trainModel sends for one epoch of `batches` batches, `seconds` apart. */
function epoch(log: ReturnType<typeof fakeLog>, listener: (e: ProgressEvent) => void, e: number, epochs: number, batches: number, loss: number, valLoss?: number) {
  for (let b = 1; b <= batches; b++) {
    log.advance(2);
    listener({ phase: 'train', epoch: e, epochs, batch: b, batches, loss: loss + 0.01, fraction: ((e - 1) * batches + b) / (epochs * batches), samplesPerSecond: 150, etaSeconds: 100 });
  }
  listener({
    phase: 'train',
    epoch: e,
    epochs,
    batch: batches,
    batches,
    loss,
    ...(valLoss !== undefined ? { valLoss } : {}),
    fraction: e / epochs,
    samplesPerSecond: 150,
    message: `epoch ${e}/${epochs} loss ${loss}`,
  });
}

describe('progress without a terminal', () => {
  it('logs one line per epoch (loss, val loss, seconds, samples/s), each retry and each stage, like Keras verbose=2', () => {
    const log = fakeLog();
    log.reporter.note('loading mnist …');
    log.advance(0.8);
    const fit = log.reporter.listener('fit conv-ae d=8');
    epoch(log, fit, 1, 3, 4, 0.1125, 0.1121);
    fit({ phase: 'retry', epochs: 3, fraction: 0, message: 'retry 1/2: the loss stopped improving at the trivial solution at epoch 1; restarting from seed 42 at learning rate 6e-4' });
    for (let e = 1; e <= 3; e++) epoch(log, fit, e, 3, 4, 0.05 / e, 0.051 / e);
    fit({ phase: 'evaluate', fraction: 1 });
    log.reporter.stop();
    expect(log.lines()).toEqual([
      'loading mnist … 0.8 s',
      'fit conv-ae d=8 · epoch 1/3 · loss 0.11250 · val 0.11210 · 8.0 s · 150 samples/s',
      'fit conv-ae d=8 · retry 1/2: the loss stopped improving at the trivial solution at epoch 1; restarting from seed 42 at learning rate 6e-4',
      'fit conv-ae d=8 · epoch 1/3 · loss 0.05000 · val 0.05100 · 8.0 s · 150 samples/s',
      'fit conv-ae d=8 · epoch 2/3 · loss 0.02500 · val 0.02550 · 8.0 s · 150 samples/s',
      'fit conv-ae d=8 · epoch 3/3 · loss 0.01667 · val 0.01700 · 8.0 s · 150 samples/s',
      'fit conv-ae d=8 · evaluate',
    ]);
    // Plain lines only: no carriage returns or escape codes in a log file.
    expect(log.raw().includes('\r') || log.raw().includes(String.fromCharCode(27))).toBe(false);
  });

  it('keeps a job that was set up before the note of the step it waits for (a fit that loads its data lazily)', () => {
    const log = fakeLog();
    const fit = log.reporter.listener('fit dense-ae');
    log.reporter.note('loading mnist …');
    log.advance(1.5);
    epoch(log, fit, 1, 2, 3, 0.06);
    epoch(log, fit, 2, 2, 3, 0.04);
    log.reporter.stop();
    expect(log.lines()).toEqual([
      'loading mnist … 3.5 s',
      'fit dense-ae · epoch 1/2 · loss 0.06000 · 4.0 s · 150 samples/s',
      'fit dense-ae · epoch 2/2 · loss 0.04000 · 6.0 s · 150 samples/s',
    ]);
  });

  it('logs a stage when it completes or the next one starts, with its time', () => {
    const log = fakeLog();
    const fit = log.reporter.listener('fit pca');
    fit({ phase: 'covariance', fraction: 0 });
    log.advance(1.2);
    fit({ phase: 'covariance', fraction: 0.5 });
    fit({ phase: 'covariance', fraction: 1 });
    fit({ phase: 'eigensolve', fraction: 0, message: 'exact' });
    log.advance(0.3);
    fit({ phase: 'eigensolve', fraction: 1, message: 'exact' });
    const latent = log.reporter.listener('latent pca');
    latent({ phase: 'encode', fraction: 0.1 });
    log.advance(2);
    latent({ phase: 'densities', fraction: 0.4 });
    log.advance(5);
    latent({ phase: 'done', fraction: 1 });
    log.reporter.stop();
    expect(log.lines()).toEqual([
      'fit pca · covariance · 1.2 s',
      'fit pca · eigensolve (exact) · 0.3 s',
      'latent pca · encode · 2.0 s',
      'latent pca · densities · 5.0 s',
      'latent pca · done',
    ]);
  });

  it('is never silent for long: a status line after heartbeatSeconds without one', () => {
    const log = fakeLog({ heartbeatSeconds: 30 });
    const fit = log.reporter.listener('fit conv-ae');
    for (let b = 1; b <= 40; b++) {
      log.advance(1);
      fit({ phase: 'train', epoch: 1, epochs: 12, batch: b, batches: 125, loss: 0.05, fraction: b / 1500, samplesPerSecond: 64, etaSeconds: 1460 - b });
    }
    expect(log.lines()).toEqual(['fit conv-ae · train · epoch 1/12 · batch 30/125 · loss 0.05000 · 64 samples/s · 2% · ETA 23m50s']);
  });

  it('leaves a failed step silent so the error stays the only line: pending notes and unfinished stages are dropped', () => {
    const log = fakeLog();
    log.reporter.note('loading csv:bad.csv …');
    log.reporter.listener('fit pca'); // created, but the fit fails before its first event
    log.reporter.stop();
    expect(log.lines()).toEqual([]);
    const log2 = fakeLog();
    const fit = log2.reporter.listener('fit pca');
    fit({ phase: 'covariance', fraction: 0.3 });
    log2.reporter.stop();
    fit({ phase: 'covariance', fraction: 1 }); // after stop: ignored
    expect(log2.lines()).toEqual([]);
  });

  it('--quiet (enabled: false) silences it, with or without a terminal', () => {
    for (const isTTY of [false, true]) {
      const chunks: string[] = [];
      const r = createProgressReporter({ enabled: false, stream: { isTTY, write: (c: string) => chunks.push(c) } });
      r.note('loading mnist …');
      const l = r.listener('fit dense-ae');
      l({ phase: 'train', epoch: 1, epochs: 1, batch: 1, batches: 1, loss: 0.1, fraction: 1, message: 'epoch 1/1 loss 0.1' });
      l({ phase: 'retry', message: 'retry 1/2' });
      r.stop();
      expect(chunks).toEqual([]);
    }
  });
});

import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '@latentkit/core';

export interface ProgressReporter {
  /** A listener for one job; `label` heads the bar or each logged line (e.g. "fit pca"). */
  listener(label: string): ProgressListener;
  /** A status line (stderr) unless quiet; without a terminal it is logged once the step it announces is over. */
  note(message: string): void;
  stop(): void;
}

/** Where progress goes: stderr, or any stream with write() (tests pass a fake one). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressReporterOptions {
  /** false (--quiet, --json): nothing is written at all. */
  readonly enabled: boolean;
  readonly stream?: ProgressStream;
  /** Without a terminal: a status line when nothing was logged for this long during a job (default 30 s). */
  readonly heartbeatSeconds?: number;
  /** Milliseconds, for tests (default performance.now). */
  readonly now?: () => number;
}

function describe(e: ProgressEvent): string {
  const parts: string[] = [e.phase];
  if (e.epoch !== undefined && e.epochs !== undefined) parts.push(`epoch ${e.epoch}/${e.epochs}`);
  if (e.batch !== undefined && e.batches !== undefined && e.message === undefined) parts.push(`batch ${e.batch}/${e.batches}`);
  if (e.loss !== undefined) parts.push(`loss ${e.loss.toFixed(5)}`);
  if (e.valLoss !== undefined) parts.push(`val ${e.valLoss.toFixed(5)}`);
  if (e.samplesPerSecond !== undefined) parts.push(`${Math.round(e.samplesPerSecond)} samples/s`);
  if (e.message && e.epoch === undefined) parts.push(e.message);
  return parts.join(' · ');
}

/** The training loop's end-of-epoch events carry the epoch, the epoch's loss and a message; batch events have no message. */
function isEpochEnd(e: ProgressEvent): boolean {
  return e.phase === 'train' && e.epoch !== undefined && e.epochs !== undefined && e.loss !== undefined && e.message !== undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Progress on stderr, never on stdout. On a terminal: one bar at a time (a new job's bar replaces the
 * previous one). Elsewhere (CI, pipes, `tee`): plain lines, as Keras prints with verbose=2 — one per
 * training epoch (loss, validation loss, seconds, samples/s), one per finished stage, each retry after a
 * collapsed or diverged attempt, and a status line whenever a job has been silent for `heartbeatSeconds`.
 * A failing command logs no line for the step that failed, so its error stays the last line.
 * `enabled: false` (--quiet, --json) silences both.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled) return { listener: () => () => undefined, note: () => undefined, stop: () => undefined };
  return stream.isTTY ? barReporter(stream as NodeJS.WriteStream) : lineReporter(stream, options);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  /** The job whose events count; a new listener replaces it, stop() ends it. */
  let current: object | undefined;
  const closeBar = () => {
    bar?.stop();
    bar = undefined;
  };
  const startBar = (label: string): cliProgress.SingleBar => {
    closeBar();
    const b = new cliProgress.SingleBar(
      { format: `${label.padEnd(14)} [{bar}] {percentage}% | ETA {eta_formatted} | {status}`, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, fps: 8 },
      cliProgress.Presets.shades_classic,
    );
    b.start(1000, 0, { status: '' });
    bar = b;
    return b;
  };
  return {
    listener(label) {
      const job = {};
      current = job;
      let b = startBar(label);
      return (e) => {
        if (current !== job) return;
        if (e.phase === 'retry') {
          // Worth keeping on screen: close the bar, print the line, and go on with a fresh bar.
          closeBar();
          stream.write(`${label}: ${e.message ?? 'retrying'}\n`);
          b = startBar(label);
          return;
        }
        // A note printed meanwhile (e.g. "loading mnist …" of a job that loads its data lazily) closed the bar.
        if (bar !== b) b = startBar(label);
        const value = e.fraction !== undefined ? Math.round(Math.min(1, Math.max(0, e.fraction)) * 1000) : undefined;
        if (value !== undefined) b.update(value, { status: describe(e) });
        else b.update({ status: describe(e) });
      };
    },
    note(message) {
      closeBar();
      stream.write(`${message}\n`);
    },
    stop() {
      current = undefined;
      closeBar();
    },
  };
}

function lineReporter(stream: ProgressStream, options: ProgressReporterOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const heartbeatMs = (options.heartbeatSeconds ?? 30) * 1000;
  let lastLine = now();
  let pending: { message: string; at: number; seq: number } | undefined;
  /** Orders notes and jobs (their times may be equal). */
  let seq = 0;
  /** Ends the current listener's job; `done` logs its unfinished stage (a new job means it is over). */
  let endJob: ((done: boolean) => void) | undefined;
  const write = (line: string) => {
    stream.write(`${line}\n`);
    lastLine = now();
  };
  // A note announces a step; it is logged (with its time) once the next thing starts, so that a step
  // that fails leaves only the error line behind.
  const flushNote = (endedAt = now()) => {
    if (!pending) return;
    const { message, at } = pending;
    pending = undefined;
    write(`${message} ${seconds(endedAt - at)}`);
  };
  return {
    listener(label) {
      // The previous job and any note are logged when this job reports its first event, not now: a command
      // that fails before that (e.g. refusing its output folder) must end with its one error line.
      const previous = endJob;
      const createdAt = now();
      const createdSeq = ++seq;
      let started = false;
      let active = true;
      let phase: string | undefined;
      let phaseStart = now();
      let phaseLogged = false;
      let phaseMessage: string | undefined;
      let epochStart = now();
      const endPhase = () => {
        if (phase === undefined || phase === 'train' || phaseLogged) return;
        write(`${label} · ${phase}${phaseMessage ? ` (${phaseMessage})` : ''} · ${seconds(now() - phaseStart)}`);
        phaseLogged = true;
      };
      endJob = (done) => {
        if (done && active) endPhase();
        active = false;
      };
      return (e) => {
        if (!active) return;
        const first = !started;
        let firstPhaseStart = createdAt;
        if (first) {
          started = true;
          previous?.(true);
          // The announced step ended when this job began, or (announced after the job was set up) when it
          // reported first.
          const noteAfterSetUp = pending !== undefined && pending.seq > createdSeq;
          if (noteAfterSetUp) firstPhaseStart = now();
          flushNote(noteAfterSetUp ? now() : createdAt);
        }
        if (e.phase === 'retry') {
          write(`${label} · ${e.message ?? 'retrying'}`);
          epochStart = now();
          return;
        }
        if (e.phase !== phase) {
          endPhase();
          phase = e.phase;
          // The first stage began with the job; later ones when their first event came.
          phaseStart = first ? firstPhaseStart : now();
          phaseLogged = false;
          phaseMessage = undefined;
          epochStart = phaseStart;
          if (e.fraction !== undefined && e.fraction >= 1 && e.phase !== 'train') {
            // A stage that reports only its completion, e.g. "evaluate".
            write(`${label} · ${e.phase}${e.message ? ` (${e.message})` : ''}`);
            phaseLogged = true;
            return;
          }
        }
        if (e.message !== undefined && e.phase !== 'train') phaseMessage = e.message;
        if (isEpochEnd(e)) {
          const parts = [`${label} · epoch ${e.epoch}/${e.epochs}`, `loss ${e.loss!.toFixed(5)}`];
          if (e.valLoss !== undefined) parts.push(`val ${e.valLoss.toFixed(5)}`);
          parts.push(seconds(now() - epochStart));
          if (e.samplesPerSecond !== undefined) parts.push(`${Math.round(e.samplesPerSecond)} samples/s`);
          write(parts.join(' · '));
          epochStart = now();
          return;
        }
        if (e.phase !== 'train' && e.fraction !== undefined && e.fraction >= 1) {
          endPhase();
          return;
        }
        if (now() - lastLine >= heartbeatMs) {
          const parts = [`${label} · ${describe(e)}`];
          if (e.fraction !== undefined) parts.push(`${Math.round(Math.min(1, Math.max(0, e.fraction)) * 100)}%`);
          if (e.etaSeconds !== undefined && Number.isFinite(e.etaSeconds)) parts.push(`ETA ${duration(e.etaSeconds)}`);
          write(parts.join(' · '));
        }
      };
    },
    note(message) {
      // A note may come while a job waits for it (a fit that loads its data lazily): the job stays active.
      flushNote();
      pending = { message, at: now(), seq: ++seq };
    },
    stop() {
      // Called when a command ends, successfully or not: nothing unfinished is claimed as done.
      pending = undefined;
      endJob?.(false);
      endJob = undefined;
    },
  };
}

import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '@latentkit/core';

export interface ProgressReporter {
  /** A listener for one job; `label` heads the bar (e.g. "fit pca"). */
  listener(label: string): ProgressListener;
  /** Prints a status line (stderr) unless quiet. */
  note(message: string): void;
  stop(): void;
}

function describe(e: ProgressEvent): string {
  const parts: string[] = [e.phase];
  if (e.epoch !== undefined && e.epochs !== undefined) parts.push(`epoch ${e.epoch}/${e.epochs}`);
  if (e.loss !== undefined) parts.push(`loss ${e.loss.toFixed(5)}`);
  if (e.valLoss !== undefined) parts.push(`val ${e.valLoss.toFixed(5)}`);
  if (e.samplesPerSecond !== undefined) parts.push(`${Math.round(e.samplesPerSecond)} samples/s`);
  if (e.message) parts.push(e.message);
  return parts.join(' · ');
}

/**
 * Progress bars on stderr. Shown only on a TTY and without --json/--quiet, so pipes and CI logs stay clean.
 * One bar at a time: a new job's bar replaces the previous one.
 */
export function createProgressReporter(options: { enabled: boolean; stream?: NodeJS.WriteStream }): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled && Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    listener(label) {
      if (!enabled) return () => undefined;
      stop();
      const b = new cliProgress.SingleBar(
        { format: `${label.padEnd(14)} [{bar}] {percentage}% | ETA {eta_formatted} | {status}`, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, fps: 8 },
        cliProgress.Presets.shades_classic,
      );
      b.start(1000, 0, { status: '' });
      bar = b;
      return (e) => {
        if (bar !== b) return;
        const value = e.fraction !== undefined ? Math.round(Math.min(1, Math.max(0, e.fraction)) * 1000) : undefined;
        if (value !== undefined) b.update(value, { status: describe(e) });
        else b.update({ status: describe(e) });
      };
    },
    note(message) {
      if (!enabled) return;
      stop();
      stream.write(`${message}\n`);
    },
    stop,
  };
}

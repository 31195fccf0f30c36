import type { ProductShape } from './product-layout.js';

/** How a product runs: shared with the helper, or on the calling thread alone. */
export type TeamMode = 'team' | 'alone';

export interface TeamCalibrationOptions {
  /** Timed runs of each mode per shape before choosing (after one untimed run of each). Default 3. */
  readonly probes?: number;
  /** Products of one shape after which its choice is measured again (a neighbour may have come or gone). Default 1024. */
  readonly remeasureEvery?: number;
}

interface ShapeRecord {
  readonly ms: Record<TeamMode, number[]>;
  chosen: TeamMode | undefined;
  sinceChoice: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Whether sharing a product with the helper pays, decided per shape by timing both ways on this machine.
 * A shared product waits for the slower of two threads: where the other core is busy (another process, a
 * noisy neighbour on a shared host) the helper's half comes late, and dense-ae fits trained at 4.4–4.6k
 * samples/s with the helper against 8.1–12.7k alone while an apt install ran beside them; on a quiet machine
 * the same products run 1.7–1.9× faster shared. Both modes compute every element with the same code in the
 * same order, so the choice changes the time, never the result.
 */
export class TeamCalibration {
  readonly #probes: number;
  readonly #remeasureEvery: number;
  readonly #shapes = new Map<string, ShapeRecord>();

  constructor(options: TeamCalibrationOptions = {}) {
    this.#probes = Math.max(1, options.probes ?? 3);
    this.#remeasureEvery = Math.max(1, options.remeasureEvery ?? 1024);
  }

  /** The mode for the next product of this shape: alternating while measuring, then the faster one. */
  pick(shape: ProductShape): TeamMode {
    const record = this.#record(shape);
    if (record.chosen !== undefined) return record.chosen;
    // One more run (the first of each mode is untimed) of whichever mode has fewer so far; the team first.
    return record.ms.alone.length < record.ms.team.length ? 'alone' : 'team';
  }

  /** The time one product of this shape took in `mode` (its first run of each mode is a warm-up, not counted). */
  record(shape: ProductShape, mode: TeamMode, ms: number): void {
    const record = this.#record(shape);
    if (record.chosen !== undefined) {
      if (++record.sinceChoice >= this.#remeasureEvery) this.#shapes.delete(keyOf(shape));
      return;
    }
    record.ms[mode].push(ms);
    const { team, alone } = record.ms;
    // probes + 1 runs of each: the warm-up, then the timed ones.
    if (team.length > this.#probes && alone.length > this.#probes) {
      record.chosen = median(team.slice(1)) < median(alone.slice(1)) ? 'team' : 'alone';
      record.sinceChoice = 0;
    }
  }

  /** The modes chosen so far, by shape ("m×k×n" plus "ᵀA"/"ᵀB"): what a bench or a test reads. */
  choices(): ReadonlyMap<string, TeamMode> {
    const out = new Map<string, TeamMode>();
    for (const [key, record] of this.#shapes) if (record.chosen !== undefined) out.set(key, record.chosen);
    return out;
  }

  #record(shape: ProductShape): ShapeRecord {
    const key = keyOf(shape);
    let record = this.#shapes.get(key);
    if (!record) {
      record = { ms: { team: [], alone: [] }, chosen: undefined, sinceChoice: 0 };
      this.#shapes.set(key, record);
    }
    return record;
  }
}

function keyOf({ m, k, n, transposeA, transposeB }: ProductShape): string {
  return `${m}×${k}×${n}${transposeA ? 'ᵀA' : ''}${transposeB ? 'ᵀB' : ''}`;
}

import { describe, expect, it } from 'vitest';
import { TeamCalibration, type TeamMode } from './team-calibration.js';

const big = { m: 128, k: 784, n: 256, transposeA: false, transposeB: false };
const columns = { m: 784, k: 128, n: 256, transposeA: true, transposeB: false };

/** Runs `count` products of `shape`, each taking `msOf(mode)`; returns the modes picked in order. */
function run(calibration: TeamCalibration, shape: typeof big, count: number, msOf: (mode: TeamMode) => number): TeamMode[] {
  const picked: TeamMode[] = [];
  for (let i = 0; i < count; i++) {
    const mode = calibration.pick(shape);
    picked.push(mode);
    calibration.record(shape, mode, msOf(mode));
  }
  return picked;
}

describe('TeamCalibration', () => {
  it('alternates while measuring, then keeps the faster mode for each shape on its own', () => {
    const calibration = new TeamCalibration({ probes: 3 });
    // Sharing halves the first shape and doubles the second (as when the other core is busy).
    const first = run(calibration, big, 12, (mode) => (mode === 'team' ? 0.6 : 1.2));
    const second = run(calibration, columns, 12, (mode) => (mode === 'team' ? 2.6 : 1.2));
    expect(first.slice(0, 8)).toEqual(['team', 'alone', 'team', 'alone', 'team', 'alone', 'team', 'alone']);
    expect(first.slice(8)).toEqual(['team', 'team', 'team', 'team']);
    expect(second.slice(8)).toEqual(['alone', 'alone', 'alone', 'alone']);
    expect([...calibration.choices()]).toEqual([
      ['128×784×256', 'team'],
      ['784×128×256ᵀA', 'alone'],
    ]);
  });

  it('ignores each mode’s warm-up run and decides on medians, so one slow outlier does not decide', () => {
    const calibration = new TeamCalibration({ probes: 3 });
    let teamRuns = 0;
    // The team's warm-up (its first run) takes 50 ms and one later run 9 ms; its median stays 0.6 < 1.2.
    run(calibration, big, 8, (mode) => (mode === 'alone' ? 1.2 : [50, 0.6, 9, 0.6][teamRuns++]!));
    expect(calibration.choices().get('128×784×256')).toBe('team');
  });

  it('measures a shape again after remeasureEvery products', () => {
    const calibration = new TeamCalibration({ probes: 1, remeasureEvery: 5 });
    let slowTeam = true;
    const picked = run(calibration, big, 4 + 5, (mode) => (mode === 'team' ? (slowTeam ? 3 : 0.5) : 1));
    expect(picked.slice(4)).toEqual(['alone', 'alone', 'alone', 'alone', 'alone']);
    expect(calibration.choices().size).toBe(0); // forgotten: the next products measure again
    slowTeam = false;
    expect(run(calibration, big, 6, (mode) => (mode === 'team' ? 0.5 : 1))).toEqual(['team', 'alone', 'team', 'alone', 'team', 'team']);
  });
});

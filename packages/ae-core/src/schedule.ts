/** Learning-rate schedules over the whole run, evaluated before every batch. */
export type LrSchedule = 'constant' | 'cosine' | 'step';
export const LR_SCHEDULES: readonly LrSchedule[] = ['constant', 'cosine', 'step'];

/**
 * The learning rate at `progress` ∈ [0, 1) of the run (batches done / all batches). Cosine decays from
 * the peak towards 0; step halves it after each quarter of the run.
 */
export function learningRateAt(schedule: LrSchedule, peak: number, progress: number): number {
  const p = Math.min(Math.max(progress, 0), 1);
  switch (schedule) {
    case 'constant':
      return peak;
    case 'cosine':
      return (peak * (1 + Math.cos(Math.PI * p))) / 2;
    case 'step':
      return peak * 0.5 ** Math.min(3, Math.floor(p * 4));
  }
}

/**
 * Starts jobs 0…count−1 with at most `inFlight` started but not yet used, and hands their results to `use` in
 * index order. A job starts only once all but the last inFlight − 1 earlier results are used, so with
 * inFlight 1 a result that is a view into scratch memory is read before the next job runs. `use` returning
 * false stops early: the jobs still running are waited for (none outlives the call) and false is returned.
 * A failure rejects at once; jobs abandoned then never surface as unhandled rejections.
 */
export async function forEachInOrder<T>(count: number, inFlight: number, start: (i: number) => Promise<T>, use: (value: T, i: number) => Promise<boolean>): Promise<boolean> {
  const pending: (Promise<T> | undefined)[] = [];
  let started = 0;
  for (let i = 0; i < count; i++) {
    while (started < count && started - i < inFlight) {
      const job = start(started);
      job.catch(() => undefined);
      pending[started++] = job;
    }
    const value = await pending[i]!;
    pending[i] = undefined;
    if (!(await use(value, i))) {
      await Promise.allSettled(pending.slice(i + 1, started));
      return false;
    }
  }
  return true;
}

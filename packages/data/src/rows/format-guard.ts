import { isLatentkitError, LatentkitError } from '@latentkit/core';

/**
 * Runs a third-party parser (apache-arrow, hyparquet): its own errors (bad magic, corrupt pages, bad
 * flatbuffers) become one E_INPUT_FORMAT line naming the file and what it is not.
 */
export async function guardFormat<T>(name: string, notA: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isLatentkitError(e)) throw e;
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new LatentkitError('E_INPUT_FORMAT', `${name}: not a readable ${notA} (${why})`, { cause: e });
  }
}

import { isLatentkitError, type ErrorCode } from '@latentkit/core';
import { expect } from 'vitest';

/** Runs fn and checks it throws a LatentkitError with the code and a message matching `pattern`. */
export function expectLatentkitError(fn: () => unknown, code: ErrorCode, pattern: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a LatentkitError').toBeDefined();
  expect(isLatentkitError(thrown), `not a LatentkitError: ${String(thrown)}`).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
  expect((thrown as Error).message).toMatch(pattern);
  expect((thrown as Error).message).not.toContain('\n');
}

export async function expectRejectsLatentkit(p: Promise<unknown>, code: ErrorCode, pattern: RegExp): Promise<void> {
  const thrown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, 'expected a rejection').toBeDefined();
  expect(isLatentkitError(thrown), `not a LatentkitError: ${String(thrown)}`).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
  expect((thrown as Error).message).toMatch(pattern);
}

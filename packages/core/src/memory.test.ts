import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLatentkitError } from './errors.js';
import { formatBytes, MAX_DATA_BYTES_ENV, memoryBudget, setMachineMemory } from './memory.js';

describe('memoryBudget', () => {
  it('takes LATENTKIT_MAX_DATA_BYTES when set', () => {
    expect(memoryBudget({ [MAX_DATA_BYTES_ENV]: '123456' })).toEqual({ bytes: 123456, source: MAX_DATA_BYTES_ENV });
    expect(memoryBudget({ [MAX_DATA_BYTES_ENV]: ' 42 ' }).bytes).toBe(42);
  });

  it('defaults to half of the machine’s memory as Node reports it (an empty variable counts as unset), else 2 GiB', () => {
    for (const env of [{}, { [MAX_DATA_BYTES_ENV]: '' }]) {
      const budget = memoryBudget(env, totalmem());
      expect(budget.bytes).toBe(Math.floor(totalmem() / 2));
      expect(budget.source).toMatch(/half/);
    }
    setMachineMemory(undefined);
    expect(memoryBudget({})).toEqual({ bytes: 2 * 2 ** 30, source: 'the default for runtimes that do not report their memory' });
    setMachineMemory(8 * 2 ** 30);
    expect(memoryBudget({}).bytes).toBe(4 * 2 ** 30);
    setMachineMemory(undefined);
  });

  it('refuses a value that is not a positive whole number of bytes, in one line naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', '1e9', 'lots', String(2 ** 60)]) {
      let error: unknown;
      try {
        memoryBudget({ [MAX_DATA_BYTES_ENV]: bad });
      } catch (e) {
        error = e;
      }
      expect(isLatentkitError(error) && error.code, bad).toBe('E_OPTION');
      expect((error as Error).message).toContain(MAX_DATA_BYTES_ENV);
      expect((error as Error).message).toContain(JSON.stringify(bad));
    }
  });
});

describe('formatBytes', () => {
  it('gives exact bytes and a readable unit', () => {
    expect(formatBytes(219_520_000)).toBe('219,520,000 bytes (209 MiB)');
    expect(formatBytes(3 * 2 ** 30)).toBe('3,221,225,472 bytes (3.0 GiB)');
    expect(formatBytes(5 * 2 ** 19)).toBe('2,621,440 bytes (2.5 MiB)');
  });
});

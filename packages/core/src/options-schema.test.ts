import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceOptionStrings, describeOptions, validateOptions } from './options-schema.js';
import { schemaFromOptionSpecs } from './options.js';

const schema = z.strictObject({
  solver: z.enum(['auto', 'exact']).default('auto').describe('eigen solver'),
  epochs: z.number().int().min(1).max(500).default(10).describe('passes over the data'),
  widths: z.array(z.number().int().positive()).default([16, 32]).describe('channel widths'),
  whiten: z.boolean().default(false).describe('unit variance codes'),
  powerIterations: z.union([z.literal('auto'), z.number().int().min(0)]).default('auto').describe('power iterations'),
});

describe('options from one schema', () => {
  it('describes each option: type, default, bounds, choices, description', () => {
    expect(describeOptions(schema)).toEqual([
      { name: 'solver', type: 'string', description: 'eigen solver', default: 'auto', choices: ['auto', 'exact'] },
      { name: 'epochs', type: 'integer', description: 'passes over the data', default: 10, minimum: 1, maximum: 500 },
      { name: 'widths', type: 'integer[]', description: 'channel widths', default: [16, 32] },
      { name: 'whiten', type: 'boolean', description: 'unit variance codes', default: false },
      { name: 'powerIterations', type: '"auto"|integer', description: 'power iterations', default: 'auto', minimum: 0 },
    ]);
  });

  it('coerces command-line strings by the schema', () => {
    expect(coerceOptionStrings(schema, { epochs: '5', widths: '8, 16', whiten: 'true', powerIterations: '3', solver: 'exact', typo: '1' })).toEqual({
      epochs: 5,
      widths: [8, 16],
      whiten: true,
      powerIterations: 3,
      solver: 'exact',
      typo: '1',
    });
    expect(coerceOptionStrings(schema, { powerIterations: 'auto', epochs: 'abc' })).toEqual({ powerIterations: 'auto', epochs: 'abc' });
  });

  it('validates in one line per reducer, listing every problem', async () => {
    await expect(validateOptions('toy', schema, { epochs: 0, widths: 'x' })).rejects.toThrow(/^reducer "toy" options: epochs: .*; widths: /);
    expect(await validateOptions('toy', schema, {})).toMatchObject({ solver: 'auto', epochs: 10 });
    await expect(validateOptions('toy', schema, { constructor: 1 })).rejects.toThrow('reducer "toy": "constructor" is not an option name');
  });

  it('describes v1 option tables the same way', () => {
    const v1 = schemaFromOptionSpecs('old', { rate: { type: 'number', min: 0, max: 1, default: 0.1, description: 'rate' }, sizes: { type: 'number[]', description: 'sizes' } });
    expect(describeOptions(v1)).toEqual([
      { name: 'rate', type: 'number', description: 'rate', default: 0.1, minimum: 0, maximum: 1 },
      { name: 'sizes', type: 'number[]', description: 'sizes' },
    ]);
  });
});

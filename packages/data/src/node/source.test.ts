import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataSourceFiles } from './source.js';

const tables = join(import.meta.dirname, '..', '__fixtures__', 'tables');

describe('dataSourceFiles', () => {
  it('lists the file of every arrow: and parquet: spec, bracketed or not, resolved', async () => {
    for (const file of ['embeddings.arrow', 'embeddings.zstd.parquet']) {
      const format = file.endsWith('.arrow') ? 'arrow' : 'parquet';
      const path = join(tables, file);
      expect(await dataSourceFiles(`${format}:${path}`)).toEqual([path]);
      expect(await dataSourceFiles(`${format.toUpperCase()}[columns=a,b;label=y;id=k]:${path}`)).toEqual([path]);
    }
    expect(await dataSourceFiles('parquet:rel/x.parquet')).toEqual([join(process.cwd(), 'rel/x.parquet')]);
    expect(await dataSourceFiles(`npy:${join(tables, 'x.npy')}`)).toEqual([join(tables, 'x.npy')]);
  });
});

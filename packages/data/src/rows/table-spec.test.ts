import { describe, expect, it } from 'vitest';
import { expectLatentkitError } from '../__fixtures__/expect-error.js';
import { formatTableSpec, mergeTableOptions, parseTableSpec } from './table-spec.js';

describe('table data specs', () => {
  it('reads the plain and the bracketed forms', () => {
    expect(parseTableSpec('parquet:/d/x.parquet')).toEqual({ format: 'parquet', path: '/d/x.parquet', options: {} });
    expect(parseTableSpec('ARROW[columns=a, b;label=species;id=name]:rel/x.arrow')).toEqual({
      format: 'arrow',
      path: 'rel/x.arrow',
      options: { columns: ['a', 'b'], labelColumn: 'species', idColumn: 'name' },
    });
    expect(parseTableSpec('npy:/x.npy')).toBeUndefined();
  });

  it('round-trips column names holding the separators', () => {
    const options = { columns: ['a,b', 'x;y', 'p=q', '[v]', '100%'], labelColumn: 'l;1', idColumn: 'i=d' };
    const spec = formatTableSpec('parquet', '/p/t.parquet', options);
    expect(spec).toBe('parquet[columns=a%2Cb,x%3By,p%3Dq,%5Bv%5D,100%25;label=l%3B1;id=i%3Dd]:/p/t.parquet');
    expect(parseTableSpec(spec)).toEqual({ format: 'parquet', path: '/p/t.parquet', options });
    expect(formatTableSpec('arrow', '/a.arrow')).toBe('arrow:/a.arrow');
  });

  it('refuses unknown options in one line', () => {
    expectLatentkitError(() => parseTableSpec('arrow[cols=a]:x.arrow'), 'E_OPTION', /unknown option "cols=a" in \[...\]/);
  });

  it('lets flags override what the spec records', () => {
    expect(mergeTableOptions({ columns: ['a'], labelColumn: 'l' }, { labelColumn: 'k', idColumn: 'i' })).toEqual({ columns: ['a'], labelColumn: 'k', idColumn: 'i' });
  });
});

import { describe, expect, it } from 'vitest';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads headerless numeric rows', () => {
    const d = parseCsv('1,2,3\n4.5,-6,7e-1\n');
    expect([d.x.rows, d.x.cols]).toEqual([2, 3]);
    expect(Array.from(d.x.data)).toEqual([1, 2, 3, 4.5, -6, Math.fround(0.7)]);
    expect(d.labels).toBeUndefined();
    expect(d.name).toBe('CSV data');
  });

  it('detects a header and handles CRLF, BOM, quotes, spaces and blank lines', () => {
    const d = parseCsv('\uFEFF"a", b ,c\r\n1, 2,3\r\n\r\n"4",5,6\r\n', {}, 'f.csv');
    expect([d.x.rows, d.x.cols]).toEqual([2, 3]);
    expect(Array.from(d.x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.name).toBe('f.csv');
  });

  it('honours header: false / true', () => {
    expect(parseCsv('1,2\n3,4', { header: true }).x.rows).toBe(1);
    expectLatentkitError(() => parseCsv('x,y\n3,4', { header: false }), 'E_INPUT_FORMAT', /"x" is not a number at line 1, column 1/);
  });

  it('takes labels from the first, last, an indexed or a named column', () => {
    const text = 'label,x,y\n2,0.5,1\n0,1.5,2\n';
    const first = parseCsv(text, { labelColumn: 'first' });
    expect(Array.from(first.labels!)).toEqual([2, 0]);
    expect(Array.from(first.x.data)).toEqual([0.5, 1, 1.5, 2]);
    expect(Array.from(parseCsv(text, { labelColumn: 'label' }).labels!)).toEqual([2, 0]);
    expect(Array.from(parseCsv('1,2,9\n3,4,8', { labelColumn: 'last' }).labels!)).toEqual([9, 8]);
    expect(Array.from(parseCsv('1,2,9\n3,4,8', { labelColumn: 1 }).labels!)).toEqual([2, 4]);
    expect(Array.from(parseCsv('1,2,9\n3,4,8', { labelColumn: -1 }).labels!)).toEqual([9, 8]);
  });

  it('uses a header column named "label" by default, and none otherwise', () => {
    const d = parseCsv('x,Label\n1,3\n2,4\n');
    expect(Array.from(d.labels!)).toEqual([3, 4]);
    expect(d.x.cols).toBe(1);
    expect(parseCsv('x,label\n1,3\n', { labelColumn: 'none' }).x.cols).toBe(2);
  });

  it('maps class-name labels to sorted ids with labelNames', () => {
    const d = parseCsv('1,2,setosa\n3,4,virginica\n5,6,setosa\n', { labelColumn: 'last' });
    expect(d.labelNames).toEqual(['setosa', 'virginica']);
    expect(Array.from(d.labels!)).toEqual([0, 1, 0]);
    expect(d.x.cols).toBe(2);
  });

  it('refuses ragged rows naming the line', () => {
    expectLatentkitError(() => parseCsv('a,b\n1,2\n3\n', {}, 'r.csv'), 'E_INPUT_FORMAT', /^r\.csv: line 3 has 1 fields, expected 2$/);
  });

  it('refuses non-numbers and empty cells naming line, column and header', () => {
    expectLatentkitError(() => parseCsv('a,b\n1,2\n3,x1\n'), 'E_INPUT_FORMAT', /"x1" is not a number at line 3, column 2 \("b"\)/);
    expectLatentkitError(() => parseCsv('1,2\n3,\n'), 'E_INPUT_FORMAT', /empty value at line 2, column 2/);
    expectLatentkitError(() => parseCsv('1,2\n0x10,4\n'), 'E_INPUT_FORMAT', /"0x10" is not a number at line 2, column 1/);
  });

  it('refuses NaN, Inf and values beyond float32', () => {
    expectLatentkitError(() => parseCsv('1,2\nNaN,4\n'), 'E_INPUT_VALUE', /non-finite value "NaN" at line 2, column 1/);
    expectLatentkitError(() => parseCsv('1,2\n3,-inf\n'), 'E_INPUT_VALUE', /non-finite value "-inf" at line 2, column 2/);
    expectLatentkitError(() => parseCsv('1,Infinity\n'), 'E_INPUT_VALUE', /line 1, column 2/);
    expectLatentkitError(() => parseCsv('1,1e39\n'), 'E_INPUT_VALUE', /out of float32 range/);
  });

  it('refuses empty input, header-only input and a file that is all labels', () => {
    expectLatentkitError(() => parseCsv(''), 'E_EMPTY', /no data/);
    expectLatentkitError(() => parseCsv(' \n\n'), 'E_EMPTY', /no data/);
    expectLatentkitError(() => parseCsv('a,b\n'), 'E_EMPTY', /no data rows after the header/);
    expectLatentkitError(() => parseCsv('1\n2\n', { labelColumn: 'first' }), 'E_EMPTY', /no feature columns/);
  });

  it('refuses bad label options and empty or negative labels', () => {
    expectLatentkitError(() => parseCsv('a,b\n1,2', { labelColumn: 'c' }), 'E_OPTION', /no column named "c" \(columns are "a", "b"\)/);
    expectLatentkitError(() => parseCsv('1,2', { labelColumn: 5 }), 'E_OPTION', /label column 5 is out of range for 2 columns/);
    expectLatentkitError(() => parseCsv('1,2\n3,', { labelColumn: 'last' }), 'E_INPUT_FORMAT', /empty label at line 2, column 2/);
    // Negative numbers are not valid class ids, so they are treated as names.
    expect(parseCsv('1,-1\n2,3', { labelColumn: 'last' }).labelNames).toEqual(['-1', '3']);
  });
});

import { LatentkitError, createDataset, type Dataset } from '@latentkit/core';
import { checkMemory } from './memory.js';

export interface CsvOptions {
  /**
   * Which column holds class labels. 'none' (the default, unless the header names a column
   * "label") keeps every column as a feature; a number is a 0-based column index (negative counts
   * from the end); a string names a header column.
   */
  labelColumn?: 'none' | 'first' | 'last' | number | string;
  /** Whether the first line is a header; 'auto' (default) detects one by its non-numeric cells. */
  header?: 'auto' | boolean;
  /** Dataset name; defaults to the source. */
  name?: string;
  /** Refuse, in one line naming the need, text whose float32 matrix (plus the text) would take more bytes than this. */
  maxBytes?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

interface Line {
  readonly number: number; // 1-based line number in the text
  readonly cells: string[];
}

/**
 * Parses comma-separated numeric data into a Dataset. Labels may be integers ≥ 0 or class names
 * (mapped to 0.. in sorted order, kept as labelNames). Errors name the line and column.
 * Memory is planned first: lines are counted, the matrix is sized (and checked against `maxBytes`),
 * then filled one line at a time, so no per-cell strings pile up for the whole file.
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV data'): Dataset {
  const body = text.replace(/^\uFEFF/, '');
  const { first, second, nonBlank } = scan(body);
  if (!first) throw new LatentkitError('E_EMPTY', `${source}: no data (the text is empty)`);
  const hasHeader = detectHeader(first, second, options);
  const header = hasHeader ? first.cells.map(unquote) : undefined;
  const rows = hasHeader ? nonBlank - 1 : nonBlank;
  if (rows === 0) throw new LatentkitError('E_EMPTY', `${source}: no data rows after the header`);
  const width = first.cells.length;
  const labelIndex = resolveLabelColumn(options.labelColumn, header, width, source);
  const cols = labelIndex === undefined ? width : width - 1;
  if (cols === 0) throw new LatentkitError('E_EMPTY', `${source}: no feature columns besides the label column`);
  // The text stays alive while the matrix fills, so both count.
  checkMemory(source, `${rows} rows × ${cols} columns (the text and a float32 matrix)`, body.length + rows * cols * 4, options.maxBytes, rows * cols);
  const x = new Float32Array(rows * cols);
  const labelTexts: string[] = [];
  let r = 0;
  let skip = hasHeader;
  forEachLine(body, (content, number) => {
    if (skip) {
      skip = false;
      return;
    }
    const cells = content.split(',');
    if (cells.length !== width) {
      throw new LatentkitError('E_INPUT_FORMAT', `${source}: line ${number} has ${cells.length} fields, expected ${width}`);
    }
    let at = r * cols;
    for (let j = 0; j < width; j++) {
      const cell = cells[j]!.trim();
      if (j !== labelIndex) x[at++] = parseCell(cell, number, j, header, source);
      else {
        const t = unquote(cell);
        if (t === '') throw new LatentkitError('E_INPUT_FORMAT', `${source}: empty label at ${where(number, j, header)}`);
        labelTexts.push(t);
      }
    }
    r++;
  });
  const labels = labelIndex === undefined ? undefined : parseLabels(labelTexts);
  return createDataset({ name: options.name ?? source, x: { data: x, rows, cols }, ...labels });
}

/** Calls fn for every non-blank line (blank lines, typically a trailing newline, carry no row). */
function forEachLine(text: string, fn: (content: string, number: number) => void): void {
  const eol = /\r\n|\n|\r/g;
  let start = 0;
  let number = 1;
  for (;;) {
    const m = eol.exec(text);
    const end = m ? m.index : text.length;
    const content = text.slice(start, end);
    if (content.trim() !== '') fn(content, number);
    if (!m) return;
    start = eol.lastIndex;
    number++;
  }
}

/** One pass that counts non-blank lines and keeps only the first two, for header detection. */
function scan(text: string): { first?: Line; second?: Line; nonBlank: number } {
  let first: Line | undefined;
  let second: Line | undefined;
  let nonBlank = 0;
  forEachLine(text, (content, number) => {
    nonBlank++;
    if (nonBlank <= 2) {
      const line = { number, cells: content.split(',').map((c) => c.trim()) };
      if (nonBlank === 1) first = line;
      else second = line;
    }
  });
  return { first, second, nonBlank };
}

function unquote(cell: string): string {
  return cell.length >= 2 && cell[0] === '"' && cell[cell.length - 1] === '"' ? cell.slice(1, -1).trim() : cell;
}

function isNumeric(cell: string): boolean {
  return NUMBER.test(unquote(cell));
}

/** A header is a first line with a non-numeric cell where the second line is numeric, or with no numbers at all. */
function detectHeader(firstLine: Line, secondLine: Line | undefined, options: CsvOptions): boolean {
  const mode = options.header ?? 'auto';
  if (mode !== 'auto') return mode;
  if (typeof options.labelColumn === 'string' && !['none', 'first', 'last'].includes(options.labelColumn)) return true;
  const first = firstLine.cells;
  if (first.every((c) => !isNumeric(c) && !NON_FINITE.test(unquote(c)))) return true;
  const second = secondLine?.cells;
  return !!second && first.some((c, j) => !isNumeric(c) && !NON_FINITE.test(unquote(c)) && second[j] !== undefined && isNumeric(second[j]!));
}

function resolveLabelColumn(spec: CsvOptions['labelColumn'], header: string[] | undefined, width: number, source: string): number | undefined {
  if (spec === undefined) {
    const named = header?.findIndex((h) => h.toLowerCase() === 'label') ?? -1;
    return named >= 0 ? named : undefined;
  }
  if (spec === 'none') return undefined;
  if (spec === 'first') return 0;
  if (spec === 'last') return width - 1;
  if (typeof spec === 'number') {
    const index = spec < 0 ? width + spec : spec;
    if (!Number.isInteger(spec) || index < 0 || index >= width) {
      throw new LatentkitError('E_OPTION', `${source}: label column ${spec} is out of range for ${width} columns`);
    }
    return index;
  }
  const index = header?.indexOf(spec) ?? -1;
  if (index < 0) {
    const known = header ? `columns are ${header.map((h) => `"${h}"`).join(', ')}` : 'the file has no header';
    throw new LatentkitError('E_OPTION', `${source}: no column named "${spec}" (${known})`);
  }
  return index;
}

function where(line: number, col: number, header: string[] | undefined): string {
  return `line ${line}, column ${col + 1}${header?.[col] ? ` ("${header[col]}")` : ''}`;
}

function parseCell(cell: string, line: number, col: number, header: string[] | undefined, source: string): number {
  const text = unquote(cell);
  if (text === '') throw new LatentkitError('E_INPUT_FORMAT', `${source}: empty value at ${where(line, col, header)}`);
  if (NON_FINITE.test(text)) throw new LatentkitError('E_INPUT_VALUE', `${source}: non-finite value "${text}" at ${where(line, col, header)}`);
  if (!NUMBER.test(text)) throw new LatentkitError('E_INPUT_FORMAT', `${source}: "${text.slice(0, 40)}" is not a number at ${where(line, col, header)}`);
  const v = Number(text);
  // Finite in float64 but beyond float32 (e.g. 1e39) would become Infinity in the matrix.
  if (!Number.isFinite(Math.fround(v))) {
    throw new LatentkitError('E_INPUT_VALUE', `${source}: value ${text} at ${where(line, col, header)} is out of float32 range`);
  }
  return v;
}

/** Integer labels ≥ 0 are used as-is; anything else is treated as class names. */
function parseLabels(texts: string[]): { labels: Int32Array; labelNames?: string[] } {
  if (texts.every((t) => /^\+?\d+$/.test(t) && Number(t) <= 0x7fffffff)) {
    return { labels: Int32Array.from(texts, Number) };
  }
  const names = [...new Set(texts)].sort();
  const id = new Map(names.map((n, i) => [n, i]));
  return { labels: Int32Array.from(texts, (t) => id.get(t)!), labelNames: names };
}

import type { SchemaElement, SchemaTree } from 'hyparquet';
import type { TableColumn } from './table-columns.js';

/** Physical types whose values are numbers, unless a logical type says they are dates, times or decimals. */
const NUMERIC = new Set(['FLOAT', 'DOUBLE', 'INT32', 'INT64']);
const NOT_NUMBERS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'DECIMAL', 'INTERVAL', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'JSON', 'BSON', 'UUID']);

/** What a top-level Parquet column holds, in the readers' terms. */
export function describeParquetColumn(node: SchemaTree): TableColumn {
  const e = node.element;
  const name = e.name;
  if (node.children.length === 0) {
    const type = leafType(e);
    if (e.repetition_type === 'REPEATED') return isNumericLeaf(e) ? { name, kind: 'vector', type: `repeated ${type}` } : { name, kind: 'other', type: `repeated ${type}` };
    if (isNumericLeaf(e)) return { name, kind: 'number', type };
    if (e.type === 'BYTE_ARRAY' && (logical(e) === 'STRING' || e.converted_type === 'UTF8' || logical(e) === 'ENUM')) return { name, kind: 'text', type };
    return { name, kind: 'other', type };
  }
  // A list: optional group (LIST) → repeated group → one element leaf (or the legacy two-level form).
  const isList = e.converted_type === 'LIST' || logical(e) === 'LIST';
  const repeated = node.children.length === 1 ? node.children[0]! : undefined;
  const leaf = repeated && repeated.children.length === 1 ? repeated.children[0]! : repeated;
  if (isList && leaf && leaf.children.length === 0) {
    const type = `LIST<${leafType(leaf.element)}>`;
    return isNumericLeaf(leaf.element) ? { name, kind: 'vector', type } : { name, kind: 'other', type };
  }
  return { name, kind: 'other', type: isList ? 'LIST (nested)' : 'a group (struct or map)' };
}

function logical(e: SchemaElement): string | undefined {
  return (e.logical_type as { type?: string } | undefined)?.type;
}

function isNumericLeaf(e: SchemaElement): boolean {
  if (e.type === 'FIXED_LEN_BYTE_ARRAY') return logical(e) === 'FLOAT16';
  if (!e.type || !NUMERIC.has(e.type)) return false;
  return !NOT_NUMBERS.has(logical(e) ?? '') && !NOT_NUMBERS.has(e.converted_type ?? '');
}

function leafType(e: SchemaElement): string {
  const l = logical(e);
  if (l === 'FLOAT16') return 'FLOAT16';
  if (l === 'INTEGER') {
    const i = e.logical_type as { bitWidth?: number; isSigned?: boolean };
    return `${i.isSigned === false ? 'UINT' : 'INT'}${i.bitWidth ?? ''}`;
  }
  return l && l !== e.type ? `${e.type} (${l})` : (e.type ?? 'unknown');
}

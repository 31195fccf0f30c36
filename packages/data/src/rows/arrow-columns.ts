import { DataType, Precision, type Data, type Field } from 'apache-arrow';
import { float16ToFloat32 } from '../float16.js';
import type { TableColumn } from './table-columns.js';

/** What an Arrow field holds, in the readers' terms. */
export function describeArrowField(f: Field): TableColumn {
  const t = f.type;
  const type = String(t);
  if (isNumeric(t)) return { name: f.name, kind: 'number', type };
  if (DataType.isFixedSizeList(t) && isNumeric(t.children[0]!.type)) return { name: f.name, kind: 'vector', type, width: t.listSize };
  if ((DataType.isList(t) || DataType.isLargeList(t)) && isNumeric(t.children[0]!.type)) return { name: f.name, kind: 'vector', type };
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t)) return { name: f.name, kind: 'text', type };
  if (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary))) return { name: f.name, kind: 'text', type };
  return { name: f.name, kind: 'other', type };
}

function isNumeric(t: DataType): boolean {
  return DataType.isFloat(t) || DataType.isInt(t);
}

/** Reads element i (an index into `data.values`, offset already applied) of a numeric Data as a number. */
export function numericReader(data: Data): (i: number) => number {
  const values = data.values as ArrayLike<number | bigint>;
  if (DataType.isFloat(data.type) && data.type.precision === Precision.HALF) return (i) => float16ToFloat32(values[i] as number);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return (i) => Number(values[i]);
  return (i) => values[i] as number;
}

/** The [start, end) element range of list row r (r counts from the Data's own offset). */
export function listRange(data: Data, r: number): [number, number] {
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  return [Number(offsets[data.offset + r]), Number(offsets[data.offset + r + 1])];
}

/**
 * Orthonormalises the l columns of a D×l row-major matrix in place by modified Gram–Schmidt, run
 * twice ("twice is enough") so the result is orthonormal to working precision. A column that
 * collapses to zero (rank deficiency) is replaced by a unit vector orthogonal to the others.
 * The columns are copied out to contiguous rows first (a column of y is strided by l, which costs far
 * more than the copy), worked on there with the same arithmetic in the same order, and copied back.
 */
export function orthonormalizeColumns(y: Float64Array, D: number, l: number): void {
  const cols = new Float64Array(l * D);
  for (let i = 0; i < D; i++) for (let c = 0; c < l; c++) cols[c * D + i] = y[i * l + c]!;
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < l; c++) {
      const o = c * D;
      for (let p = 0; p < c; p++) {
        const q = p * D;
        let dot = 0;
        for (let i = 0; i < D; i++) dot += cols[q + i]! * cols[o + i]!;
        for (let i = 0; i < D; i++) cols[o + i] = cols[o + i]! - dot * cols[q + i]!;
      }
      let ss = 0;
      for (let i = 0; i < D; i++) ss += cols[o + i]! * cols[o + i]!;
      if (ss < 1e-300) {
        replaceWithBasisVector(cols, D, c);
        continue;
      }
      const inv = 1 / Math.sqrt(ss);
      for (let i = 0; i < D; i++) cols[o + i] = cols[o + i]! * inv;
    }
  }
  for (let i = 0; i < D; i++) for (let c = 0; c < l; c++) y[i * l + c] = cols[c * D + i]!;
}

/** Column c (row c of the l×D copy) becomes the first basis vector e_e that keeps most of its length once the earlier columns are projected out. */
function replaceWithBasisVector(cols: Float64Array, D: number, c: number): void {
  const o = c * D;
  for (let e = 0; e < D; e++) {
    for (let i = 0; i < D; i++) cols[o + i] = i === e ? 1 : 0;
    for (let p = 0; p < c; p++) {
      const dot = cols[p * D + e]!;
      for (let i = 0; i < D; i++) cols[o + i] = cols[o + i]! - dot * cols[p * D + i]!;
    }
    let ss = 0;
    for (let i = 0; i < D; i++) ss += cols[o + i]! * cols[o + i]!;
    if (ss > 0.5) {
      const inv = 1 / Math.sqrt(ss);
      for (let i = 0; i < D; i++) cols[o + i] = cols[o + i]! * inv;
      return;
    }
  }
}

/**
 * Orthonormalises the k rows of a k×D row-major matrix in place, like orthonormalizeColumns (modified
 * Gram–Schmidt twice); a row that is zero, or lies in the span of the earlier rows, becomes a unit vector orthogonal to the others.
 */
export function orthonormalizeRows(v: Float64Array, k: number, D: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < k; c++) {
      const row = v.subarray(c * D, (c + 1) * D);
      const before = Math.sqrt(dot(row, row));
      for (let p = 0; p < c; p++) subtractProjection(row, v.subarray(p * D, (p + 1) * D));
      const norm = Math.sqrt(dot(row, row));
      // Nothing left but rounding of what was projected out: the row lay in the span of the earlier ones.
      if (!(norm > 1e-10 * before)) {
        completeRow(v, c, D);
        continue;
      }
      for (let j = 0; j < D; j++) row[j] = row[j]! / norm;
    }
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

function subtractProjection(row: Float64Array, unit: Float64Array): void {
  const d = dot(row, unit);
  for (let j = 0; j < row.length; j++) row[j] = row[j]! - d * unit[j]!;
}

/** Row c becomes the first basis vector e_j that keeps most of its length once the earlier rows are projected out. */
function completeRow(v: Float64Array, c: number, D: number): void {
  const row = v.subarray(c * D, (c + 1) * D);
  for (let e = 0; e < D; e++) {
    row.fill(0);
    row[e] = 1;
    for (let p = 0; p < c; p++) subtractProjection(row, v.subarray(p * D, (p + 1) * D));
    const norm = Math.sqrt(dot(row, row));
    if (norm > 0.7) {
      for (let j = 0; j < D; j++) row[j] = row[j]! / norm;
      return;
    }
  }
}

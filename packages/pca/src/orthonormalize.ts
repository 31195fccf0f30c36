/**
 * Orthonormalises the l columns of a D×l row-major matrix in place by modified Gram–Schmidt, run
 * twice ("twice is enough") so the result is orthonormal to working precision. A column that
 * collapses to zero (rank deficiency) is replaced by a unit vector orthogonal to the others.
 */
export function orthonormalizeColumns(y: Float64Array, D: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < l; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < D; i++) dot += y[i * l + p]! * y[i * l + c]!;
        for (let i = 0; i < D; i++) y[i * l + c] = y[i * l + c]! - dot * y[i * l + p]!;
      }
      let ss = 0;
      for (let i = 0; i < D; i++) ss += y[i * l + c]! * y[i * l + c]!;
      if (ss < 1e-300) {
        replaceWithBasisVector(y, D, l, c);
        continue;
      }
      const inv = 1 / Math.sqrt(ss);
      for (let i = 0; i < D; i++) y[i * l + c] = y[i * l + c]! * inv;
    }
  }
}

function replaceWithBasisVector(y: Float64Array, D: number, l: number, c: number): void {
  for (let e = 0; e < D; e++) {
    for (let i = 0; i < D; i++) y[i * l + c] = i === e ? 1 : 0;
    for (let p = 0; p < c; p++) {
      const dot = y[e * l + p]!;
      for (let i = 0; i < D; i++) y[i * l + c] = y[i * l + c]! - dot * y[i * l + p]!;
    }
    let ss = 0;
    for (let i = 0; i < D; i++) ss += y[i * l + c]! * y[i * l + c]!;
    if (ss > 0.5) {
      const inv = 1 / Math.sqrt(ss);
      for (let i = 0; i < D; i++) y[i * l + c] = y[i * l + c]! * inv;
      return;
    }
  }
}

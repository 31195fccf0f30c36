// Writes the WAT text of the f32 GEMM module (see build-gemm-wasm.mjs). Generated rather than hand-written
// because the register-blocked microkernel is the same few lines repeated per row and per column vector.

/** Rows per microkernel: 4 rows × 8 columns keep 8 accumulators, 2 B vectors and 1 A splat in registers. */
const MR = 4;

/** `acc += a·b`: fused (relaxed SIMD) or a multiply then an add. */
function madd(relaxed, a, b, acc) {
  return relaxed ? `(f32x4.relaxed_madd ${a} ${b} ${acc})` : `(f32x4.add ${acc} (f32x4.mul ${a} ${b}))`;
}

/**
 * C rows i…i+rows−1, columns jb…jb+7 (fewer in the last panel) from A's rows and the packed panel. `tapped`:
 * sum over taps t as well, A shifted by offs[t] bytes and B's panel from tap t's packing, the accumulators
 * staying in registers throughout (an implicit-GEMM convolution).
 */
function microkernel(rows, relaxed, tapped = false) {
  const L = [];
  const rowAt = (q) => (q === 0 ? '(local.get $cr)' : `(i32.add (local.get $cr) (i32.mul (local.get $ldcb) (i32.const ${q})))`);
  L.push(`(local.set $cr (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $jb)) (i32.const 2))))`);
  // Start from zero, or from C's values when accumulating (lane by lane in a partial panel: never read past N).
  L.push(`(if (i32.eqz (local.get $acc)) (then`);
  for (let q = 0; q < rows; q++) L.push(`(local.set $c${q}a (v128.const i32x4 0 0 0 0)) (local.set $c${q}b (v128.const i32x4 0 0 0 0))`);
  L.push(`) (else (if (local.get $full) (then`);
  for (let q = 0; q < rows; q++) L.push(`(local.set $c${q}a (v128.load ${rowAt(q)})) (local.set $c${q}b (v128.load offset=16 ${rowAt(q)}))`);
  L.push(`) (else`);
  for (let q = 0; q < rows; q++) {
    L.push(`(local.set $c${q}a (v128.const i32x4 0 0 0 0)) (local.set $c${q}b (v128.const i32x4 0 0 0 0))`);
    for (let lane = 0; lane < 7; lane++) {
      const v = lane < 4 ? `$c${q}a` : `$c${q}b`;
      L.push(`(if (i32.gt_u (local.get $left) (i32.const ${lane})) (then (local.set ${v} (f32x4.replace_lane ${lane % 4} (local.get ${v}) (f32.load offset=${lane * 4} ${rowAt(q)})))))`);
    }
  }
  L.push(`))))`);
  if (tapped) {
    L.push(`(local.set $t (i32.const 0))`);
    L.push(`(block $tdone${rows} (loop $t${rows} (br_if $tdone${rows} (i32.ge_u (local.get $t) (local.get $taps)))`);
    L.push(`(local.set $r0 (i32.add (i32.add (local.get $a) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $t) (i32.const 2))))) (i32.mul (local.get $i) (local.get $sI))))`);
  } else {
    L.push(`(local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sI))))`);
  }
  for (let q = 1; q < rows; q++) L.push(`(local.set $r${q} (i32.add (local.get $r${q - 1}) (local.get $sI)))`);
  L.push(tapped ? `(local.set $p (i32.add (local.get $panel) (i32.mul (local.get $t) (local.get $tapBytes)))) (local.set $k (local.get $K))` : `(local.set $p (local.get $panel)) (local.set $k (local.get $K))`);
  L.push(`(block $kdone${rows} (loop $k${rows} (br_if $kdone${rows} (i32.eqz (local.get $k)))`);
  L.push(`(local.set $b0 (v128.load (local.get $p))) (local.set $b1 (v128.load offset=16 (local.get $p)))`);
  for (let q = 0; q < rows; q++) {
    L.push(`(local.set $av (v128.load32_splat (local.get $r${q})))`);
    L.push(`(local.set $c${q}a ${madd(relaxed, '(local.get $av)', '(local.get $b0)', `(local.get $c${q}a)`)})`);
    L.push(`(local.set $c${q}b ${madd(relaxed, '(local.get $av)', '(local.get $b1)', `(local.get $c${q}b)`)})`);
  }
  L.push(`(local.set $p (i32.add (local.get $p) (i32.const 32)))`);
  for (let q = 0; q < rows; q++) L.push(`(local.set $r${q} (i32.add (local.get $r${q}) (local.get $sK)))`);
  L.push(`(local.set $k (i32.sub (local.get $k) (i32.const 1))) (br $k${rows})))`);
  if (tapped) L.push(`(local.set $t (i32.add (local.get $t) (i32.const 1))) (br $t${rows})))`);
  // Store: whole vectors in a full panel, lane by lane in the last, partial one.
  L.push(`(if (local.get $full) (then`);
  for (let q = 0; q < rows; q++) {
    L.push(`(v128.store (local.get $cr) (local.get $c${q}a)) (v128.store offset=16 (local.get $cr) (local.get $c${q}b))`);
    if (q < rows - 1) L.push(`(local.set $cr (i32.add (local.get $cr) (local.get $ldcb)))`);
  }
  L.push(`) (else`);
  for (let q = 0; q < rows; q++) {
    for (let lane = 0; lane < 7; lane++) {
      const v = lane < 4 ? `$c${q}a` : `$c${q}b`;
      L.push(`(if (i32.gt_u (local.get $left) (i32.const ${lane})) (then (f32.store offset=${lane * 4} (local.get $cr) (f32x4.extract_lane ${lane % 4} (local.get ${v})))))`);
    }
    if (q < rows - 1) L.push(`(local.set $cr (i32.add (local.get $cr) (local.get $ldcb)))`);
  }
  L.push(`))`);
  return L.join('\n');
}

/** The loops of gemm (and gemmTaps when `tapped`): column panels outside, 4-row blocks, then single rows. */
function gemmBody(locals, relaxed, tapped) {
  return `${locals.map((l) => `(local ${l})`).join(' ')}
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 2)))
    (block $jdone (loop $jloop (br_if $jdone (i32.ge_u (local.get $jb) (local.get $N)))
      ;; Panel jb/8 holds K rows of 8 floats: it starts jb·K floats into the packed buffer.
      (local.set $panel (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $jb) (local.get $K)) (i32.const 2))))
      (local.set $left (i32.sub (local.get $N) (local.get $jb)))
      (local.set $full (i32.ge_u (local.get $left) (i32.const 8)))
      (local.set $i (i32.const 0))
      (block $idone4 (loop $iloop4 (br_if $idone4 (i32.gt_u (i32.add (local.get $i) (i32.const ${MR})) (local.get $M)))
        ${microkernel(MR, relaxed, tapped)}
        (local.set $i (i32.add (local.get $i) (i32.const ${MR}))) (br $iloop4)))
      (block $idone1 (loop $iloop1 (br_if $idone1 (i32.ge_u (local.get $i) (local.get $M)))
        ${microkernel(1, relaxed, tapped)}
        (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $iloop1)))
      (local.set $jb (i32.add (local.get $jb) (i32.const 8))) (br $jloop))))`;
}

/**
 * The module: `gemm` and `pack` over an imported memory (the tfjs wasm backend's heap, so tensors are used
 * in place). `shared` must match that memory (the threaded backend's is shared); `relaxed` uses relaxed SIMD's
 * fused multiply-add, which engines without relaxed SIMD reject at validation.
 */
export function gemmWat({ relaxed, shared }) {
  const locals = ['$jb i32', '$i i32', '$k i32', '$panel i32', '$p i32', '$cr i32', '$ldcb i32', '$full i32', '$left i32', '$av v128', '$b0 v128', '$b1 v128'];
  for (let q = 0; q < MR; q++) locals.push(`$r${q} i32`, `$c${q}a v128`, `$c${q}b v128`);
  return `(module
  (import "env" "memory" (memory 0 ${shared ? '65536 shared' : ''}))
  ;; C[i, j] (+)= Σ_k A(i, k)·P(k, j) for i < M, j < N, where A(i, k) is the f32 at a + i·sI + k·sK (byte
  ;; strides, so a transposed A needs no copy), P is B packed by pack(), and C is row-major with ldc floats per
  ;; row. acc ≠ 0 adds to C's values instead of overwriting them.
  (func (export "gemm") (param $a i32) (param $sI i32) (param $sK i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    ${gemmBody(locals, relaxed, false)}
  ;; The same summed over taps t < taps: A(i, k) of tap t at a + offs[t] + i·sI + k·sK (offs: taps i32 byte
  ;; offsets), P of tap t packed at bp + t·tapBytes. A convolution as one GEMM over all its taps.
  (func (export "gemmTaps") (param $a i32) (param $sI i32) (param $sK i32) (param $offs i32) (param $taps i32) (param $bp i32) (param $tapBytes i32) (param $c i32) (param $ldc i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    ${gemmBody([...locals, '$t i32'], relaxed, true)}
  ;; Column totals of a rows × cols f32 matrix at x (cols a multiple of 4) into cols f64 at dst: blocks of 256
  ;; rows summed in f32 lanes (in L1, one pass), each block's sums then added in f64.
  (func (export "columnSum") (param $x i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $r0 i32) (local $r1 i32) (local $c i32) (local $p i32) (local $r i32) (local $d i32) (local $acc v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $zdone (loop $zloop (br_if $zdone (i32.ge_u (local.get $c) (local.get $cols)))
      (f64.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 3))) (f64.const 0))
      (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $zloop)))
    (block $bdone (loop $bloop (br_if $bdone (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (select (i32.add (local.get $r0) (i32.const 256)) (local.get $rows) (i32.lt_u (i32.add (local.get $r0) (i32.const 256)) (local.get $rows))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (local.set $r (local.get $r0))
        (block $rdone (loop $rloop (br_if $rdone (i32.ge_u (local.get $r) (local.get $r1)))
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $r (i32.add (local.get $r) (i32.const 1))) (br $rloop)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 3))))
        (v128.store (local.get $d) (f64x2.add (v128.load (local.get $d)) (f64x2.promote_low_f32x4 (local.get $acc))))
        (v128.store offset=16 (local.get $d) (f64x2.add (v128.load offset=16 (local.get $d))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc)))))
        (local.set $c (i32.add (local.get $c) (i32.const 4))) (br $cloop)))
      (local.set $r0 (local.get $r1)) (br $bloop))))
  ;; Packs B (B(k, n) at b + k·sK + n·sN, byte strides) into panels of 8 columns: dst[(n/8)·8K + 8k + n%8],
  ;; zero past column N so the microkernel never branches on the edge.
  (func (export "pack") (param $b i32) (param $sK i32) (param $sN i32) (param $K i32) (param $N i32) (param $dst i32)
    (local $jb i32) (local $k i32) (local $j i32) (local $src i32) (local $row i32)
    (block $jdone (loop $jloop (br_if $jdone (i32.ge_u (local.get $jb) (local.get $N)))
      (local.set $k (i32.const 0))
      (local.set $row (i32.add (local.get $b) (i32.mul (local.get $jb) (local.get $sN))))
      (block $kdone (loop $kloop (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
        (if (i32.and (i32.eq (local.get $sN) (i32.const 4)) (i32.le_u (i32.add (local.get $jb) (i32.const 8)) (local.get $N)))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $row)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $row))))
          (else
            (local.set $j (i32.const 0)) (local.set $src (local.get $row))
            (block $ldone (loop $lloop (br_if $ldone (i32.ge_u (local.get $j) (i32.const 8)))
              ;; Columns past N are never read: the matrix may end at the end of memory.
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
                (if (result f32) (i32.lt_u (i32.add (local.get $jb) (local.get $j)) (local.get $N))
                  (then (f32.load (local.get $src))) (else (f32.const 0))))
              (local.set $src (i32.add (local.get $src) (local.get $sN)))
              (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $lloop)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $row (i32.add (local.get $row) (local.get $sK)))
        (local.set $k (i32.add (local.get $k) (i32.const 1))) (br $kloop)))
      (local.set $jb (i32.add (local.get $jb) (i32.const 8))) (br $jloop))))
)`;
}

;; WebAssembly SIMD kernel for UMAP's nearest-neighbour search (hand-written): the float32 dot products of
;; a block of query rows with a block of training rows, the bulk of ‖q‖² + ‖t‖² − 2 q·t. The caller
;; bounds this product's rounding and re-ranks the candidates exactly (see src/block-search.ts).
;; Assemble with `pnpm --filter @latentkit/umap run build:wasm`, which writes knn-bytes.ts.
(module
  (memory (export "memory") 1)

  ;; out[i*outStride + j] = sum_f q[i*dp + f] * t[j*dp + f] for i < qCount (even) and j < tCount (a multiple
  ;; of 4); rows are float32, dp (a multiple of 4) apart. Each lane of a 2x4 tile's eight f32x4 running sums
  ;; adds dp/4 products in order; the tile's sums are then reduced lane by lane.
  ;; Loop order: one tile of four training rows (L1) meets every query pair of the block (L2) before the next.
  (func (export "dotsF32") (param $q i32) (param $qCount i32) (param $t i32) (param $tCount i32) (param $dp i32)
    (param $out i32) (param $outStride i32)
    (local $row i32) (local $i i32) (local $j i32) (local $f i32)
    (local $pq0 i32) (local $pq1 i32) (local $pt0 i32) (local $pt1 i32) (local $pt2 i32) (local $pt3 i32)
    (local $c i32) (local $x0 v128) (local $x1 v128) (local $r v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128) (local $u v128) (local $v v128)
    (local.set $row (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $doneJ
      (loop $loopJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $tCount)))
        (local.set $pt0 (i32.add (local.get $t) (i32.mul (local.get $j) (local.get $row))))
        (local.set $pt1 (i32.add (local.get $pt0) (local.get $row)))
        (local.set $pt2 (i32.add (local.get $pt1) (local.get $row)))
        (local.set $pt3 (i32.add (local.get $pt2) (local.get $row)))
        (local.set $i (i32.const 0))
        (block $doneI
          (loop $loopI
            (br_if $doneI (i32.ge_u (local.get $i) (local.get $qCount)))
            (local.set $pq0 (i32.add (local.get $q) (i32.mul (local.get $i) (local.get $row))))
            (local.set $pq1 (i32.add (local.get $pq0) (local.get $row)))
            (local.set $s00 (v128.const f32x4 0 0 0 0)) (local.set $s01 (v128.const f32x4 0 0 0 0))
            (local.set $s02 (v128.const f32x4 0 0 0 0)) (local.set $s03 (v128.const f32x4 0 0 0 0))
            (local.set $s10 (v128.const f32x4 0 0 0 0)) (local.set $s11 (v128.const f32x4 0 0 0 0))
            (local.set $s12 (v128.const f32x4 0 0 0 0)) (local.set $s13 (v128.const f32x4 0 0 0 0))
            (local.set $f (i32.const 0))
            (block $doneF
              (loop $loopF
                (br_if $doneF (i32.ge_u (local.get $f) (local.get $row)))
                (local.set $x0 (v128.load (i32.add (local.get $pq0) (local.get $f))))
                (local.set $x1 (v128.load (i32.add (local.get $pq1) (local.get $f))))
                (local.set $r (v128.load (i32.add (local.get $pt0) (local.get $f))))
                (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x0) (local.get $r))))
                (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pt1) (local.get $f))))
                (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x0) (local.get $r))))
                (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pt2) (local.get $f))))
                (local.set $s02 (f32x4.add (local.get $s02) (f32x4.mul (local.get $x0) (local.get $r))))
                (local.set $s12 (f32x4.add (local.get $s12) (f32x4.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pt3) (local.get $f))))
                (local.set $s03 (f32x4.add (local.get $s03) (f32x4.mul (local.get $x0) (local.get $r))))
                (local.set $s13 (f32x4.add (local.get $s13) (f32x4.mul (local.get $x1) (local.get $r))))
                (local.set $f (i32.add (local.get $f) (i32.const 16)))
                (br $loopF)))
            ;; c = out + 4*(i*outStride + j): this tile's first cell; query i+1's row is 4*outStride further.
            ;; Four sums [a, b, c, d] reduce to [Σa, Σb, Σc, Σd] by two rounds of pairwise lane adds.
            (local.set $c (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $outStride)) (local.get $j)) (i32.const 2))))
            (local.set $u (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s00) (local.get $s01))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s00) (local.get $s01))))
            (local.set $v (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s02) (local.get $s03))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s02) (local.get $s03))))
            (v128.store (local.get $c) (f32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v))))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $outStride) (i32.const 2))))
            (local.set $u (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s10) (local.get $s11))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s10) (local.get $s11))))
            (local.set $v (f32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s12) (local.get $s13))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s12) (local.get $s13))))
            (v128.store (local.get $c) (f32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $loopI)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $loopJ))))
)

;; WebAssembly SIMD kernels for PCA (hand-written): Gram sums for the covariance pass, and the
;; float64 scores of the sign rule.
;; Assemble with `pnpm --filter @latentkit/pca run build:wasm`, which writes gram-bytes.ts.
;;
;; Both take a feature-major block (one feature's `w` samples contiguous, features padded to `dp`, a
;; multiple of 4) and add sum_i blk[a,i]*blk[b,i] into the float64 dpxdp matrix at `acc` for every even a
;; and every b from floor(a/4)*4 up: the upper triangle, computed as 2x4 tiles of running dot products.
(module
  (memory (export "memory") 1)

  ;; int16 samples (8-bit data), w a multiple of 8. i32x4.dot_i16x8_s is exact; a tile's int32 sums
  ;; stay exact while w*2*255^2 < 2^31 (w <= 16384), then go into float64 exactly.
  (func (export "gramI16") (param $blk i32) (param $dp i32) (param $w i32) (param $acc i32)
    (local $row i32) (local $a i32) (local $b i32) (local $i i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local $c i32)
    (local $x0 v128) (local $x1 v128) (local $r v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $row (i32.shl (local.get $w) (i32.const 1)))
    (local.set $a (i32.const 0))
    (block $doneA
      (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $a) (local.get $dp)))
        (local.set $pa0 (i32.add (local.get $blk) (i32.mul (local.get $a) (local.get $row))))
        (local.set $pa1 (i32.add (local.get $pa0) (local.get $row)))
        (local.set $b (i32.and (local.get $a) (i32.const -4)))
        (block $doneB
          (loop $loopB
            (br_if $doneB (i32.ge_u (local.get $b) (local.get $dp)))
            (local.set $pb0 (i32.add (local.get $blk) (i32.mul (local.get $b) (local.get $row))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $row)))
            (local.set $pb2 (i32.add (local.get $pb1) (local.get $row)))
            (local.set $pb3 (i32.add (local.get $pb2) (local.get $row)))
            (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
            (local.set $s02 (v128.const i32x4 0 0 0 0)) (local.set $s03 (v128.const i32x4 0 0 0 0))
            (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
            (local.set $s12 (v128.const i32x4 0 0 0 0)) (local.set $s13 (v128.const i32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $doneI
              (loop $loopI
                (br_if $doneI (i32.ge_u (local.get $i) (local.get $row)))
                (local.set $x0 (v128.load (i32.add (local.get $pa0) (local.get $i))))
                (local.set $x1 (v128.load (i32.add (local.get $pa1) (local.get $i))))
                (local.set $r (v128.load (i32.add (local.get $pb0) (local.get $i))))
                (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb1) (local.get $i))))
                (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb2) (local.get $i))))
                (local.set $s02 (i32x4.add (local.get $s02) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s12 (i32x4.add (local.get $s12) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb3) (local.get $i))))
                (local.set $s03 (i32x4.add (local.get $s03) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s13 (i32x4.add (local.get $s13) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $loopI)))
            ;; c = acc + 8*(a*dp + b): this tile's first cell; row a+1 is 8*dp bytes further.
            (local.set $c (i32.add (local.get $acc)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $dp)) (local.get $b)) (i32.const 3))))
            (call $addI32 (local.get $c) (local.get $s00))
            (call $addI32 (i32.add (local.get $c) (i32.const 8)) (local.get $s01))
            (call $addI32 (i32.add (local.get $c) (i32.const 16)) (local.get $s02))
            (call $addI32 (i32.add (local.get $c) (i32.const 24)) (local.get $s03))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $dp) (i32.const 3))))
            (call $addI32 (local.get $c) (local.get $s10))
            (call $addI32 (i32.add (local.get $c) (i32.const 8)) (local.get $s11))
            (call $addI32 (i32.add (local.get $c) (i32.const 16)) (local.get $s12))
            (call $addI32 (i32.add (local.get $c) (i32.const 24)) (local.get $s13))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $loopB)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $loopA))))

  ;; float64 samples (centred data), w even: the same tiles with f64x2 products and sums.
  (func (export "gramF64") (param $blk i32) (param $dp i32) (param $w i32) (param $acc i32)
    (local $row i32) (local $a i32) (local $b i32) (local $i i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local $c i32)
    (local $x0 v128) (local $x1 v128) (local $r v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $row (i32.shl (local.get $w) (i32.const 3)))
    (local.set $a (i32.const 0))
    (block $doneA
      (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $a) (local.get $dp)))
        (local.set $pa0 (i32.add (local.get $blk) (i32.mul (local.get $a) (local.get $row))))
        (local.set $pa1 (i32.add (local.get $pa0) (local.get $row)))
        (local.set $b (i32.and (local.get $a) (i32.const -4)))
        (block $doneB
          (loop $loopB
            (br_if $doneB (i32.ge_u (local.get $b) (local.get $dp)))
            (local.set $pb0 (i32.add (local.get $blk) (i32.mul (local.get $b) (local.get $row))))
            (local.set $pb1 (i32.add (local.get $pb0) (local.get $row)))
            (local.set $pb2 (i32.add (local.get $pb1) (local.get $row)))
            (local.set $pb3 (i32.add (local.get $pb2) (local.get $row)))
            (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s02 (v128.const f64x2 0 0)) (local.set $s03 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
            (local.set $s12 (v128.const f64x2 0 0)) (local.set $s13 (v128.const f64x2 0 0))
            (local.set $i (i32.const 0))
            (block $doneI
              (loop $loopI
                (br_if $doneI (i32.ge_u (local.get $i) (local.get $row)))
                (local.set $x0 (v128.load (i32.add (local.get $pa0) (local.get $i))))
                (local.set $x1 (v128.load (i32.add (local.get $pa1) (local.get $i))))
                (local.set $r (v128.load (i32.add (local.get $pb0) (local.get $i))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $r))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb1) (local.get $i))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $r))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb2) (local.get $i))))
                (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $r))))
                (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $r))))
                (local.set $r (v128.load (i32.add (local.get $pb3) (local.get $i))))
                (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $r))))
                (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $r))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $loopI)))
            (local.set $c (i32.add (local.get $acc)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $dp)) (local.get $b)) (i32.const 3))))
            (call $addF64 (local.get $c) (local.get $s00))
            (call $addF64 (i32.add (local.get $c) (i32.const 8)) (local.get $s01))
            (call $addF64 (i32.add (local.get $c) (i32.const 16)) (local.get $s02))
            (call $addF64 (i32.add (local.get $c) (i32.const 24)) (local.get $s03))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $dp) (i32.const 3))))
            (call $addF64 (local.get $c) (local.get $s10))
            (call $addF64 (i32.add (local.get $c) (i32.const 8)) (local.get $s11))
            (call $addF64 (i32.add (local.get $c) (i32.const 16)) (local.get $s12))
            (call $addF64 (i32.add (local.get $c) (i32.const 24)) (local.get $s13))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $loopB)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $loopA))))

  ;; Transposes `count` float32 rows (`cols` each, row-major at src) into the feature-major int16 block at
  ;; dst (feature j's samples at dst + j*width*2): round(value*scale), exact for 8-bit data. Adds each
  ;; feature's integers to the int32 sums at `sums` (exact below 2^31 / 255 rows).
  (func (export "packI16") (param $src i32) (param $cols i32) (param $count i32) (param $width i32)
    (param $scale f32) (param $dst i32) (param $sums i32)
    (local $i i32) (local $j i32) (local $p i32) (local $d i32) (local $s i32) (local $q i32) (local $row i32)
    (local.set $row (i32.shl (local.get $width) (i32.const 1)))
    (local.set $p (local.get $src))
    (local.set $i (i32.const 0))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1))))
        (local.set $s (local.get $sums))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $q (i32.trunc_f32_s (f32.nearest (f32.mul (f32.load (local.get $p)) (local.get $scale)))))
            (i32.store16 (local.get $d) (local.get $q))
            (i32.store (local.get $s) (i32.add (i32.load (local.get $s)) (local.get $q)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (local.get $row)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; Transposes `count` float32 rows into the feature-major float64 block at dst, minus the float64 mean
  ;; at `mean` (one per feature).
  (func (export "packF64") (param $src i32) (param $cols i32) (param $count i32) (param $width i32)
    (param $mean i32) (param $dst i32)
    (local $i i32) (local $j i32) (local $p i32) (local $d i32) (local $m i32) (local $row i32)
    (local.set $row (i32.shl (local.get $width) (i32.const 3)))
    (local.set $p (local.get $src))
    (local.set $i (i32.const 0))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $m (local.get $mean))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (f64.store (local.get $d) (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (f64.load (local.get $m))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (local.get $row)))
            (local.set $m (i32.add (local.get $m) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; Scores for the sign rule: out[i*kp + c] = sum_j src[i*cols + j] * compT[j*kp + c] for `count` float32
  ;; rows, in float64, j in order (zero entries skipped: they add nothing). kp (components) is even.
  (func (export "scoresF64") (param $src i32) (param $cols i32) (param $count i32) (param $compT i32)
    (param $kp i32) (param $out i32)
    (local $i i32) (local $j i32) (local $c i32) (local $p i32) (local $o i32) (local $t i32) (local $rowBytes i32)
    (local $x f32) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $p (local.get $src))
    (local.set $o (local.get $out))
    (local.set $i (i32.const 0))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $c (i32.const 0))
        (block $doneZ
          (loop $loopZ
            (br_if $doneZ (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $o) (local.get $c)) (v128.const f64x2 0 0))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $loopZ)))
        (local.set $t (local.get $compT))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $x (f32.load (local.get $p)))
            (if (f32.ne (local.get $x) (f32.const 0))
              (then
                (local.set $v (f64x2.splat (f64.promote_f32 (local.get $x))))
                (local.set $c (i32.const 0))
                (block $doneC
                  (loop $loopC
                    (br_if $doneC (i32.ge_u (local.get $c) (local.get $rowBytes)))
                    (v128.store (i32.add (local.get $o) (local.get $c))
                      (f64x2.add (v128.load (i32.add (local.get $o) (local.get $c)))
                        (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $t) (local.get $c))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 16)))
                    (br $loopC)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; mem[p] += the four int32 lanes of s, summed exactly in int32 then widened.
  (func $addI32 (param $p i32) (param $s v128)
    (f64.store (local.get $p)
      (f64.add (f64.load (local.get $p))
        (f64.convert_i32_s
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $s)))
            (i32.add (i32x4.extract_lane 2 (local.get $s)) (i32x4.extract_lane 3 (local.get $s))))))))

  ;; mem[p] += lane 0 + lane 1 of s.
  (func $addF64 (param $p i32) (param $s v128)
    (f64.store (local.get $p)
      (f64.add (f64.load (local.get $p))
        (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))))
)

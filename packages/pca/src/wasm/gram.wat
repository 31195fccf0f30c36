;; WebAssembly SIMD kernels for PCA (hand-written): Gram sums for the covariance pass, the float64
;; scores of the sign rule, and the float64 matrix product of the randomized eigensolver.
;; Assemble with `pnpm --filter @latentkit/pca run build:wasm`, which writes gram-bytes.ts.
;;
;; Both Gram kernels take a block of `w` samples of `dp` features (dp a multiple of 4) and add
;; sum_i blk[a,i]*blk[b,i] into the float64 dpxdp matrix at `acc` for every even a and every b from
;; floor(a/4)*4 up: the upper triangle, computed as 2x4 tiles of running dot products. gramF64's block is
;; feature-major (one feature's samples contiguous); gramI16's is grouped by four features (see packI16).
(module
  (memory (export "memory") 1)

  ;; int16 samples (8-bit data) in groups of four features (see packI16: within a group, 64-byte steps
  ;; of eight samples of each of its four features), w a multiple of 16. i32x4.dot_i16x8_s is exact; a
  ;; tile's int32 sums stay exact while w*2*255^2 < 2^31 (w <= 16384), then go into float64 exactly.
  ;; A tile's six streams are two: its row pair's group and its column quad's group, read with constant offsets.
  (func (export "gramI16") (param $blk i32) (param $dp i32) (param $w i32) (param $acc i32)
    (local $gs i32) (local $a i32) (local $b i32) (local $paStart i32) (local $pa i32) (local $pb i32) (local $end i32)
    (local $c i32)
    (local $x0 v128) (local $x1 v128) (local $r v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128) (local $u v128) (local $v v128)
    (local.set $gs (i32.shl (local.get $w) (i32.const 3)))
    (local.set $a (i32.const 0))
    (block $doneA
      (loop $loopA
        (br_if $doneA (i32.ge_u (local.get $a) (local.get $dp)))
        (local.set $paStart (i32.add (local.get $blk)
          (i32.add (i32.mul (i32.shr_u (local.get $a) (i32.const 2)) (local.get $gs))
            (i32.shl (i32.and (local.get $a) (i32.const 3)) (i32.const 4)))))
        (local.set $b (i32.and (local.get $a) (i32.const -4)))
        (block $doneB
          (loop $loopB
            (br_if $doneB (i32.ge_u (local.get $b) (local.get $dp)))
            (local.set $pa (local.get $paStart))
            (local.set $end (i32.add (local.get $paStart) (local.get $gs)))
            (local.set $pb (i32.add (local.get $blk) (i32.mul (i32.shr_u (local.get $b) (i32.const 2)) (local.get $gs))))
            (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
            (local.set $s02 (v128.const i32x4 0 0 0 0)) (local.set $s03 (v128.const i32x4 0 0 0 0))
            (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
            (local.set $s12 (v128.const i32x4 0 0 0 0)) (local.set $s13 (v128.const i32x4 0 0 0 0))
            (block $doneI
              (loop $loopI
                (br_if $doneI (i32.ge_u (local.get $pa) (local.get $end)))
                (local.set $x0 (v128.load offset=0 (local.get $pa)))
                (local.set $x1 (v128.load offset=16 (local.get $pa)))
                (local.set $r (v128.load offset=0 (local.get $pb)))
                (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=16 (local.get $pb)))
                (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=32 (local.get $pb)))
                (local.set $s02 (i32x4.add (local.get $s02) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s12 (i32x4.add (local.get $s12) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=48 (local.get $pb)))
                (local.set $s03 (i32x4.add (local.get $s03) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s13 (i32x4.add (local.get $s13) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $x0 (v128.load offset=64 (local.get $pa)))
                (local.set $x1 (v128.load offset=80 (local.get $pa)))
                (local.set $r (v128.load offset=64 (local.get $pb)))
                (local.set $s00 (i32x4.add (local.get $s00) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s10 (i32x4.add (local.get $s10) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=80 (local.get $pb)))
                (local.set $s01 (i32x4.add (local.get $s01) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s11 (i32x4.add (local.get $s11) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=96 (local.get $pb)))
                (local.set $s02 (i32x4.add (local.get $s02) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s12 (i32x4.add (local.get $s12) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $r (v128.load offset=112 (local.get $pb)))
                (local.set $s03 (i32x4.add (local.get $s03) (i32x4.dot_i16x8_s (local.get $x0) (local.get $r))))
                (local.set $s13 (i32x4.add (local.get $s13) (i32x4.dot_i16x8_s (local.get $x1) (local.get $r))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 128)))
                (local.set $pb (i32.add (local.get $pb) (i32.const 128)))
                (br $loopI)))
            ;; c = acc + 8*(a*dp + b): this tile's first cell; row a+1 is 8*dp bytes further.
            (local.set $c (i32.add (local.get $acc)
              (i32.shl (i32.add (i32.mul (local.get $a) (local.get $dp)) (local.get $b)) (i32.const 3))))
            ;; The tile row's four lane sums reduced in SIMD and added as float64, inline (see the note by
            ;; $addF64x2: V8 does not inline calls between WebAssembly functions; this runs once per tile row).
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s00) (local.get $s01))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s00) (local.get $s01))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s02) (local.get $s03))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s02) (local.get $s03))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v))))
            (v128.store (local.get $c)
              (f64x2.add (v128.load (local.get $c)) (f64x2.convert_low_i32x4_s (local.get $u))))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.load offset=16 (local.get $c))
                (f64x2.convert_low_i32x4_s
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u) (local.get $u)))))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $dp) (i32.const 3))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s10) (local.get $s11))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s10) (local.get $s11))))
            (local.set $v (i32x4.add
              (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $s12) (local.get $s13))
              (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $s12) (local.get $s13))))
            (local.set $u (i32x4.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $u) (local.get $v))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $u) (local.get $v))))
            (v128.store (local.get $c)
              (f64x2.add (v128.load (local.get $c)) (f64x2.convert_low_i32x4_s (local.get $u))))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.load offset=16 (local.get $c))
                (f64x2.convert_low_i32x4_s
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $u) (local.get $u)))))
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
            (call $addF64x2 (local.get $c) (local.get $s00) (local.get $s01))
            (call $addF64x2 (i32.add (local.get $c) (i32.const 16)) (local.get $s02) (local.get $s03))
            (local.set $c (i32.add (local.get $c) (i32.shl (local.get $dp) (i32.const 3))))
            (call $addF64x2 (local.get $c) (local.get $s10) (local.get $s11))
            (call $addF64x2 (i32.add (local.get $c) (i32.const 16)) (local.get $s12) (local.get $s13))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $loopB)))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (br $loopA))))

  ;; Transposes `count` float32 rows (`cols` each, row-major at src) into gramI16's int16 block at dst:
  ;; features in groups of four (group g at dst + g*width*8), each group in 64-byte steps holding eight
  ;; samples of each of its features (sample i of feature 4g+f at + (i>>3)*64 + f*16 + (i&7)*2). Values
  ;; are round(value*scale); each feature's integers are added to the int32 sums at `sums` (exact below
  ;; 2^31 / 255 rows). Returns 1 when every value was an integer 0..255 divided by `scale` (byteScaledPrefix's
  ;; test), else 0: then the block and sums are meaningless. Eight rows by four features at a time become one
  ;; 64-byte line through a SIMD transpose; the rows and features left over go one value at a time.
  (func (export "packI16") (param $src i32) (param $cols i32) (param $count i32) (param $width i32)
    (param $scale f32) (param $dst i32) (param $sums i32) (result i32)
    (local $i i32) (local $j i32) (local $p i32) (local $pr i32) (local $d i32) (local $s i32) (local $q i32)
    (local $gs i32) (local $cols4 i32) (local $count8 i32) (local $rowBytes i32) (local $good i32) (local $x f32)
    (local $scale4 v128) (local $ok v128) (local $v v128) (local $t v128) (local $u v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $q4 v128) (local $q5 v128) (local $q6 v128) (local $q7 v128)
    (local.set $gs (i32.shl (local.get $width) (i32.const 3)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $count8 (i32.and (local.get $count) (i32.const -8)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $scale4 (f32x4.splat (local.get $scale)))
    (local.set $ok (v128.const i32x4 -1 -1 -1 -1))
    (local.set $good (i32.const 1))
    (local.set $i (i32.const 0))
    (block $doneI8
      (loop $loopI8
        (br_if $doneI8 (i32.ge_u (local.get $i) (local.get $count8)))
        (local.set $p (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.shr_u (local.get $i) (i32.const 3)) (i32.const 6))))
        (local.set $s (local.get $sums))
        (local.set $j (i32.const 0))
        (block $doneJ4
          (loop $loopJ4
            (br_if $doneJ4 (i32.ge_u (local.get $j) (local.get $cols4)))
            (local.set $pr (local.get $p))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q0 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q0) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q0)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q1 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q1) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q1)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q2 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q2) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q2)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q3 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q3) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q3)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q4 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q4) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q4)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q5 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q5) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q5)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q6 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q6) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q6)) (local.get $scale4)) (local.get $v)))))
            (local.set $pr (i32.add (local.get $pr) (local.get $rowBytes)))
            (local.set $v (v128.load (local.get $pr)))
            (local.set $q7 (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $scale4)))))
            (local.set $ok (v128.and (local.get $ok) (v128.and
              (i32x4.le_u (local.get $q7) (i32x4.splat (i32.const 255)))
              (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q7)) (local.get $scale4)) (local.get $v)))))
            (v128.store (local.get $s) (i32x4.add (v128.load (local.get $s))
              (i32x4.add (i32x4.add (i32x4.add (local.get $q0) (local.get $q1)) (i32x4.add (local.get $q2) (local.get $q3)))
                (i32x4.add (i32x4.add (local.get $q4) (local.get $q5)) (i32x4.add (local.get $q6) (local.get $q7))))))
            ;; Rows two by two as int16 (row r's four features, then row r+1's), then transposed.
            (local.set $q0 (i16x8.narrow_i32x4_s (local.get $q0) (local.get $q1)))
            (local.set $q2 (i16x8.narrow_i32x4_s (local.get $q2) (local.get $q3)))
            (local.set $q4 (i16x8.narrow_i32x4_s (local.get $q4) (local.get $q5)))
            (local.set $q6 (i16x8.narrow_i32x4_s (local.get $q6) (local.get $q7)))
            (local.set $t (i8x16.shuffle 0 1 8 9 16 17 24 25 2 3 10 11 18 19 26 27 (local.get $q0) (local.get $q2)))
            (local.set $u (i8x16.shuffle 0 1 8 9 16 17 24 25 2 3 10 11 18 19 26 27 (local.get $q4) (local.get $q6)))
            (local.set $q1 (i8x16.shuffle 4 5 12 13 20 21 28 29 6 7 14 15 22 23 30 31 (local.get $q0) (local.get $q2)))
            (local.set $q3 (i8x16.shuffle 4 5 12 13 20 21 28 29 6 7 14 15 22 23 30 31 (local.get $q4) (local.get $q6)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t) (local.get $u)))
            (v128.store offset=16 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t) (local.get $u)))
            (v128.store offset=32 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $q1) (local.get $q3)))
            (v128.store offset=48 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $q1) (local.get $q3)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (local.get $gs)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $loopJ4)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $loopI8)))
    ;; What the eight-by-four path left: the last features of every row, and every feature of the last rows.
    (local.set $i (i32.const 0))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $j (select (local.get $cols4) (i32.const 0) (i32.lt_u (local.get $i) (local.get $count8))))
        (local.set $p (i32.add (local.get $src) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $s (i32.add (local.get $sums) (i32.shl (local.get $j) (i32.const 2))))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $x (f32.load (local.get $p)))
            (local.set $q (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $x) (local.get $scale)))))
            (local.set $good (i32.and (local.get $good) (i32.and
              (i32.le_u (local.get $q) (i32.const 255))
              (f32.eq (f32.div (f32.convert_i32_s (local.get $q)) (local.get $scale)) (local.get $x)))))
            (i32.store16 (i32.add (local.get $dst)
              (i32.add (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $gs))
                  (i32.shl (i32.and (local.get $j) (i32.const 3)) (i32.const 4)))
                (i32.add (i32.shl (i32.shr_u (local.get $i) (i32.const 3)) (i32.const 6))
                  (i32.shl (i32.and (local.get $i) (i32.const 7)) (i32.const 1)))))
              (local.get $q))
            (i32.store (local.get $s) (i32.add (i32.load (local.get $s)) (local.get $q)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI)))
    (i32.and (local.get $good) (i32x4.all_true (local.get $ok))))

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
  ;; rows, in float64, j in order. kp (components) is even. Two rows and eight components at a time are
  ;; summed in registers (then single rows, two components at a time, for the rest), so the running sums
  ;; never go through memory and each component load serves two rows. Zero entries add a zero product, which
  ;; leaves a sum unchanged (a sum that starts at +0 is never -0): the eight-wide loops do not branch on them
  ;; (mispredicted branches cost more than the products); the narrow one skips them.
  (func (export "scoresF64") (param $src i32) (param $cols i32) (param $count i32) (param $compT i32)
    (param $kp i32) (param $out i32)
    (local $i i32) (local $p i32) (local $o i32) (local $rowBytes i32) (local $srcRow i32) (local $c i32)
    (local.set $rowBytes (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $srcRow (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $p (local.get $src))
    (local.set $o (local.get $out))
    (local.set $i (i32.const 0))
    (block $donePairs
      (loop $loopPairs
        (br_if $donePairs (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $count)))
        (local.set $c (call $scorePairWide (local.get $p) (local.get $cols) (local.get $compT) (local.get $rowBytes) (local.get $o)))
        (call $scoreRowFrom (local.get $p) (local.get $cols) (local.get $compT) (local.get $rowBytes) (local.get $o) (local.get $c))
        (call $scoreRowFrom (i32.add (local.get $p) (local.get $srcRow)) (local.get $cols) (local.get $compT) (local.get $rowBytes)
          (i32.add (local.get $o) (local.get $rowBytes)) (local.get $c))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $srcRow) (i32.const 1))))
        (local.set $o (i32.add (local.get $o) (i32.shl (local.get $rowBytes) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $loopPairs)))
    (if (i32.lt_u (local.get $i) (local.get $count))
      (then (call $scoreRowFrom (local.get $p) (local.get $cols) (local.get $compT) (local.get $rowBytes) (local.get $o) (i32.const 0)))))

  ;; scoresF64's eight-wide groups for the rows at p and p + cols*4 (scores at o and o + rowBytes); returns
  ;; the byte offset where the groups stopped (the narrow rest is left to $scoreRowFrom).
  (func $scorePairWide (param $p i32) (param $cols i32) (param $compT i32) (param $rowBytes i32) (param $o i32) (result i32)
    (local $c i32) (local $j i32) (local $q i32) (local $t i32) (local $srcRow i32) (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $m v128)
    (local.set $srcRow (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $doneWide
      (loop $loopWide
        (br_if $doneWide (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
        (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0)) (local.set $a3 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
        (local.set $b2 (v128.const f64x2 0 0)) (local.set $b3 (v128.const f64x2 0 0))
        (local.set $q (local.get $p))
        (local.set $t (i32.add (local.get $compT) (local.get $c)))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $va (f64x2.splat (f64.promote_f32 (f32.load (local.get $q)))))
            (local.set $vb (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $q) (local.get $srcRow))))))
            (local.set $m (v128.load (local.get $t)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $m))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $m))))
            (local.set $m (v128.load offset=16 (local.get $t)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $m))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $m))))
            (local.set $m (v128.load offset=32 (local.get $t)))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $va) (local.get $m))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $vb) (local.get $m))))
            (local.set $m (v128.load offset=48 (local.get $t)))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $va) (local.get $m))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $vb) (local.get $m))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (v128.store (i32.add (local.get $o) (local.get $c)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $o) (local.get $c)) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $o) (local.get $c)) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $o) (local.get $c)) (local.get $a3))
        (local.set $t (i32.add (i32.add (local.get $o) (local.get $rowBytes)) (local.get $c)))
        (v128.store (local.get $t) (local.get $b0))
        (v128.store offset=16 (local.get $t) (local.get $b1))
        (v128.store offset=32 (local.get $t) (local.get $b2))
        (v128.store offset=48 (local.get $t) (local.get $b3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $loopWide)))
    (local.get $c))

  ;; scoresF64 for one row (at p, scores at o) from byte offset c: eight-wide groups, then pairs.
  (func $scoreRowFrom (param $p i32) (param $cols i32) (param $compT i32) (param $rowBytes i32) (param $o i32) (param $c i32)
    (local $j i32) (local $q i32) (local $t i32) (local $x f32) (local $v v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (block $doneWide
      (loop $loopWide
        (br_if $doneWide (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
        (local.set $s0 (v128.const f64x2 0 0)) (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0)) (local.set $s3 (v128.const f64x2 0 0))
        (local.set $q (local.get $p))
        (local.set $t (i32.add (local.get $compT) (local.get $c)))
        (local.set $j (i32.const 0))
        (block $doneJ
          (loop $loopJ
            (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $v (f64x2.splat (f64.promote_f32 (f32.load (local.get $q)))))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $t)))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ)))
        (v128.store (i32.add (local.get $o) (local.get $c)) (local.get $s0))
        (v128.store offset=16 (i32.add (local.get $o) (local.get $c)) (local.get $s1))
        (v128.store offset=32 (i32.add (local.get $o) (local.get $c)) (local.get $s2))
        (v128.store offset=48 (i32.add (local.get $o) (local.get $c)) (local.get $s3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $loopWide)))
    (block $doneNarrow
      (loop $loopNarrow
        (br_if $doneNarrow (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $q (local.get $p))
        (local.set $t (i32.add (local.get $compT) (local.get $c)))
        (local.set $j (i32.const 0))
        (block $doneJ2
          (loop $loopJ2
            (br_if $doneJ2 (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $x (f32.load (local.get $q)))
            (if (f32.ne (local.get $x) (f32.const 0))
              (then
                (local.set $s0 (f64x2.add (local.get $s0)
                  (f64x2.mul (f64x2.splat (f64.promote_f32 (local.get $x))) (v128.load (local.get $t)))))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loopJ2)))
        (v128.store (i32.add (local.get $o) (local.get $c)) (local.get $s0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $loopNarrow))))

  ;; float64 product: out[i*kp + c] = sum_j src[i*cols + j] * m[j*kp + c] for `count` float64 rows (row-major
  ;; at src) and m (cols x kp, kp even), j in order. The randomized eigensolver's C*Q. Same tiling as scoresF64.
  (func (export "rowsTimesF64") (param $src i32) (param $cols i32) (param $count i32) (param $m i32)
    (param $kp i32) (param $out i32)
    (local $i i32) (local $j i32) (local $c i32) (local $p i32) (local $o i32) (local $t i32) (local $rowBytes i32)
    (local $end i32) (local $v v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $rowBytes (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $o (local.get $out))
    (local.set $i (i32.const 0))
    (block $doneI
      (loop $loopI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $end (i32.add (local.get $src) (i32.mul (i32.add (local.get $i) (i32.const 1)) (i32.shl (local.get $cols) (i32.const 3)))))
        (local.set $c (i32.const 0))
        (block $doneWide
          (loop $loopWide
            (br_if $doneWide (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
            (local.set $s0 (v128.const f64x2 0 0)) (local.set $s1 (v128.const f64x2 0 0))
            (local.set $s2 (v128.const f64x2 0 0)) (local.set $s3 (v128.const f64x2 0 0))
            (local.set $p (i32.sub (local.get $end) (i32.shl (local.get $cols) (i32.const 3))))
            (local.set $t (i32.add (local.get $m) (local.get $c)))
            (block $doneJ
              (loop $loopJ
                (br_if $doneJ (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $v (v128.load64_splat (local.get $p)))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $v) (v128.load (local.get $t)))))
                (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
                (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
                (br $loopJ)))
            (v128.store (i32.add (local.get $o) (local.get $c)) (local.get $s0))
            (v128.store offset=16 (i32.add (local.get $o) (local.get $c)) (local.get $s1))
            (v128.store offset=32 (i32.add (local.get $o) (local.get $c)) (local.get $s2))
            (v128.store offset=48 (i32.add (local.get $o) (local.get $c)) (local.get $s3))
            (local.set $c (i32.add (local.get $c) (i32.const 64)))
            (br $loopWide)))
        (block $doneNarrow
          (loop $loopNarrow
            (br_if $doneNarrow (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (local.set $s0 (v128.const f64x2 0 0))
            (local.set $p (i32.sub (local.get $end) (i32.shl (local.get $cols) (i32.const 3))))
            (local.set $t (i32.add (local.get $m) (local.get $c)))
            (block $doneJ2
              (loop $loopJ2
                (br_if $doneJ2 (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load64_splat (local.get $p)) (v128.load (local.get $t)))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
                (br $loopJ2)))
            (v128.store (i32.add (local.get $o) (local.get $c)) (local.get $s0))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $loopNarrow)))
        (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopI))))

  ;; Screening scores for the sign rule, in float32: out[i*kp + c] = sum_j src[i*cols + j] * compT[j*kp + c]
  ;; (float32 rows, float32 components cols x kp, kp a multiple of 8), summed in float32 with j in order, so a
  ;; score's rounding error is bounded as for any sequential sum (see sign-scores.ts). Two rows and eight
  ;; components at a time, the running sums in registers; a last odd row alone.
  (func (export "scoresF32") (param $src i32) (param $cols i32) (param $count i32) (param $compT i32)
    (param $kp i32) (param $out i32)
    (local $i i32) (local $g i32) (local $j i32) (local $p0 i32) (local $p1 i32) (local $m i32) (local $o i32)
    (local $rowBytes i32) (local $kpBytes i32) (local $two i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $c0 v128) (local $c1 v128)
    (local $x0 v128) (local $x1 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $kpBytes (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $doneRows
      (loop $loopRows
        (br_if $doneRows (i32.ge_u (local.get $i) (local.get $count)))
        ;; Two rows, or the last one alone (its partner's pointer then repeats it; only its sums are stored).
        (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $count)))
        (local.set $g (i32.const 0))
        (block $doneG
          (loop $loopG
            (br_if $doneG (i32.ge_u (local.get $g) (local.get $kp)))
            (local.set $p0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $p1 (select (i32.add (local.get $p0) (local.get $rowBytes)) (local.get $p0) (local.get $two)))
            (local.set $m (i32.add (local.get $compT) (i32.shl (local.get $g) (i32.const 2))))
            (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $b0 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $doneJ
              (loop $loopJ
                (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))
                (local.set $c0 (v128.load (local.get $m)))
                (local.set $c1 (v128.load offset=16 (local.get $m)))
                (local.set $x0 (v128.load32_splat (local.get $p0)))
                (local.set $x1 (v128.load32_splat (local.get $p1)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x0) (local.get $c0))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x0) (local.get $c1))))
                (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $x1) (local.get $c0))))
                (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $x1) (local.get $c1))))
                (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
                (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
                (local.set $m (i32.add (local.get $m) (local.get $kpBytes)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $loopJ)))
            (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $kp)) (local.get $g)) (i32.const 2))))
            (v128.store (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (if (local.get $two)
              (then
                (v128.store (i32.add (local.get $o) (local.get $kpBytes)) (local.get $b0))
                (v128.store offset=16 (i32.add (local.get $o) (local.get $kpBytes)) (local.get $b1))))
            (local.set $g (i32.add (local.get $g) (i32.const 8)))
            (br $loopG)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $loopRows))))

  ;; Squared length of each of `count` float32 rows, summed in float32 (out[i], float32): four running
  ;; sums (lane l takes columns l, l+4, ...), added lane by lane, then the last cols%4 values one by one. A
  ;; bound on the screening scores' error scales with it (see sign-scores.ts for its own rounding bound).
  (func (export "rowNormsF32") (param $src i32) (param $cols i32) (param $count i32) (param $out i32)
    (local $i i32) (local $p i32) (local $end i32) (local $v v128) (local $s v128) (local $x f32)
    (local.set $p (local.get $src))
    (local.set $i (i32.const 0))
    (block $doneRows
      (loop $loopRows
        (br_if $doneRows (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
        (local.set $s (v128.const i32x4 0 0 0 0))
        (block $done4
          (loop $loop4
            (br_if $done4 (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $loop4)))
        (local.set $x (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
          (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))
        (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $cols) (i32.const 3)) (i32.const 2))))
        (block $done1
          (loop $loop1
            (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $x (f32.add (local.get $x) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $loop1)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopRows))))

  ;; How many of the `count` float32 values at src, from the first, are integers 0..255 divided by `scale`
  ;; (1 or 255) exactly as float32 holds them: q = nearest(v*scale) must lie in 0..255 and q/scale must give v
  ;; back (NaN, infinities, negatives and fractions fail; -0 passes as 0). Four at a time; the first vector
  ;; with a failure is finished one value at a time.
  (func (export "byteScaledPrefix") (param $src i32) (param $count i32) (param $scale f32) (result i32)
    (local $i i32) (local $v v128) (local $q v128) (local $s v128) (local $x f32) (local $k i32)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $i (i32.const 0))
    (block $doneVec
      (loop $loopVec
        (br_if $doneVec (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $count)))
        (local.set $v (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $q (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (local.get $v) (local.get $s)))))
        (br_if $doneVec (i32.eqz (i32x4.all_true (v128.and
          (i32x4.le_u (local.get $q) (i32x4.splat (i32.const 255)))
          (f32x4.eq (f32x4.div (f32x4.convert_i32x4_s (local.get $q)) (local.get $s)) (local.get $v))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loopVec)))
    (block $doneOne
      (loop $loopOne
        (br_if $doneOne (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $x (f32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $k (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $x) (local.get $scale)))))
        (br_if $doneOne (i32.gt_u (local.get $k) (i32.const 255)))
        (br_if $doneOne (f32.ne (f32.div (f32.convert_i32_s (local.get $k)) (local.get $scale)) (local.get $x)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loopOne)))
    (local.get $i))

  ;; (gramI16 adds its tile sums inline: pairwise int32 adds -- exact, as a lane-by-lane sum is -- give
  ;; [sum a, sum b, sum c, sum d] for four accumulators, widened to float64 two at a time. Each cell gets the
  ;; same value added as a scalar reduction would give.)

  ;; mem[p..p+16) += [a0 + a1, b0 + b1]: the lane sums of a and b, added as lane 0 + lane 1 like a scalar sum.
  (func $addF64x2 (param $p i32) (param $a v128) (param $b v128)
    (v128.store (local.get $p)
      (f64x2.add (v128.load (local.get $p))
        (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b))))))
)

;; WebAssembly kernel for encode's per-row layout SGD (hand-written): one sampled edge of placeRow in
;; src/transform.ts -- the attraction to a neighbour, then its negative samples' repulsions -- with the same
;; float64 operations in the same order as the JavaScript loop it replaced, so codes are bit-identical:
;; differences and clipped steps two coordinates at a time (f64x2, elementwise), squared lengths summed
;; one coordinate at a time in order, pow imported from JavaScript (Math.pow), and the row's RNG --
;; @latentkit/core's xoshiro128** (createRng), state set by seedRng -- drawn here as rng.int(n) draws it.
;; Assemble with `pnpm --filter @latentkit/umap run build:wasm`, which writes place-bytes.ts.
(module
  (import "js" "pow" (func $pow (param f64 f64) (result f64)))
  (memory (export "memory") 1)
  (global $s0 (mut i32) (i32.const 0))
  (global $s1 (mut i32) (i32.const 0))
  (global $s2 (mut i32) (i32.const 0))
  (global $s3 (mut i32) (i32.const 0))

  (func (export "seedRng") (param i32 i32 i32 i32)
    (global.set $s0 (local.get 0)) (global.set $s1 (local.get 1))
    (global.set $s2 (local.get 2)) (global.set $s3 (local.get 3)))

  ;; rng.int(n) = floor(uint32() / 2^32 * n), uint32 = xoshiro128**: rotl(b*5, 7)*9, then the state update.
  (func $drawInt (export "drawInt") (param $n i32) (result i32)
    (local $result i32) (local $t i32)
    (local.set $result (i32.mul (i32.rotl (i32.mul (global.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (local.set $t (i32.shl (global.get $s1) (i32.const 9)))
    (global.set $s2 (i32.xor (global.get $s2) (global.get $s0)))
    (global.set $s3 (i32.xor (global.get $s3) (global.get $s1)))
    (global.set $s1 (i32.xor (global.get $s1) (global.get $s2)))
    (global.set $s0 (i32.xor (global.get $s0) (global.get $s3)))
    (global.set $s2 (i32.xor (global.get $s2) (local.get $t)))
    (global.set $s3 (i32.rotl (global.get $s3) (i32.const 11)))
    (i32.trunc_f64_u (f64.floor (f64.mul
      (f64.div (f64.convert_i32_u (local.get $result)) (f64.const 4294967296))
      (f64.convert_i32_u (local.get $n))))))

  ;; The layout (float32, dim per training row, dim even) lies at emb; the moving point (float64 x dim) at cur.
  ;; One sampled edge: attraction to training row `other`, then `negatives` repulsions from drawn rows.
  (func (export "sampleEdge") (param $emb i32) (param $cur i32) (param $dim i32)
    (param $other i32) (param $negatives i32) (param $rows i32) (param $a f64) (param $b f64) (param $alpha f64)
    (local $d2 f64) (local $p2 f64) (local $coef f64) (local $p i32) (local $row i32)
    (local $t i32) (local $e i32) (local $c i32) (local $g v128) (local $sq v128) (local $k v128) (local $al v128)
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $row (local.get $other))
    (local.set $p (i32.const -1))
    (block $done
      (loop $next
        ;; d2 = |cur - emb[row]|^2. The step below recomputes the differences: cur has not moved in between,
        ;; so they are the same values.
        (local.set $e (i32.add (local.get $emb) (i32.shl (i32.mul (local.get $row) (local.get $dim)) (i32.const 2))))
        (local.set $d2 (f64.const 0))
        (local.set $t (i32.const 0))
        (block $doneGap
          (loop $gap
            (br_if $doneGap (i32.ge_u (local.get $t) (local.get $dim)))
            (local.set $g (f64x2.sub
              (v128.load (i32.add (local.get $cur) (i32.shl (local.get $t) (i32.const 3))))
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $e) (i32.shl (local.get $t) (i32.const 2)))))))
            (local.set $sq (f64x2.mul (local.get $g) (local.get $g)))
            (local.set $d2 (f64.add (f64.add (local.get $d2) (f64x2.extract_lane 0 (local.get $sq))) (f64x2.extract_lane 1 (local.get $sq))))
            (local.set $t (i32.add (local.get $t) (i32.const 2)))
            (br $gap)))
        ;; The attraction (p = -1): d2 > 0 ? (-2*a*b*(p2/d2)) / (a*p2 + 1) : 0, with p2 = d2^b, always applied.
        ;; A repulsion: (2*b) / ((0.001 + d2)*(a*d2^b + 1)), skipped for a coinciding point (d2 = 0).
        (local.set $coef (f64.const 0))
        (if (i32.lt_s (local.get $p) (i32.const 0))
          (then
            (if (f64.gt (local.get $d2) (f64.const 0))
              (then
                (local.set $p2 (call $pow (local.get $d2) (local.get $b)))
                (local.set $coef (f64.div
                  (f64.mul (f64.mul (f64.mul (f64.const -2) (local.get $a)) (local.get $b)) (f64.div (local.get $p2) (local.get $d2)))
                  (f64.add (f64.mul (local.get $a) (local.get $p2)) (f64.const 1)))))))
          (else
            (if (f64.gt (local.get $d2) (f64.const 0))
              (then
                (local.set $coef (f64.div (f64.mul (f64.const 2) (local.get $b))
                  (f64.mul (f64.add (f64.const 0.001) (local.get $d2))
                    (f64.add (f64.mul (local.get $a) (call $pow (local.get $d2) (local.get $b))) (f64.const 1)))))))))
        ;; cur += alpha * max(-4, min(4, coef * (cur - emb[row]))), two coordinates at a time.
        (if (i32.or (i32.lt_s (local.get $p) (i32.const 0)) (f64.gt (local.get $d2) (f64.const 0)))
          (then
            (local.set $k (f64x2.splat (local.get $coef)))
            (local.set $t (i32.const 0))
            (block $doneStep
              (loop $step
                (br_if $doneStep (i32.ge_u (local.get $t) (local.get $dim)))
                (local.set $c (i32.add (local.get $cur) (i32.shl (local.get $t) (i32.const 3))))
                (local.set $g (f64x2.sub (v128.load (local.get $c))
                  (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $e) (i32.shl (local.get $t) (i32.const 2)))))))
                (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c))
                  (f64x2.mul (local.get $al)
                    (f64x2.max (v128.const f64x2 -4 -4) (f64x2.min (v128.const f64x2 4 4) (f64x2.mul (local.get $k) (local.get $g)))))))
                (local.set $t (i32.add (local.get $t) (i32.const 2)))
                (br $step)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $done (i32.ge_s (local.get $p) (local.get $negatives)))
        (local.set $row (call $drawInt (local.get $rows)))
        (br $next))))
)

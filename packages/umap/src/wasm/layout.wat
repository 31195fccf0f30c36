;; WebAssembly kernel for the fit's layout SGD (hand-written): one epoch of umap-js 1.4.0's
;; optimizeLayoutStep, with the same float64 operations in the same order, so the layout is bit-identical
;; to umap-js's step() loop: edges visited in umap-js's order; each sampled edge's attraction moves both
;; ends, then its negative samples' repulsions move the head; squared distances summed one coordinate at a
;; time in order; differences and clipped steps two coordinates at a time (f64x2 is elementwise, so the
;; same values), an odd last coordinate alone; pow imported from JavaScript (Math.pow); and the negative
;; samples drawn from a copy of @latentkit/core's xoshiro128** (createRng), as floor(next() * n), the way
;; umap-js's tauRandInt draws from the `random` it is given.
;; Memory (imported, sized by layout-kernel.ts): the embedding (rows x dim float64) and per edge head, tail
;; (i32) and epochsPerSample, epochOfNextSample, epochOfNextNegativeSample, epochsPerNegativeSample (f64).
;; Assemble with `pnpm --filter @latentkit/umap run build:wasm`, which writes layout-bytes.ts.
(module
  (import "js" "pow" (func $pow (param f64 f64) (result f64)))
  (import "js" "memory" (memory 1))
  (global $s0 (mut i32) (i32.const 0))
  (global $s1 (mut i32) (i32.const 0))
  (global $s2 (mut i32) (i32.const 0))
  (global $s3 (mut i32) (i32.const 0))
  ;; Set once per fit by setup (offsets in bytes).
  (global $emb (mut i32) (i32.const 0))
  (global $dim (mut i32) (i32.const 0))
  (global $rows (mut i32) (i32.const 0))
  (global $edges (mut i32) (i32.const 0))
  (global $head (mut i32) (i32.const 0))
  (global $tail (mut i32) (i32.const 0))
  (global $perSample (mut i32) (i32.const 0))
  (global $nextSample (mut i32) (i32.const 0))
  (global $nextNegative (mut i32) (i32.const 0))
  (global $perNegative (mut i32) (i32.const 0))
  (global $a (mut f64) (f64.const 0))
  (global $b (mut f64) (f64.const 0))
  (global $attract (mut f64) (f64.const 0))
  (global $repel (mut f64) (f64.const 0))

  (func (export "seedRng") (param i32 i32 i32 i32)
    (global.set $s0 (local.get 0)) (global.set $s1 (local.get 1))
    (global.set $s2 (local.get 2)) (global.set $s3 (local.get 3)))

  ;; xoshiro128**: rotl(s1*5, 7)*9, then the state update (core's rng.ts uint32()).
  (func $uint32 (result i32)
    (local $result i32) (local $t i32)
    (local.set $result (i32.mul (i32.rotl (i32.mul (global.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (local.set $t (i32.shl (global.get $s1) (i32.const 9)))
    (global.set $s2 (i32.xor (global.get $s2) (global.get $s0)))
    (global.set $s3 (i32.xor (global.get $s3) (global.get $s1)))
    (global.set $s1 (i32.xor (global.get $s1) (global.get $s2)))
    (global.set $s0 (i32.xor (global.get $s0) (global.get $s3)))
    (global.set $s2 (i32.xor (global.get $s2) (local.get $t)))
    (global.set $s3 (i32.rotl (global.get $s3) (i32.const 11)))
    (local.get $result))

  ;; Advances the RNG past the `count` draws umap-js made before the layout (the initial positions).
  (func (export "skipDraws") (param $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (drop (call $uint32))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next))))

  ;; floor((uint32() / 2^32) * n): umap-js's tauRandInt(n, () => rng.next()).
  (func $drawInt (export "drawInt") (param $n i32) (result i32)
    (i32.trunc_f64_u (f64.floor (f64.mul
      (f64.div (f64.convert_i32_u (call $uint32)) (f64.const 4294967296))
      (f64.convert_i32_u (local.get $n))))))

  ;; attract = (-2 * a) * b and repel = (2 * gamma) * b, computed in JavaScript as umap-js computes them.
  (func (export "setup") (param $emb i32) (param $dim i32) (param $rows i32) (param $edges i32)
    (param $head i32) (param $tail i32) (param $perSample i32) (param $nextSample i32) (param $nextNegative i32)
    (param $perNegative i32) (param $a f64) (param $b f64) (param $attract f64) (param $repel f64)
    (global.set $emb (local.get $emb)) (global.set $dim (local.get $dim)) (global.set $rows (local.get $rows))
    (global.set $edges (local.get $edges)) (global.set $head (local.get $head)) (global.set $tail (local.get $tail))
    (global.set $perSample (local.get $perSample)) (global.set $nextSample (local.get $nextSample))
    (global.set $nextNegative (local.get $nextNegative)) (global.set $perNegative (local.get $perNegative))
    (global.set $a (local.get $a)) (global.set $b (local.get $b))
    (global.set $attract (local.get $attract)) (global.set $repel (local.get $repel)))

  ;; rDist: sum over t of (x[t] - y[t])^2, added in order (Math.pow(v, 2) is v * v exactly).
  (func $distSquared (param $x i32) (param $y i32) (result f64)
    (local $sum f64) (local $t i32) (local $g f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $t) (global.get $dim)))
        (local.set $g (f64.sub (f64.load (local.get $x)) (f64.load (local.get $y))))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $g) (local.get $g))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  ;; The attraction: g = clip(coef * (x - y)), x += g * alpha, then y += -g * alpha (y reloaded after x is
  ;; stored, as the JavaScript loop reads it: the same point when head and tail coincide).
  (func $attractPair (param $x i32) (param $y i32) (param $coef f64) (param $alpha f64)
    (local $t i32) (local $k v128) (local $al v128) (local $g v128) (local $gs f64) (local $pairs i32)
    (local.set $k (f64x2.splat (local.get $coef)))
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $pairs (i32.and (global.get $dim) (i32.const -2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $t) (local.get $pairs)))
        (local.set $g (f64x2.max (v128.const f64x2 -4 -4) (f64x2.min (v128.const f64x2 4 4)
          (f64x2.mul (local.get $k) (f64x2.sub (v128.load (local.get $x)) (v128.load (local.get $y)))))))
        (v128.store (local.get $x) (f64x2.add (v128.load (local.get $x)) (f64x2.mul (local.get $g) (local.get $al))))
        (v128.store (local.get $y) (f64x2.add (v128.load (local.get $y)) (f64x2.mul (f64x2.neg (local.get $g)) (local.get $al))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br $next)))
    (if (i32.and (global.get $dim) (i32.const 1))
      (then
        (local.set $gs (f64.max (f64.const -4) (f64.min (f64.const 4)
          (f64.mul (local.get $coef) (f64.sub (f64.load (local.get $x)) (f64.load (local.get $y)))))))
        (f64.store (local.get $x) (f64.add (f64.load (local.get $x)) (f64.mul (local.get $gs) (local.get $alpha))))
        (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (f64.neg (local.get $gs)) (local.get $alpha)))))))

  ;; A repulsion: x += g * alpha with g = clip(coef * (x - y)) when coef > 0, else 4 (umap-js's rule).
  (func $repelPair (param $x i32) (param $y i32) (param $coef f64) (param $alpha f64)
    (local $t i32) (local $k v128) (local $al v128) (local $g v128) (local $gs f64) (local $pairs i32)
    (local.set $k (f64x2.splat (local.get $coef)))
    (local.set $al (f64x2.splat (local.get $alpha)))
    (local.set $pairs (i32.and (global.get $dim) (i32.const -2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $t) (local.get $pairs)))
        (local.set $g (v128.const f64x2 4 4))
        (if (f64.gt (local.get $coef) (f64.const 0))
          (then (local.set $g (f64x2.max (v128.const f64x2 -4 -4) (f64x2.min (v128.const f64x2 4 4)
            (f64x2.mul (local.get $k) (f64x2.sub (v128.load (local.get $x)) (v128.load (local.get $y)))))))))
        (v128.store (local.get $x) (f64x2.add (v128.load (local.get $x)) (f64x2.mul (local.get $g) (local.get $al))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $t (i32.add (local.get $t) (i32.const 2)))
        (br $next)))
    (if (i32.and (global.get $dim) (i32.const 1))
      (then
        (local.set $gs (f64.const 4))
        (if (f64.gt (local.get $coef) (f64.const 0))
          (then (local.set $gs (f64.max (f64.const -4) (f64.min (f64.const 4)
            (f64.mul (local.get $coef) (f64.sub (f64.load (local.get $x)) (f64.load (local.get $y)))))))))
        (f64.store (local.get $x) (f64.add (f64.load (local.get $x)) (f64.mul (local.get $gs) (local.get $alpha)))))))

  ;; One epoch n at learning rate alpha: optimizeLayoutStep(n) without its alpha update (done by the caller).
  (func (export "epoch") (param $n f64) (param $alpha f64)
    (local $i i32) (local $j i32) (local $other i32) (local $x i32) (local $y i32) (local $stride i32)
    (local $d2 f64) (local $coef f64) (local $negatives f64) (local $p f64)
    (local $e8 i32) (local $e4 i32)
    (local.set $stride (i32.shl (global.get $dim) (i32.const 3)))
    (block $doneEdges
      (loop $edge
        (br_if $doneEdges (i32.ge_u (local.get $i) (global.get $edges)))
        (local.set $e8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $e4 (i32.shl (local.get $i) (i32.const 2)))
        (if (i32.eqz (f64.gt (f64.load (i32.add (global.get $nextSample) (local.get $e8))) (local.get $n)))
          (then
            (local.set $j (i32.load (i32.add (global.get $head) (local.get $e4))))
            (local.set $x (i32.add (global.get $emb) (i32.mul (local.get $j) (local.get $stride))))
            (local.set $y (i32.add (global.get $emb)
              (i32.mul (i32.load (i32.add (global.get $tail) (local.get $e4))) (local.get $stride))))
            ;; Attraction: ((-2ab) * d2^(b-1)) / (a * d2^b + 1) when d2 > 0, else 0.
            (local.set $d2 (call $distSquared (local.get $x) (local.get $y)))
            (local.set $coef (f64.const 0))
            (if (f64.gt (local.get $d2) (f64.const 0))
              (then
                (local.set $coef (f64.div
                  (f64.mul (global.get $attract) (call $pow (local.get $d2) (f64.sub (global.get $b) (f64.const 1))))
                  (f64.add (f64.mul (global.get $a) (call $pow (local.get $d2) (global.get $b))) (f64.const 1))))))
            (call $attractPair (local.get $x) (local.get $y) (local.get $coef) (local.get $alpha))
            (f64.store (i32.add (global.get $nextSample) (local.get $e8))
              (f64.add (f64.load (i32.add (global.get $nextSample) (local.get $e8)))
                (f64.load (i32.add (global.get $perSample) (local.get $e8)))))
            ;; floor((n - epochOfNextNegativeSample) / epochsPerNegativeSample) repulsions from drawn rows.
            (local.set $negatives (f64.floor (f64.div
              (f64.sub (local.get $n) (f64.load (i32.add (global.get $nextNegative) (local.get $e8))))
              (f64.load (i32.add (global.get $perNegative) (local.get $e8))))))
            (local.set $p (f64.const 0))
            (block $doneNegatives
              (loop $negative
                (br_if $doneNegatives (i32.eqz (f64.lt (local.get $p) (local.get $negatives))))
                (local.set $other (call $drawInt (global.get $rows)))
                (local.set $y (i32.add (global.get $emb) (i32.mul (local.get $other) (local.get $stride))))
                (local.set $d2 (call $distSquared (local.get $x) (local.get $y)))
                (local.set $coef (f64.const 0))
                (if (f64.gt (local.get $d2) (f64.const 0))
                  (then
                    (local.set $coef (f64.div (global.get $repel)
                      (f64.mul (f64.add (f64.const 0.001) (local.get $d2))
                        (f64.add (f64.mul (global.get $a) (call $pow (local.get $d2) (global.get $b))) (f64.const 1)))))
                    (call $repelPair (local.get $x) (local.get $y) (local.get $coef) (local.get $alpha)))
                  (else
                    ;; A coinciding point: skipped when it is the head itself, else pushed by 4 * alpha.
                    (if (i32.ne (local.get $j) (local.get $other))
                      (then (call $repelPair (local.get $x) (local.get $y) (local.get $coef) (local.get $alpha))))))
                (local.set $p (f64.add (local.get $p) (f64.const 1)))
                (br $negative)))
            (f64.store (i32.add (global.get $nextNegative) (local.get $e8))
              (f64.add (f64.load (i32.add (global.get $nextNegative) (local.get $e8)))
                (f64.mul (local.get $negatives) (f64.load (i32.add (global.get $perNegative) (local.get $e8))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $edge))))
)

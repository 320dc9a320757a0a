;; ReLU + BatchNorm1d passes of the fused embedding-nn engine over n x h float32 activations (row-major, byte
;; addresses into the memory of core's GemmArena, which this module imports, so it works on the same resident
;; matrices as the products). Hand-written because, once the Linear layers run on the SIMD GEMM, these
;; element-wise passes cost as much as the products in JS; here four features go per f32x4 step.
;;
;; Reductions over the batch (per-feature sums) walk four columns at a time down the rows, with the sums in
;; f64x2 registers (double, as the JS version). Element-wise passes walk rows. A last h % 4 features take the
;; scalar path. n is at least 1.
(module
  (import "env" "memory" (memory 1))

  ;; xhat = relu(z); sum[o] = sum_b xhat[b, o] and sq[o] = sum_b xhat[b, o]^2 as f64 (h doubles each).
  (func (export "relu_stats") (param $z i32) (param $xhat i32) (param $n i32) (param $h i32) (param $sum i32) (param $sq i32)
    (local $o i32) (local $b i32) (local $p i32) (local $q i32) (local $stride i32) (local $h4 i32)
    (local $v v128) (local $lo v128) (local $hi v128)
    (local $s0 v128) (local $s1 v128) (local $q0 v128) (local $q1 v128)
    (local $x f64) (local $ss f64) (local $qq f64)
    (local.set $stride (i32.shl (local.get $h) (i32.const 2)))
    (local.set $h4 (i32.and (local.get $h) (i32.const -4)))
    (block $vectors
      (br_if $vectors (i32.eqz (local.get $h4)))
      (loop $group
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $s1 (v128.const i64x2 0 0))
        (local.set $q0 (v128.const i64x2 0 0))
        (local.set $q1 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $z) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $q (i32.add (local.get $xhat) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $b (local.get $n))
        (loop $rows
          (local.set $v (f32x4.max (v128.load (local.get $p)) (v128.const f32x4 0 0 0 0)))
          (v128.store (local.get $q) (local.get $v))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $s0 (f64x2.add (local.get $s0) (local.get $lo)))
          (local.set $s1 (f64x2.add (local.get $s1) (local.get $hi)))
          (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $lo) (local.get $lo))))
          (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $hi) (local.get $hi))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $q (i32.add (local.get $q) (local.get $stride)))
          (br_if $rows (local.tee $b (i32.sub (local.get $b) (i32.const 1)))))
        (local.set $p (i32.add (local.get $sum) (i32.shl (local.get $o) (i32.const 3))))
        (v128.store (local.get $p) (local.get $s0))
        (v128.store offset=16 (local.get $p) (local.get $s1))
        (local.set $p (i32.add (local.get $sq) (i32.shl (local.get $o) (i32.const 3))))
        (v128.store (local.get $p) (local.get $q0))
        (v128.store offset=16 (local.get $p) (local.get $q1))
        (br_if $group (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 4))) (local.get $h4)))))
    (block $done
      (br_if $done (i32.ge_u (local.get $o) (local.get $h)))
      (loop $column
        (local.set $ss (f64.const 0))
        (local.set $qq (f64.const 0))
        (local.set $p (i32.add (local.get $z) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $q (i32.add (local.get $xhat) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $b (local.get $n))
        (loop $rows
          (f32.store (local.get $q) (f32.max (f32.load (local.get $p)) (f32.const 0)))
          (local.set $x (f64.promote_f32 (f32.load (local.get $q))))
          (local.set $ss (f64.add (local.get $ss) (local.get $x)))
          (local.set $qq (f64.add (local.get $qq) (f64.mul (local.get $x) (local.get $x))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $q (i32.add (local.get $q) (local.get $stride)))
          (br_if $rows (local.tee $b (i32.sub (local.get $b) (i32.const 1)))))
        (f64.store (i32.add (local.get $sum) (i32.shl (local.get $o) (i32.const 3))) (local.get $ss))
        (f64.store (i32.add (local.get $sq) (i32.shl (local.get $o) (i32.const 3))) (local.get $qq))
        (br_if $column (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $h))))))

  ;; xhat[b, o] = (relu(src[b, o]) - mean[o]) * invStd[o] and out[b, o] = gamma[o] * xhat[b, o] + beta[o], with
  ;; float32 feature vectors. src may be xhat itself (holding relu(z) after relu_stats) or z (evaluation).
  (func (export "normalize") (param $src i32) (param $xhat i32) (param $out i32) (param $n i32) (param $h i32)
      (param $mean i32) (param $invStd i32) (param $gamma i32) (param $beta i32)
    (local $b i32) (local $o i32) (local $e i32) (local $f i32) (local $h4 i32) (local $v v128) (local $x f32)
    (local.set $h4 (i32.and (local.get $h) (i32.const -4)))
    (loop $rows
      (local.set $o (i32.const 0))
      (block $vectors
        (br_if $vectors (i32.eqz (local.get $h4)))
        (loop $group
          ;; e: this element's byte offset in the n x h matrices, f: the feature's in the vectors
          (local.set $e (i32.shl (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $o)) (i32.const 2)))
          (local.set $f (i32.shl (local.get $o) (i32.const 2)))
          (local.set $v (f32x4.mul
            (f32x4.sub
              (f32x4.max (v128.load (i32.add (local.get $src) (local.get $e))) (v128.const f32x4 0 0 0 0))
              (v128.load (i32.add (local.get $mean) (local.get $f))))
            (v128.load (i32.add (local.get $invStd) (local.get $f)))))
          (v128.store (i32.add (local.get $xhat) (local.get $e)) (local.get $v))
          (v128.store (i32.add (local.get $out) (local.get $e))
            (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $gamma) (local.get $f))) (local.get $v))
              (v128.load (i32.add (local.get $beta) (local.get $f)))))
          (br_if $group (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 4))) (local.get $h4)))))
      (block $done
        (br_if $done (i32.ge_u (local.get $o) (local.get $h)))
        (loop $tail
          (local.set $e (i32.shl (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $o)) (i32.const 2)))
          (local.set $f (i32.shl (local.get $o) (i32.const 2)))
          (local.set $x (f32.mul
            (f32.sub (f32.max (f32.load (i32.add (local.get $src) (local.get $e))) (f32.const 0))
              (f32.load (i32.add (local.get $mean) (local.get $f))))
            (f32.load (i32.add (local.get $invStd) (local.get $f)))))
          (f32.store (i32.add (local.get $xhat) (local.get $e)) (local.get $x))
          (f32.store (i32.add (local.get $out) (local.get $e))
            (f32.add (f32.mul (f32.load (i32.add (local.get $gamma) (local.get $f))) (local.get $x))
              (f32.load (i32.add (local.get $beta) (local.get $f)))))
          (br_if $tail (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $h)))))
      (br_if $rows (i32.lt_u (local.tee $b (i32.add (local.get $b) (i32.const 1))) (local.get $n)))))

  ;; gg[o] = sum_b dy[b, o] * xhat[b, o] and gb[o] = sum_b dy[b, o], products and sums in f64 (h doubles each).
  (func (export "grad_sums") (param $dy i32) (param $xhat i32) (param $n i32) (param $h i32) (param $gg i32) (param $gb i32)
    (local $o i32) (local $b i32) (local $p i32) (local $q i32) (local $stride i32) (local $h4 i32)
    (local $d v128) (local $x v128) (local $dlo v128) (local $dhi v128)
    (local $g0 v128) (local $g1 v128) (local $s0 v128) (local $s1 v128)
    (local $dd f64) (local $ga f64) (local $sa f64)
    (local.set $stride (i32.shl (local.get $h) (i32.const 2)))
    (local.set $h4 (i32.and (local.get $h) (i32.const -4)))
    (block $vectors
      (br_if $vectors (i32.eqz (local.get $h4)))
      (loop $group
        (local.set $g0 (v128.const i64x2 0 0))
        (local.set $g1 (v128.const i64x2 0 0))
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $s1 (v128.const i64x2 0 0))
        (local.set $p (i32.add (local.get $dy) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $q (i32.add (local.get $xhat) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $b (local.get $n))
        (loop $rows
          (local.set $d (v128.load (local.get $p)))
          (local.set $x (v128.load (local.get $q)))
          (local.set $dlo (f64x2.promote_low_f32x4 (local.get $d)))
          (local.set $dhi (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d))))
          (local.set $s0 (f64x2.add (local.get $s0) (local.get $dlo)))
          (local.set $s1 (f64x2.add (local.get $s1) (local.get $dhi)))
          (local.set $g0 (f64x2.add (local.get $g0) (f64x2.mul (local.get $dlo) (f64x2.promote_low_f32x4 (local.get $x)))))
          (local.set $g1 (f64x2.add (local.get $g1) (f64x2.mul (local.get $dhi) (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $q (i32.add (local.get $q) (local.get $stride)))
          (br_if $rows (local.tee $b (i32.sub (local.get $b) (i32.const 1)))))
        (local.set $p (i32.add (local.get $gg) (i32.shl (local.get $o) (i32.const 3))))
        (v128.store (local.get $p) (local.get $g0))
        (v128.store offset=16 (local.get $p) (local.get $g1))
        (local.set $p (i32.add (local.get $gb) (i32.shl (local.get $o) (i32.const 3))))
        (v128.store (local.get $p) (local.get $s0))
        (v128.store offset=16 (local.get $p) (local.get $s1))
        (br_if $group (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 4))) (local.get $h4)))))
    (block $done
      (br_if $done (i32.ge_u (local.get $o) (local.get $h)))
      (loop $column
        (local.set $ga (f64.const 0))
        (local.set $sa (f64.const 0))
        (local.set $p (i32.add (local.get $dy) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $q (i32.add (local.get $xhat) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $b (local.get $n))
        (loop $rows
          (local.set $dd (f64.promote_f32 (f32.load (local.get $p))))
          (local.set $sa (f64.add (local.get $sa) (local.get $dd)))
          (local.set $ga (f64.add (local.get $ga) (f64.mul (local.get $dd) (f64.promote_f32 (f32.load (local.get $q))))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $q (i32.add (local.get $q) (local.get $stride)))
          (br_if $rows (local.tee $b (i32.sub (local.get $b) (i32.const 1)))))
        (f64.store (i32.add (local.get $gg) (i32.shl (local.get $o) (i32.const 3))) (local.get $ga))
        (f64.store (i32.add (local.get $gb) (i32.shl (local.get $o) (i32.const 3))) (local.get $sa))
        (br_if $column (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $h))))))

  ;; dy[b, o] = z[b, o] > 0 ? scale[o] * dy[b, o] - shift[o] - xhat[b, o] * coef[o] : 0 (float32 vectors): the
  ;; batch-norm backward through the batch statistics, then the ReLU gate.
  (func (export "grad_apply") (param $dy i32) (param $z i32) (param $xhat i32) (param $n i32) (param $h i32)
      (param $scale i32) (param $shift i32) (param $coef i32)
    (local $b i32) (local $o i32) (local $e i32) (local $f i32) (local $h4 i32) (local $v v128) (local $x f32)
    (local.set $h4 (i32.and (local.get $h) (i32.const -4)))
    (loop $rows
      (local.set $o (i32.const 0))
      (block $vectors
        (br_if $vectors (i32.eqz (local.get $h4)))
        (loop $group
          (local.set $e (i32.shl (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $o)) (i32.const 2)))
          (local.set $f (i32.shl (local.get $o) (i32.const 2)))
          (local.set $v (f32x4.sub
            (f32x4.sub
              (f32x4.mul (v128.load (i32.add (local.get $scale) (local.get $f))) (v128.load (i32.add (local.get $dy) (local.get $e))))
              (v128.load (i32.add (local.get $shift) (local.get $f))))
            (f32x4.mul (v128.load (i32.add (local.get $xhat) (local.get $e))) (v128.load (i32.add (local.get $coef) (local.get $f))))))
          ;; the ReLU gate: all-ones lanes where z > 0 keep v, the others become +0
          (v128.store (i32.add (local.get $dy) (local.get $e))
            (v128.and (local.get $v) (f32x4.gt (v128.load (i32.add (local.get $z) (local.get $e))) (v128.const f32x4 0 0 0 0))))
          (br_if $group (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 4))) (local.get $h4)))))
      (block $done
        (br_if $done (i32.ge_u (local.get $o) (local.get $h)))
        (loop $tail
          (local.set $e (i32.shl (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $o)) (i32.const 2)))
          (local.set $f (i32.shl (local.get $o) (i32.const 2)))
          (local.set $x (f32.sub
            (f32.sub
              (f32.mul (f32.load (i32.add (local.get $scale) (local.get $f))) (f32.load (i32.add (local.get $dy) (local.get $e))))
              (f32.load (i32.add (local.get $shift) (local.get $f))))
            (f32.mul (f32.load (i32.add (local.get $xhat) (local.get $e))) (f32.load (i32.add (local.get $coef) (local.get $f))))))
          (f32.store (i32.add (local.get $dy) (local.get $e))
            (select (local.get $x) (f32.const 0) (f32.gt (f32.load (i32.add (local.get $z) (local.get $e))) (f32.const 0))))
          (br_if $tail (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $h)))))
      (br_if $rows (i32.lt_u (local.tee $b (i32.add (local.get $b) (i32.const 1))) (local.get $n))))))

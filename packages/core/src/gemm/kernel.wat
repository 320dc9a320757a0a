;; The matrix-multiply kernels behind core's `GemmArena` (row-major, byte addresses into the imported memory):
;;
;;   C = alpha * op(A) * op(B) + rowBias[i] + colBias[j] + beta * C      op = identity or transpose
;;
;; Hand-written because they are the hot loops of the dense layers and of blocked scoring: a register-blocked
;; f32x4 micro-kernel does 32 multiply-adds per 6 loads, where a scalar JS loop does one per two loads.
;; `sgemm` accumulates in f32 (4x8 tiles, K blocked by 256); `dsgemm` reads the same f32 operands but sums
;; every element in double precision in the order p = 0 .. k-1 and rounds once (4x4 tiles of f64x2, K not
;; blocked), so it gives bit for bit what a scalar left-to-right double loop gives.
;;
;; Blocking (Goto/BLIS order): K blocks of KC, N blocks of NC (op(B) packed into panels of NR columns when B is
;; transposed, else read in place), M blocks of MC rows, then NR-column panels x MR-row strips. A is never
;; packed: the micro-kernel splats one element of each of its four rows per step (v128.load32_splat), which is
;; the same load count as a packed strip. Rows past the edge of A repeat the last row; their results are
;; dropped. Pointer 0 for rowBias or colBias means "none". k, m and n are at least 1 (the caller checks).
(module
  ;; the arena's memory, imported so the arena can size it (and move to a larger one without detaching views)
  (import "env" "memory" (memory 1))

  (global $KC i32 (i32.const 256)) ;; f32 path: depth of one K block
  (global $MC i32 (i32.const 128)) ;; rows of A per M block (kept in L2 while the panels of op(B) pass)
  (global $NC i32 (i32.const 1024)) ;; f32 path: columns of op(B) per packed N block (<= 1 MiB packed)
  (global $NC64 i32 (i32.const 512)) ;; f64 path: columns per packed N block
  (global $TILE i32 (i32.const 128)) ;; bytes of one accumulator tile (4x8 f32 or 4x4 f64), at the start of work

  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_s (local.get $x) (local.get $y))))

  ;; Bytes of scratch `sgemm` needs at `work` for these sizes: the tile and the packed panels of op(B).
  (func (export "sgemm_work") (param $n i32) (param $k i32) (param $transB i32) (result i32)
    (i32.add
      (global.get $TILE)
      (i32.mul
        (i32.mul (call $min (local.get $k) (global.get $KC)) (i32.const 32))
        (if (result i32) (local.get $transB)
          (then (i32.shr_u (i32.add (call $min (local.get $n) (global.get $NC)) (i32.const 7)) (i32.const 3)))
          (else (i32.const 1))))))

  ;; Bytes of scratch `dsgemm` needs at `work`: the tile and one N block of op(B) packed as f64.
  (func (export "dsgemm_work") (param $n i32) (param $k i32) (result i32)
    (i32.add
      (global.get $TILE)
      (i32.mul
        (i32.mul (local.get $k) (i32.const 32))
        (i32.shr_u (i32.add (call $min (local.get $n) (global.get $NC64)) (i32.const 3)) (i32.const 2)))))

  ;; ---------------------------------------------------------------------------------------------- f32 path

  ;; tile (4 rows x 8 floats) = sum over kc steps of A(r, p) * panel(p, 0..8). Row r of A is read at $ar,
  ;; advancing $astep bytes a step; the panel's 8 floats of step p at $bp, advancing $bstep bytes. The tile
  ;; goes to $tile, or straight into C's rows at $c (row stride $ldcb bytes) when $c is not 0.
  (func $kernel4x8 (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $astep i32)
      (param $bp i32) (param $bstep i32) (param $kc i32) (param $tile i32) (param $c i32) (param $ldcb i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (loop $step
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $x (v128.load32_splat (local.get $a0)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $a0 (i32.add (local.get $a0) (local.get $astep)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $astep)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $astep)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $astep)))
      (local.set $bp (i32.add (local.get $bp) (local.get $bstep)))
      (br_if $step (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (if (local.get $c)
      (then
        (v128.store offset=0 (local.get $c) (local.get $c00))
        (v128.store offset=16 (local.get $c) (local.get $c01))
        (local.set $c (i32.add (local.get $c) (local.get $ldcb)))
        (v128.store offset=0 (local.get $c) (local.get $c10))
        (v128.store offset=16 (local.get $c) (local.get $c11))
        (local.set $c (i32.add (local.get $c) (local.get $ldcb)))
        (v128.store offset=0 (local.get $c) (local.get $c20))
        (v128.store offset=16 (local.get $c) (local.get $c21))
        (local.set $c (i32.add (local.get $c) (local.get $ldcb)))
        (v128.store offset=0 (local.get $c) (local.get $c30))
        (v128.store offset=16 (local.get $c) (local.get $c31)))
      (else
        (v128.store offset=0 (local.get $tile) (local.get $c00))
        (v128.store offset=16 (local.get $tile) (local.get $c01))
        (v128.store offset=32 (local.get $tile) (local.get $c10))
        (v128.store offset=48 (local.get $tile) (local.get $c11))
        (v128.store offset=64 (local.get $tile) (local.get $c20))
        (v128.store offset=80 (local.get $tile) (local.get $c21))
        (v128.store offset=96 (local.get $tile) (local.get $c30))
        (v128.store offset=112 (local.get $tile) (local.get $c31)))))

  ;; C[i + r, j + q] = alpha * tile[r, q] + rowBias[i + r] + colBias[j + q] + beta * C[i + r, j + q] over the
  ;; mr x nr corner of a 4x8 tile; beta 0 never reads C. Full-width rows go two vectors at a time.
  (func $store4x8 (param $tile i32) (param $c i32) (param $ldc i32) (param $i i32) (param $j i32)
      (param $mr i32) (param $nr i32) (param $alpha f32) (param $beta f32) (param $rb i32) (param $cb i32)
    (local $r i32) (local $q i32) (local $crow i32) (local $t i32) (local $v v128) (local $s f32)
    (loop $row
      (local.set $crow (i32.add (local.get $c)
        (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $ldc)) (local.get $j)) (i32.const 2))))
      (local.set $t (i32.add (local.get $tile) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $q (i32.const 0))
      (if (i32.eq (local.get $nr) (i32.const 8))
        (then
          (loop $vec
            (local.set $v (f32x4.mul (v128.load (i32.add (local.get $t) (local.get $q))) (f32x4.splat (local.get $alpha))))
            (if (local.get $rb) (then
              (local.set $v (f32x4.add (local.get $v)
                (v128.load32_splat (i32.add (local.get $rb) (i32.shl (i32.add (local.get $i) (local.get $r)) (i32.const 2))))))))
            (if (local.get $cb) (then
              (local.set $v (f32x4.add (local.get $v)
                (v128.load (i32.add (i32.add (local.get $cb) (i32.shl (local.get $j) (i32.const 2))) (local.get $q)))))))
            (if (f32.ne (local.get $beta) (f32.const 0)) (then
              (local.set $v (f32x4.add (local.get $v)
                (f32x4.mul (v128.load (i32.add (local.get $crow) (local.get $q))) (f32x4.splat (local.get $beta)))))))
            (v128.store (i32.add (local.get $crow) (local.get $q)) (local.get $v))
            (br_if $vec (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 16))) (i32.const 32)))))
        (else
          (loop $col
            (local.set $s (f32.mul (f32.load (i32.add (local.get $t) (local.get $q))) (local.get $alpha)))
            (if (local.get $rb) (then
              (local.set $s (f32.add (local.get $s)
                (f32.load (i32.add (local.get $rb) (i32.shl (i32.add (local.get $i) (local.get $r)) (i32.const 2))))))))
            (if (local.get $cb) (then
              (local.set $s (f32.add (local.get $s)
                (f32.load (i32.add (i32.add (local.get $cb) (i32.shl (local.get $j) (i32.const 2))) (local.get $q)))))))
            (if (f32.ne (local.get $beta) (f32.const 0)) (then
              (local.set $s (f32.add (local.get $s)
                (f32.mul (f32.load (i32.add (local.get $crow) (local.get $q))) (local.get $beta))))))
            (f32.store (i32.add (local.get $crow) (local.get $q)) (local.get $s))
            (br_if $col (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 4))) (i32.shl (local.get $nr) (i32.const 2)))))))
      (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $mr)))))

  ;; Packs op(B)[pc .. pc+kc, jc .. jc+nc) of a transposed B (op(B)[p, j] = B[j * ldb + p]) into panels of 8
  ;; columns, zero-padded: step p of panel q is 8 floats at dst + q * kc * 32 + p * 32.
  (func $packTransposed (param $b i32) (param $ldb i32) (param $pc i32) (param $jc i32) (param $kc i32)
      (param $nc i32) (param $dst i32)
    (local $j i32) (local $end i32) (local $src i32) (local $d i32) (local $p i32)
    (local.set $end (i32.and (i32.add (local.get $nc) (i32.const 7)) (i32.const -8)))
    (loop $col
      (local.set $d (i32.add (local.get $dst)
        (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (i32.shl (local.get $kc) (i32.const 5)))
                 (i32.shl (i32.and (local.get $j) (i32.const 7)) (i32.const 2)))))
      (local.set $p (local.get $kc))
      (if (i32.lt_u (local.get $j) (local.get $nc))
        (then
          (local.set $src (i32.add (local.get $b)
            (i32.shl (i32.add (i32.mul (i32.add (local.get $jc) (local.get $j)) (local.get $ldb)) (local.get $pc)) (i32.const 2))))
          (loop $step
            (f32.store (local.get $d) (f32.load (local.get $src)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $step (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          (loop $zero
            (f32.store (local.get $d) (f32.const 0))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $zero (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
      (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $end)))))

  ;; Copies the last, narrower-than-8 columns op(B)[pc .. pc+kc, j0 .. j0+w) of an untransposed B into one
  ;; zero-padded panel at dst (the full panels are read in place).
  (func $packTail (param $b i32) (param $ldb i32) (param $pc i32) (param $j0 i32) (param $kc i32) (param $w i32)
      (param $dst i32)
    (local $src i32) (local $q i32)
    (local.set $src (i32.add (local.get $b)
      (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb)) (local.get $j0)) (i32.const 2))))
    (loop $step
      (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
      (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
      (local.set $q (i32.const 0))
      (loop $col
        (f32.store (i32.add (local.get $dst) (local.get $q)) (f32.load (i32.add (local.get $src) (local.get $q))))
        (br_if $col (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 4))) (i32.shl (local.get $w) (i32.const 2)))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $ldb) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br_if $step (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))

  ;; Address of A(i, p) = op(A)[i, p].
  (func $addrA (param $a i32) (param $lda i32) (param $transA i32) (param $i i32) (param $p i32) (result i32)
    (i32.add (local.get $a)
      (i32.shl
        (if (result i32) (local.get $transA)
          (then (i32.add (i32.mul (local.get $p) (local.get $lda)) (local.get $i)))
          (else (i32.add (i32.mul (local.get $i) (local.get $lda)) (local.get $p))))
        (i32.const 2))))

  ;; flags: bit 0 transposes A, bit 1 transposes B. work: sgemm_work(n, k, transB) bytes.
  (func (export "sgemm") (param $flags i32) (param $m i32) (param $n i32) (param $k i32) (param $alpha f32)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $beta f32) (param $c i32) (param $ldc i32)
      (param $rb i32) (param $cb i32) (param $work i32)
    (local $transA i32) (local $transB i32) (local $pack i32) (local $astep i32)
    (local $pc i32) (local $kc i32) (local $jc i32) (local $nc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $nr i32) (local $ir i32) (local $mr i32) (local $i i32) (local $last i32)
    (local $betaE f32) (local $rbE i32) (local $cbE i32) (local $bp i32) (local $bstep i32) (local $tail i32)
    (local $plain i32) (local $direct i32)
    (local.set $transA (i32.and (local.get $flags) (i32.const 1)))
    (local.set $transB (i32.and (i32.shr_u (local.get $flags) (i32.const 1)) (i32.const 1)))
    (local.set $pack (i32.add (local.get $work) (global.get $TILE)))
    (local.set $astep (if (result i32) (local.get $transA)
      (then (i32.shl (local.get $lda) (i32.const 2))) (else (i32.const 4))))
    (loop $kblock
      (local.set $kc (call $min (global.get $KC) (i32.sub (local.get $k) (local.get $pc))))
      ;; beta and the biases apply once, with the first K block; later blocks add to C
      (if (local.get $pc)
        (then (local.set $betaE (f32.const 1)) (local.set $rbE (i32.const 0)) (local.set $cbE (i32.const 0)))
        (else (local.set $betaE (local.get $beta)) (local.set $rbE (local.get $rb)) (local.set $cbE (local.get $cb))))
      ;; C = the product as it is: full tiles are stored by the micro-kernel itself
      (local.set $plain (i32.and (i32.and (f32.eq (local.get $alpha) (f32.const 1)) (f32.eq (local.get $betaE) (f32.const 0)))
        (i32.eqz (i32.or (local.get $rbE) (local.get $cbE)))))
      (local.set $jc (i32.const 0))
      (loop $nblock
        (local.set $nc (call $min (global.get $NC) (i32.sub (local.get $n) (local.get $jc))))
        (local.set $tail (i32.and (local.get $nc) (i32.const 7)))
        (if (local.get $transB)
          (then (call $packTransposed (local.get $b) (local.get $ldb) (local.get $pc) (local.get $jc) (local.get $kc)
            (local.get $nc) (local.get $pack)))
          (else (if (local.get $tail) (then
            (call $packTail (local.get $b) (local.get $ldb) (local.get $pc)
              (i32.add (local.get $jc) (i32.sub (local.get $nc) (local.get $tail))) (local.get $kc) (local.get $tail)
              (local.get $pack))))))
        (local.set $ic (i32.const 0))
        (loop $mblock
          (local.set $mc (call $min (global.get $MC) (i32.sub (local.get $m) (local.get $ic))))
          (local.set $jr (i32.const 0))
          (loop $panel
            (local.set $nr (call $min (i32.const 8) (i32.sub (local.get $nc) (local.get $jr))))
            (if (local.get $transB)
              (then
                (local.set $bp (i32.add (local.get $pack) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))
                (local.set $bstep (i32.const 32)))
              (else (if (i32.eq (local.get $nr) (i32.const 8))
                (then
                  (local.set $bp (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb))
                    (i32.add (local.get $jc) (local.get $jr))) (i32.const 2))))
                  (local.set $bstep (i32.shl (local.get $ldb) (i32.const 2))))
                (else (local.set $bp (local.get $pack)) (local.set $bstep (i32.const 32))))))
            (local.set $ir (i32.const 0))
            (loop $strip
              (local.set $i (i32.add (local.get $ic) (local.get $ir)))
              (local.set $mr (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir))))
              (local.set $last (i32.sub (local.get $mr) (i32.const 1)))
              (call $kernel4x8
                (call $addrA (local.get $a) (local.get $lda) (local.get $transA) (local.get $i) (local.get $pc))
                (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                  (i32.add (local.get $i) (call $min (i32.const 1) (local.get $last))) (local.get $pc))
                (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                  (i32.add (local.get $i) (call $min (i32.const 2) (local.get $last))) (local.get $pc))
                (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                  (i32.add (local.get $i) (local.get $last)) (local.get $pc))
                (local.get $astep) (local.get $bp) (local.get $bstep) (local.get $kc) (local.get $work)
                (select
                  (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc))
                    (i32.add (local.get $jc) (local.get $jr))) (i32.const 2)))
                  (i32.const 0)
                  (local.tee $direct (i32.and (local.get $plain)
                    (i32.and (i32.eq (local.get $mr) (i32.const 4)) (i32.eq (local.get $nr) (i32.const 8))))))
                (i32.shl (local.get $ldc) (i32.const 2)))
              ;; partial tiles, and tiles with scaling, biases or an old C to add, go through the epilogue
              (if (i32.eqz (local.get $direct)) (then
                (call $store4x8 (local.get $work) (local.get $c) (local.get $ldc) (local.get $i)
                  (i32.add (local.get $jc) (local.get $jr)) (local.get $mr) (local.get $nr)
                  (local.get $alpha) (local.get $betaE) (local.get $rbE) (local.get $cbE))))
              (br_if $strip (i32.lt_s (local.tee $ir (i32.add (local.get $ir) (i32.const 4))) (local.get $mc))))
            (br_if $panel (i32.lt_s (local.tee $jr (i32.add (local.get $jr) (i32.const 8))) (local.get $nc))))
          (br_if $mblock (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $m))))
        (br_if $nblock (i32.lt_s (local.tee $jc (i32.add (local.get $jc) (global.get $NC))) (local.get $n))))
      (br_if $kblock (i32.lt_s (local.tee $pc (i32.add (local.get $pc) (global.get $KC))) (local.get $k)))))

  ;; ---------------------------------------------------------------------------------------------- f64 path

  ;; Packs op(B)[0 .. k, jc .. jc+nc) as f64 into panels of 4 columns, zero-padded: step p of panel q is 4
  ;; doubles at dst + q * k * 32 + p * 32. op(B)[p, j] is at b + p * sp + j * sj (bytes).
  (func $packDouble (param $b i32) (param $sp i32) (param $sj i32) (param $jc i32) (param $k i32) (param $nc i32)
      (param $dst i32)
    (local $j i32) (local $end i32) (local $src i32) (local $d i32) (local $p i32)
    (local.set $end (i32.and (i32.add (local.get $nc) (i32.const 3)) (i32.const -4)))
    (loop $col
      (local.set $d (i32.add (local.get $dst)
        (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (i32.shl (local.get $k) (i32.const 5)))
                 (i32.shl (i32.and (local.get $j) (i32.const 3)) (i32.const 3)))))
      (local.set $p (local.get $k))
      (if (i32.lt_u (local.get $j) (local.get $nc))
        (then
          (local.set $src (i32.add (local.get $b) (i32.mul (i32.add (local.get $jc) (local.get $j)) (local.get $sj))))
          (loop $step
            (f64.store (local.get $d) (f64.promote_f32 (f32.load (local.get $src))))
            (local.set $src (i32.add (local.get $src) (local.get $sp)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $step (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          (loop $zero
            (f64.store (local.get $d) (f64.const 0))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $zero (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
      (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $end)))))

  ;; tile (4 rows x 4 doubles) = sum over k steps, in order, of A(r, p) * panel(p, 0..4) in double precision.
  (func $kernel4x4d (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $astep i32)
      (param $bp i32) (param $k i32) (param $tile i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (loop $step
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $x (f64x2.promote_low_f32x4 (v128.load32_splat (local.get $a0))))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.promote_low_f32x4 (v128.load32_splat (local.get $a1))))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.promote_low_f32x4 (v128.load32_splat (local.get $a2))))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.promote_low_f32x4 (v128.load32_splat (local.get $a3))))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a0 (i32.add (local.get $a0) (local.get $astep)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $astep)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $astep)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $astep)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $step (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (v128.store offset=0 (local.get $tile) (local.get $c00))
    (v128.store offset=16 (local.get $tile) (local.get $c01))
    (v128.store offset=32 (local.get $tile) (local.get $c10))
    (v128.store offset=48 (local.get $tile) (local.get $c11))
    (v128.store offset=64 (local.get $tile) (local.get $c20))
    (v128.store offset=80 (local.get $tile) (local.get $c21))
    (v128.store offset=96 (local.get $tile) (local.get $c30))
    (v128.store offset=112 (local.get $tile) (local.get $c31)))

  ;; C[i + r, j + q] = f32(((alpha * tile[r, q] + rowBias[i + r]) + colBias[j + q]) + beta * C[i + r, j + q]),
  ;; all in double, over the mr x nr corner of a 4x4 tile; beta 0 never reads C.
  (func $store4x4d (param $tile i32) (param $c i32) (param $ldc i32) (param $i i32) (param $j i32)
      (param $mr i32) (param $nr i32) (param $alpha f64) (param $beta f64) (param $rb i32) (param $cb i32)
    (local $r i32) (local $q i32) (local $crow i32) (local $t i32) (local $s f64)
    (loop $row
      (local.set $crow (i32.add (local.get $c)
        (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $ldc)) (local.get $j)) (i32.const 2))))
      (local.set $t (i32.add (local.get $tile) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $q (i32.const 0))
      (loop $col
        (local.set $s (f64.mul (f64.load (i32.add (local.get $t) (i32.shl (local.get $q) (i32.const 3)))) (local.get $alpha)))
        (if (local.get $rb) (then
          (local.set $s (f64.add (local.get $s) (f64.promote_f32
            (f32.load (i32.add (local.get $rb) (i32.shl (i32.add (local.get $i) (local.get $r)) (i32.const 2)))))))))
        (if (local.get $cb) (then
          (local.set $s (f64.add (local.get $s) (f64.promote_f32
            (f32.load (i32.add (local.get $cb) (i32.shl (i32.add (local.get $j) (local.get $q)) (i32.const 2)))))))))
        (if (f64.ne (local.get $beta) (f64.const 0)) (then
          (local.set $s (f64.add (local.get $s) (f64.mul (local.get $beta) (f64.promote_f32
            (f32.load (i32.add (local.get $crow) (i32.shl (local.get $q) (i32.const 2))))))))))
        (f32.store (i32.add (local.get $crow) (i32.shl (local.get $q) (i32.const 2))) (f32.demote_f64 (local.get $s)))
        (br_if $col (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $nr))))
      (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $mr)))))

  ;; As sgemm, summing each element in double in the order p = 0 .. k-1. work: dsgemm_work(n, k) bytes.
  (func (export "dsgemm") (param $flags i32) (param $m i32) (param $n i32) (param $k i32) (param $alpha f64)
      (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $beta f64) (param $c i32) (param $ldc i32)
      (param $rb i32) (param $cb i32) (param $work i32)
    (local $transA i32) (local $pack i32) (local $astep i32) (local $sp i32) (local $sj i32)
    (local $jc i32) (local $nc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $nr i32) (local $ir i32) (local $mr i32) (local $i i32) (local $last i32)
    (local.set $transA (i32.and (local.get $flags) (i32.const 1)))
    (local.set $pack (i32.add (local.get $work) (global.get $TILE)))
    (local.set $astep (if (result i32) (local.get $transA)
      (then (i32.shl (local.get $lda) (i32.const 2))) (else (i32.const 4))))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then (local.set $sp (i32.const 4)) (local.set $sj (i32.shl (local.get $ldb) (i32.const 2))))
      (else (local.set $sp (i32.shl (local.get $ldb) (i32.const 2))) (local.set $sj (i32.const 4))))
    (loop $nblock
      (local.set $nc (call $min (global.get $NC64) (i32.sub (local.get $n) (local.get $jc))))
      (call $packDouble (local.get $b) (local.get $sp) (local.get $sj) (local.get $jc) (local.get $k) (local.get $nc)
        (local.get $pack))
      (local.set $ic (i32.const 0))
      (loop $mblock
        (local.set $mc (call $min (global.get $MC) (i32.sub (local.get $m) (local.get $ic))))
        (local.set $jr (i32.const 0))
        (loop $panel
          (local.set $nr (call $min (i32.const 4) (i32.sub (local.get $nc) (local.get $jr))))
          (local.set $ir (i32.const 0))
          (loop $strip
            (local.set $i (i32.add (local.get $ic) (local.get $ir)))
            (local.set $mr (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir))))
            (local.set $last (i32.sub (local.get $mr) (i32.const 1)))
            (call $kernel4x4d
              (call $addrA (local.get $a) (local.get $lda) (local.get $transA) (local.get $i) (i32.const 0))
              (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                (i32.add (local.get $i) (call $min (i32.const 1) (local.get $last))) (i32.const 0))
              (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                (i32.add (local.get $i) (call $min (i32.const 2) (local.get $last))) (i32.const 0))
              (call $addrA (local.get $a) (local.get $lda) (local.get $transA)
                (i32.add (local.get $i) (local.get $last)) (i32.const 0))
              (local.get $astep) (i32.add (local.get $pack) (i32.shl (i32.mul (local.get $jr) (local.get $k)) (i32.const 3)))
              (local.get $k) (local.get $work))
            (call $store4x4d (local.get $work) (local.get $c) (local.get $ldc) (local.get $i)
              (i32.add (local.get $jc) (local.get $jr)) (local.get $mr) (local.get $nr)
              (local.get $alpha) (local.get $beta) (local.get $rb) (local.get $cb))
            (br_if $strip (i32.lt_s (local.tee $ir (i32.add (local.get $ir) (i32.const 4))) (local.get $mc))))
          (br_if $panel (i32.lt_s (local.tee $jr (i32.add (local.get $jr) (i32.const 4))) (local.get $nc))))
        (br_if $mblock (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $m))))
      (br_if $nblock (i32.lt_s (local.tee $jc (i32.add (local.get $jc) (global.get $NC64))) (local.get $n))))))

;; Inner products of Float64 rows, two coordinates at a time (WebAssembly SIMD, f64x2).
;; The source of src/core/linalg/wasm/innerProductsModule.ts (scripts/build-wasm.ts assembles it; a unit
;; test checks that the committed bytes are this file's).
;;
;; products(x, n, y, m, d, out, upper)
;;   x    byte offset of n rows × d Float64 values (row-major); n even
;;   y    byte offset of m rows × d values; m even; may equal x (a Gram matrix)
;;   d    values per row; even
;;   out  byte offset of the n × m result, out[i·m + j] = x_i · y_j
;;   upper  when non-zero, skip the 2 × 2 tiles strictly below the diagonal (j < i); the caller mirrors
;; The caller pads odd sizes with zero rows and a zero column; zeros add exact zeros to every sum.
;;
;; Summation order (what the bit-exactness in innerProducts.ts relies on): lane 0 sums the products of
;; the even coordinates left to right, lane 1 those of the odd coordinates, and the entry is lane 0 +
;; lane 1 — the same order for every entry, diagonal included, each multiply and add rounded like a
;; scalar f64 operation. Tiles of 2 × 2 rows keep 4 accumulators and 4 inputs in registers; measured here
;; (Node 20, 316 × 768 Gram) 2 × 2 to 4 × 2 tiles are within 10 % of each other, ~3× the tiled JS loop.
(module
  (memory (export "memory") 1)
  (func (export "products")
    (param $x i32) (param $n i32) (param $y i32) (param $m i32) (param $d i32) (param $out i32) (param $upper i32)
    (local $rowBytes i32) (local $i i32) (local $j i32) (local $k i32)
    (local $x0 i32) (local $x1 i32) (local $y0 i32) (local $y1 i32) (local $o i32)
    (local $vx0 v128) (local $vx1 v128) (local $vy0 v128) (local $vy1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $x1 (i32.add (local.get $x0) (local.get $rowBytes)))
        (local.set $j (select (local.get $i) (i32.const 0) (local.get $upper)))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $m)))
            (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $j) (local.get $rowBytes))))
            (local.set $y1 (i32.add (local.get $y0) (local.get $rowBytes)))
            (local.set $s00 (v128.const i64x2 0 0))
            (local.set $s01 (v128.const i64x2 0 0))
            (local.set $s10 (v128.const i64x2 0 0))
            (local.set $s11 (v128.const i64x2 0 0))
            (local.set $k (i32.const 0))
            (block $dotDone
              (loop $dot
                (br_if $dotDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
                (local.set $vx0 (v128.load (i32.add (local.get $x0) (local.get $k))))
                (local.set $vx1 (v128.load (i32.add (local.get $x1) (local.get $k))))
                (local.set $vy0 (v128.load (i32.add (local.get $y0) (local.get $k))))
                (local.set $vy1 (v128.load (i32.add (local.get $y1) (local.get $k))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $vx0) (local.get $vy0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $vx0) (local.get $vy1))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $vx1) (local.get $vy0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $vx1) (local.get $vy1))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $dot)))
            ;; o = out + (i·m + j)·8; the second row of the tile is m·8 bytes further.
            (local.set $o (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 3))))
            (f64.store offset=0 (local.get $o)
              (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
            (f64.store offset=8 (local.get $o)
              (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
            (local.set $o (i32.add (local.get $o) (i32.shl (local.get $m) (i32.const 3))))
            (f64.store offset=0 (local.get $o)
              (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
            (f64.store offset=8 (local.get $o)
              (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))))

(module
  (import "env" "memory" (memory 1 1024 shared))
  (func $tile_5 (param $a i32) (param $b i32) (param $c i32) (param $ldc_bytes i32) (param $kc i32) (param $accumulate i32)
    (local $c_row i32)
    (local $acc0x0123 v128)
    (local $acc0x4567 v128)
    (local $acc1x0123 v128)
    (local $acc1x4567 v128)
    (local $acc2x0123 v128)
    (local $acc2x4567 v128)
    (local $acc3x0123 v128)
    (local $acc3x4567 v128)
    (local $acc4x0123 v128)
    (local $acc4x4567 v128)
    (local $b0123 v128)
    (local $b4567 v128)
    (local $va v128)
    (local $a0123 v128)
    local.get $accumulate
    if $load_c
      local.get $c
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc0x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc0x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc1x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc1x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc2x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc2x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc3x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc3x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc4x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc4x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
    else
      f32.const 0
      f32x4.splat
      local.set $acc0x0123
      f32.const 0
      f32x4.splat
      local.set $acc0x4567
      f32.const 0
      f32x4.splat
      local.set $acc1x0123
      f32.const 0
      f32x4.splat
      local.set $acc1x4567
      f32.const 0
      f32x4.splat
      local.set $acc2x0123
      f32.const 0
      f32x4.splat
      local.set $acc2x4567
      f32.const 0
      f32x4.splat
      local.set $acc3x0123
      f32.const 0
      f32x4.splat
      local.set $acc3x4567
      f32.const 0
      f32x4.splat
      local.set $acc4x0123
      f32.const 0
      f32x4.splat
      local.set $acc4x4567
    end
    loop $k_loop
      local.get $b
      v128.load
      local.set $b0123
      local.get $b
      v128.load offset=16
      local.set $b4567
      local.get $a
      v128.load align=4
      local.set $a0123
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc0x0123
      f32x4.relaxed_madd
      local.set $acc0x0123
      local.get $va
      local.get $b4567
      local.get $acc0x4567
      f32x4.relaxed_madd
      local.set $acc0x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc1x0123
      f32x4.relaxed_madd
      local.set $acc1x0123
      local.get $va
      local.get $b4567
      local.get $acc1x4567
      f32x4.relaxed_madd
      local.set $acc1x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc2x0123
      f32x4.relaxed_madd
      local.set $acc2x0123
      local.get $va
      local.get $b4567
      local.get $acc2x4567
      f32x4.relaxed_madd
      local.set $acc2x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc3x0123
      f32x4.relaxed_madd
      local.set $acc3x0123
      local.get $va
      local.get $b4567
      local.get $acc3x4567
      f32x4.relaxed_madd
      local.set $acc3x4567
      local.get $a
      v128.load32_splat offset=16
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc4x0123
      f32x4.relaxed_madd
      local.set $acc4x0123
      local.get $va
      local.get $b4567
      local.get $acc4x4567
      f32x4.relaxed_madd
      local.set $acc4x4567
      local.get $a
      i32.const 20
      i32.add
      local.set $a
      local.get $b
      i32.const 32
      i32.add
      local.set $b
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
    local.get $c
    local.get $acc0x0123
    v128.store
    local.get $c
    local.get $acc0x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc1x0123
    v128.store
    local.get $c
    local.get $acc1x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc2x0123
    v128.store
    local.get $c
    local.get $acc2x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc3x0123
    v128.store
    local.get $c
    local.get $acc3x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc4x0123
    v128.store
    local.get $c
    local.get $acc4x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
  )
  (func $gemm (export "gemm") (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $panels_m i32) (param $panels_n i32) (param $kc i32) (param $accumulate i32)
    (local $ldc_bytes i32)
    (local $a_stride i32)
    (local $b_stride i32)
    (local $b_panel i32)
    (local $c_tile i32)
    (local $j i32)
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $ldc_bytes
    local.get $kc
    i32.const 20
    i32.mul
    local.set $a_stride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $b_stride
    loop $m_loop
      local.get $bp
      local.set $b_panel
      local.get $c
      local.set $c_tile
      local.get $panels_n
      local.set $j
      loop $n_loop
        local.get $ap
        local.get $b_panel
        local.get $c_tile
        local.get $ldc_bytes
        local.get $kc
        local.get $accumulate
        call $tile_5
        local.get $b_panel
        local.get $b_stride
        i32.add
        local.set $b_panel
        local.get $c_tile
        i32.const 32
        i32.add
        local.set $c_tile
        local.get $j
        i32.const 1
        i32.sub
        local.tee $j
        br_if $n_loop
      end
      local.get $ap
      local.get $a_stride
      i32.add
      local.set $ap
      local.get $c
      local.get $ldc_bytes
      i32.const 5
      i32.mul
      i32.add
      local.set $c
      local.get $panels_m
      i32.const 1
      i32.sub
      local.tee $panels_m
      br_if $m_loop
    end
  )
  (func $tile_4 (param $a i32) (param $b i32) (param $c i32) (param $ldc_bytes i32) (param $kc i32) (param $accumulate i32)
    (local $c_row i32)
    (local $acc0x0123 v128)
    (local $acc0x4567 v128)
    (local $acc1x0123 v128)
    (local $acc1x4567 v128)
    (local $acc2x0123 v128)
    (local $acc2x4567 v128)
    (local $acc3x0123 v128)
    (local $acc3x4567 v128)
    (local $b0123 v128)
    (local $b4567 v128)
    (local $va v128)
    (local $a0123 v128)
    local.get $accumulate
    if $load_c
      local.get $c
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc0x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc0x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc1x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc1x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc2x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc2x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc3x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc3x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
    else
      f32.const 0
      f32x4.splat
      local.set $acc0x0123
      f32.const 0
      f32x4.splat
      local.set $acc0x4567
      f32.const 0
      f32x4.splat
      local.set $acc1x0123
      f32.const 0
      f32x4.splat
      local.set $acc1x4567
      f32.const 0
      f32x4.splat
      local.set $acc2x0123
      f32.const 0
      f32x4.splat
      local.set $acc2x4567
      f32.const 0
      f32x4.splat
      local.set $acc3x0123
      f32.const 0
      f32x4.splat
      local.set $acc3x4567
    end
    loop $k_loop
      local.get $b
      v128.load
      local.set $b0123
      local.get $b
      v128.load offset=16
      local.set $b4567
      local.get $a
      v128.load align=4
      local.set $a0123
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc0x0123
      f32x4.relaxed_madd
      local.set $acc0x0123
      local.get $va
      local.get $b4567
      local.get $acc0x4567
      f32x4.relaxed_madd
      local.set $acc0x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc1x0123
      f32x4.relaxed_madd
      local.set $acc1x0123
      local.get $va
      local.get $b4567
      local.get $acc1x4567
      f32x4.relaxed_madd
      local.set $acc1x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc2x0123
      f32x4.relaxed_madd
      local.set $acc2x0123
      local.get $va
      local.get $b4567
      local.get $acc2x4567
      f32x4.relaxed_madd
      local.set $acc2x4567
      local.get $a0123
      local.get $a0123
      i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc3x0123
      f32x4.relaxed_madd
      local.set $acc3x0123
      local.get $va
      local.get $b4567
      local.get $acc3x4567
      f32x4.relaxed_madd
      local.set $acc3x4567
      local.get $a
      i32.const 20
      i32.add
      local.set $a
      local.get $b
      i32.const 32
      i32.add
      local.set $b
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
    local.get $c
    local.get $acc0x0123
    v128.store
    local.get $c
    local.get $acc0x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc1x0123
    v128.store
    local.get $c
    local.get $acc1x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc2x0123
    v128.store
    local.get $c
    local.get $acc2x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc3x0123
    v128.store
    local.get $c
    local.get $acc3x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
  )
  (func $gemm_4 (export "gemm_4") (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $panels_m i32) (param $panels_n i32) (param $kc i32) (param $accumulate i32)
    (local $ldc_bytes i32)
    (local $a_stride i32)
    (local $b_stride i32)
    (local $b_panel i32)
    (local $c_tile i32)
    (local $j i32)
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $ldc_bytes
    local.get $kc
    i32.const 20
    i32.mul
    local.set $a_stride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $b_stride
    loop $m_loop
      local.get $bp
      local.set $b_panel
      local.get $c
      local.set $c_tile
      local.get $panels_n
      local.set $j
      loop $n_loop
        local.get $ap
        local.get $b_panel
        local.get $c_tile
        local.get $ldc_bytes
        local.get $kc
        local.get $accumulate
        call $tile_4
        local.get $b_panel
        local.get $b_stride
        i32.add
        local.set $b_panel
        local.get $c_tile
        i32.const 32
        i32.add
        local.set $c_tile
        local.get $j
        i32.const 1
        i32.sub
        local.tee $j
        br_if $n_loop
      end
      local.get $ap
      local.get $a_stride
      i32.add
      local.set $ap
      local.get $c
      local.get $ldc_bytes
      i32.const 5
      i32.mul
      i32.add
      local.set $c
      local.get $panels_m
      i32.const 1
      i32.sub
      local.tee $panels_m
      br_if $m_loop
    end
  )
  (func $tile_3 (param $a i32) (param $b i32) (param $c i32) (param $ldc_bytes i32) (param $kc i32) (param $accumulate i32)
    (local $c_row i32)
    (local $acc0x0123 v128)
    (local $acc0x4567 v128)
    (local $acc1x0123 v128)
    (local $acc1x4567 v128)
    (local $acc2x0123 v128)
    (local $acc2x4567 v128)
    (local $b0123 v128)
    (local $b4567 v128)
    (local $va v128)
    local.get $accumulate
    if $load_c
      local.get $c
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc0x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc0x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc1x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc1x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc2x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc2x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
    else
      f32.const 0
      f32x4.splat
      local.set $acc0x0123
      f32.const 0
      f32x4.splat
      local.set $acc0x4567
      f32.const 0
      f32x4.splat
      local.set $acc1x0123
      f32.const 0
      f32x4.splat
      local.set $acc1x4567
      f32.const 0
      f32x4.splat
      local.set $acc2x0123
      f32.const 0
      f32x4.splat
      local.set $acc2x4567
    end
    loop $k_loop
      local.get $b
      v128.load
      local.set $b0123
      local.get $b
      v128.load offset=16
      local.set $b4567
      local.get $a
      v128.load32_splat
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc0x0123
      f32x4.relaxed_madd
      local.set $acc0x0123
      local.get $va
      local.get $b4567
      local.get $acc0x4567
      f32x4.relaxed_madd
      local.set $acc0x4567
      local.get $a
      v128.load32_splat offset=4
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc1x0123
      f32x4.relaxed_madd
      local.set $acc1x0123
      local.get $va
      local.get $b4567
      local.get $acc1x4567
      f32x4.relaxed_madd
      local.set $acc1x4567
      local.get $a
      v128.load32_splat offset=8
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc2x0123
      f32x4.relaxed_madd
      local.set $acc2x0123
      local.get $va
      local.get $b4567
      local.get $acc2x4567
      f32x4.relaxed_madd
      local.set $acc2x4567
      local.get $a
      i32.const 20
      i32.add
      local.set $a
      local.get $b
      i32.const 32
      i32.add
      local.set $b
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
    local.get $c
    local.get $acc0x0123
    v128.store
    local.get $c
    local.get $acc0x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc1x0123
    v128.store
    local.get $c
    local.get $acc1x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc2x0123
    v128.store
    local.get $c
    local.get $acc2x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
  )
  (func $gemm_3 (export "gemm_3") (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $panels_m i32) (param $panels_n i32) (param $kc i32) (param $accumulate i32)
    (local $ldc_bytes i32)
    (local $a_stride i32)
    (local $b_stride i32)
    (local $b_panel i32)
    (local $c_tile i32)
    (local $j i32)
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $ldc_bytes
    local.get $kc
    i32.const 20
    i32.mul
    local.set $a_stride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $b_stride
    loop $m_loop
      local.get $bp
      local.set $b_panel
      local.get $c
      local.set $c_tile
      local.get $panels_n
      local.set $j
      loop $n_loop
        local.get $ap
        local.get $b_panel
        local.get $c_tile
        local.get $ldc_bytes
        local.get $kc
        local.get $accumulate
        call $tile_3
        local.get $b_panel
        local.get $b_stride
        i32.add
        local.set $b_panel
        local.get $c_tile
        i32.const 32
        i32.add
        local.set $c_tile
        local.get $j
        i32.const 1
        i32.sub
        local.tee $j
        br_if $n_loop
      end
      local.get $ap
      local.get $a_stride
      i32.add
      local.set $ap
      local.get $c
      local.get $ldc_bytes
      i32.const 5
      i32.mul
      i32.add
      local.set $c
      local.get $panels_m
      i32.const 1
      i32.sub
      local.tee $panels_m
      br_if $m_loop
    end
  )
  (func $tile_2 (param $a i32) (param $b i32) (param $c i32) (param $ldc_bytes i32) (param $kc i32) (param $accumulate i32)
    (local $c_row i32)
    (local $acc0x0123 v128)
    (local $acc0x4567 v128)
    (local $acc1x0123 v128)
    (local $acc1x4567 v128)
    (local $b0123 v128)
    (local $b4567 v128)
    (local $va v128)
    local.get $accumulate
    if $load_c
      local.get $c
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc0x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc0x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc1x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc1x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
    else
      f32.const 0
      f32x4.splat
      local.set $acc0x0123
      f32.const 0
      f32x4.splat
      local.set $acc0x4567
      f32.const 0
      f32x4.splat
      local.set $acc1x0123
      f32.const 0
      f32x4.splat
      local.set $acc1x4567
    end
    loop $k_loop
      local.get $b
      v128.load
      local.set $b0123
      local.get $b
      v128.load offset=16
      local.set $b4567
      local.get $a
      v128.load32_splat
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc0x0123
      f32x4.relaxed_madd
      local.set $acc0x0123
      local.get $va
      local.get $b4567
      local.get $acc0x4567
      f32x4.relaxed_madd
      local.set $acc0x4567
      local.get $a
      v128.load32_splat offset=4
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc1x0123
      f32x4.relaxed_madd
      local.set $acc1x0123
      local.get $va
      local.get $b4567
      local.get $acc1x4567
      f32x4.relaxed_madd
      local.set $acc1x4567
      local.get $a
      i32.const 20
      i32.add
      local.set $a
      local.get $b
      i32.const 32
      i32.add
      local.set $b
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
    local.get $c
    local.get $acc0x0123
    v128.store
    local.get $c
    local.get $acc0x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
    local.get $c
    local.get $acc1x0123
    v128.store
    local.get $c
    local.get $acc1x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
  )
  (func $gemm_2 (export "gemm_2") (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $panels_m i32) (param $panels_n i32) (param $kc i32) (param $accumulate i32)
    (local $ldc_bytes i32)
    (local $a_stride i32)
    (local $b_stride i32)
    (local $b_panel i32)
    (local $c_tile i32)
    (local $j i32)
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $ldc_bytes
    local.get $kc
    i32.const 20
    i32.mul
    local.set $a_stride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $b_stride
    loop $m_loop
      local.get $bp
      local.set $b_panel
      local.get $c
      local.set $c_tile
      local.get $panels_n
      local.set $j
      loop $n_loop
        local.get $ap
        local.get $b_panel
        local.get $c_tile
        local.get $ldc_bytes
        local.get $kc
        local.get $accumulate
        call $tile_2
        local.get $b_panel
        local.get $b_stride
        i32.add
        local.set $b_panel
        local.get $c_tile
        i32.const 32
        i32.add
        local.set $c_tile
        local.get $j
        i32.const 1
        i32.sub
        local.tee $j
        br_if $n_loop
      end
      local.get $ap
      local.get $a_stride
      i32.add
      local.set $ap
      local.get $c
      local.get $ldc_bytes
      i32.const 5
      i32.mul
      i32.add
      local.set $c
      local.get $panels_m
      i32.const 1
      i32.sub
      local.tee $panels_m
      br_if $m_loop
    end
  )
  (func $tile_1 (param $a i32) (param $b i32) (param $c i32) (param $ldc_bytes i32) (param $kc i32) (param $accumulate i32)
    (local $c_row i32)
    (local $acc0x0123 v128)
    (local $acc0x4567 v128)
    (local $b0123 v128)
    (local $b4567 v128)
    (local $va v128)
    local.get $accumulate
    if $load_c
      local.get $c
      local.set $c_row
      local.get $c_row
      v128.load
      local.set $acc0x0123
      local.get $c_row
      v128.load offset=16
      local.set $acc0x4567
      local.get $c_row
      local.get $ldc_bytes
      i32.add
      local.set $c_row
    else
      f32.const 0
      f32x4.splat
      local.set $acc0x0123
      f32.const 0
      f32x4.splat
      local.set $acc0x4567
    end
    loop $k_loop
      local.get $b
      v128.load
      local.set $b0123
      local.get $b
      v128.load offset=16
      local.set $b4567
      local.get $a
      v128.load32_splat
      local.set $va
      local.get $va
      local.get $b0123
      local.get $acc0x0123
      f32x4.relaxed_madd
      local.set $acc0x0123
      local.get $va
      local.get $b4567
      local.get $acc0x4567
      f32x4.relaxed_madd
      local.set $acc0x4567
      local.get $a
      i32.const 20
      i32.add
      local.set $a
      local.get $b
      i32.const 32
      i32.add
      local.set $b
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
    local.get $c
    local.get $acc0x0123
    v128.store
    local.get $c
    local.get $acc0x4567
    v128.store offset=16
    local.get $c
    local.get $ldc_bytes
    i32.add
    local.set $c
  )
  (func $gemm_1 (export "gemm_1") (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $panels_m i32) (param $panels_n i32) (param $kc i32) (param $accumulate i32)
    (local $ldc_bytes i32)
    (local $a_stride i32)
    (local $b_stride i32)
    (local $b_panel i32)
    (local $c_tile i32)
    (local $j i32)
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $ldc_bytes
    local.get $kc
    i32.const 20
    i32.mul
    local.set $a_stride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $b_stride
    loop $m_loop
      local.get $bp
      local.set $b_panel
      local.get $c
      local.set $c_tile
      local.get $panels_n
      local.set $j
      loop $n_loop
        local.get $ap
        local.get $b_panel
        local.get $c_tile
        local.get $ldc_bytes
        local.get $kc
        local.get $accumulate
        call $tile_1
        local.get $b_panel
        local.get $b_stride
        i32.add
        local.set $b_panel
        local.get $c_tile
        i32.const 32
        i32.add
        local.set $c_tile
        local.get $j
        i32.const 1
        i32.sub
        local.tee $j
        br_if $n_loop
      end
      local.get $ap
      local.get $a_stride
      i32.add
      local.set $ap
      local.get $c
      local.get $ldc_bytes
      i32.const 5
      i32.mul
      i32.add
      local.set $c
      local.get $panels_m
      i32.const 1
      i32.sub
      local.tee $panels_m
      br_if $m_loop
    end
  )
  (func $pack_contiguous_5 (export "pack_contiguous_5") (param $src i32) (param $ld i32) (param $kc i32) (param $panels i32) (param $dst i32) (param $panel_bytes i32)
    (local $ld_bytes i32)
    (local $ld_x1 i32)
    (local $ld_x2 i32)
    (local $ld_x3 i32)
    (local $ld_x4 i32)
    (local $ld_x5 i32)
    (local $ld_x6 i32)
    (local $ld_x7 i32)
    (local $s i32)
    (local $d i32)
    (local $p i32)
    local.get $ld
    i32.const 4
    i32.mul
    local.set $ld_bytes
    local.get $ld_bytes
    i32.const 1
    i32.mul
    local.set $ld_x1
    local.get $ld_bytes
    i32.const 2
    i32.mul
    local.set $ld_x2
    local.get $ld_bytes
    i32.const 3
    i32.mul
    local.set $ld_x3
    local.get $ld_bytes
    i32.const 4
    i32.mul
    local.set $ld_x4
    local.get $ld_bytes
    i32.const 5
    i32.mul
    local.set $ld_x5
    local.get $ld_bytes
    i32.const 6
    i32.mul
    local.set $ld_x6
    local.get $ld_bytes
    i32.const 7
    i32.mul
    local.set $ld_x7
    block $groups_done
      local.get $kc
      i32.const 8
      i32.lt_u
      br_if $groups_done
      loop $group_loop
        local.get $src
        local.set $s
        local.get $dst
        local.set $d
        local.get $panels
        local.set $p
        loop $panel_loop
          local.get $d
          local.get $s
          v128.load align=4
          v128.store align=4
          local.get $d
          local.get $s
          v128.load offset=4 align=4
          v128.store offset=4 align=4
          local.get $d
          local.get $s
          local.get $ld_x1
          i32.add
          v128.load align=4
          v128.store offset=20 align=4
          local.get $d
          local.get $s
          local.get $ld_x1
          i32.add
          v128.load offset=4 align=4
          v128.store offset=24 align=4
          local.get $d
          local.get $s
          local.get $ld_x2
          i32.add
          v128.load align=4
          v128.store offset=40 align=4
          local.get $d
          local.get $s
          local.get $ld_x2
          i32.add
          v128.load offset=4 align=4
          v128.store offset=44 align=4
          local.get $d
          local.get $s
          local.get $ld_x3
          i32.add
          v128.load align=4
          v128.store offset=60 align=4
          local.get $d
          local.get $s
          local.get $ld_x3
          i32.add
          v128.load offset=4 align=4
          v128.store offset=64 align=4
          local.get $d
          local.get $s
          local.get $ld_x4
          i32.add
          v128.load align=4
          v128.store offset=80 align=4
          local.get $d
          local.get $s
          local.get $ld_x4
          i32.add
          v128.load offset=4 align=4
          v128.store offset=84 align=4
          local.get $d
          local.get $s
          local.get $ld_x5
          i32.add
          v128.load align=4
          v128.store offset=100 align=4
          local.get $d
          local.get $s
          local.get $ld_x5
          i32.add
          v128.load offset=4 align=4
          v128.store offset=104 align=4
          local.get $d
          local.get $s
          local.get $ld_x6
          i32.add
          v128.load align=4
          v128.store offset=120 align=4
          local.get $d
          local.get $s
          local.get $ld_x6
          i32.add
          v128.load offset=4 align=4
          v128.store offset=124 align=4
          local.get $d
          local.get $s
          local.get $ld_x7
          i32.add
          v128.load align=4
          v128.store offset=140 align=4
          local.get $d
          local.get $s
          local.get $ld_x7
          i32.add
          v128.load offset=4 align=4
          v128.store offset=144 align=4
          local.get $s
          i32.const 20
          i32.add
          local.set $s
          local.get $d
          local.get $panel_bytes
          i32.add
          local.set $d
          local.get $p
          i32.const 1
          i32.sub
          local.tee $p
          br_if $panel_loop
        end
        local.get $src
        local.get $ld_bytes
        i32.const 8
        i32.mul
        i32.add
        local.set $src
        local.get $dst
        i32.const 160
        i32.add
        local.set $dst
        local.get $kc
        i32.const 8
        i32.sub
        local.tee $kc
        i32.const 8
        i32.ge_u
        br_if $group_loop
      end
    end
    block $rows_done
      local.get $kc
      i32.eqz
      br_if $rows_done
      loop $row_loop
        local.get $src
        local.set $s
        local.get $dst
        local.set $d
        local.get $panels
        local.set $p
        loop $row_panel_loop
          local.get $d
          local.get $s
          v128.load align=4
          v128.store align=4
          local.get $d
          local.get $s
          v128.load offset=4 align=4
          v128.store offset=4 align=4
          local.get $s
          i32.const 20
          i32.add
          local.set $s
          local.get $d
          local.get $panel_bytes
          i32.add
          local.set $d
          local.get $p
          i32.const 1
          i32.sub
          local.tee $p
          br_if $row_panel_loop
        end
        local.get $src
        local.get $ld_bytes
        i32.add
        local.set $src
        local.get $dst
        i32.const 20
        i32.add
        local.set $dst
        local.get $kc
        i32.const 1
        i32.sub
        local.tee $kc
        br_if $row_loop
      end
    end
  )
  (func $pack_strided_5 (export "pack_strided_5") (param $src i32) (param $ld i32) (param $kc4 i32) (param $dst i32)
    (local $ld_bytes i32)
    (local $p i32)
    (local $row0 v128)
    (local $row1 v128)
    (local $row2 v128)
    (local $row3 v128)
    (local $row4 v128)
    (local $t0 v128)
    (local $t1 v128)
    (local $t2 v128)
    (local $t3 v128)
    local.get $ld
    i32.const 4
    i32.mul
    local.set $ld_bytes
    loop $k_loop
      local.get $src
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row0
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row1
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row2
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row3
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row4
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $row0
      local.get $row1
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t0
      local.get $row0
      local.get $row1
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t1
      local.get $row2
      local.get $row3
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t2
      local.get $row2
      local.get $row3
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t3
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store align=4
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=20 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store offset=40 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=60 align=4
      local.get $dst
      local.get $row4
      v128.store32_lane offset=16 0
      local.get $dst
      local.get $row4
      v128.store32_lane offset=36 1
      local.get $dst
      local.get $row4
      v128.store32_lane offset=56 2
      local.get $dst
      local.get $row4
      v128.store32_lane offset=76 3
      local.get $src
      i32.const 16
      i32.add
      local.set $src
      local.get $dst
      i32.const 80
      i32.add
      local.set $dst
      local.get $kc4
      i32.const 1
      i32.sub
      local.tee $kc4
      br_if $k_loop
    end
  )
  (func $pack_contiguous_8 (export "pack_contiguous_8") (param $src i32) (param $ld i32) (param $kc i32) (param $panels i32) (param $dst i32) (param $panel_bytes i32)
    (local $ld_bytes i32)
    (local $ld_x1 i32)
    (local $ld_x2 i32)
    (local $ld_x3 i32)
    (local $ld_x4 i32)
    (local $ld_x5 i32)
    (local $ld_x6 i32)
    (local $ld_x7 i32)
    (local $s i32)
    (local $d i32)
    (local $p i32)
    local.get $ld
    i32.const 4
    i32.mul
    local.set $ld_bytes
    local.get $ld_bytes
    i32.const 1
    i32.mul
    local.set $ld_x1
    local.get $ld_bytes
    i32.const 2
    i32.mul
    local.set $ld_x2
    local.get $ld_bytes
    i32.const 3
    i32.mul
    local.set $ld_x3
    local.get $ld_bytes
    i32.const 4
    i32.mul
    local.set $ld_x4
    local.get $ld_bytes
    i32.const 5
    i32.mul
    local.set $ld_x5
    local.get $ld_bytes
    i32.const 6
    i32.mul
    local.set $ld_x6
    local.get $ld_bytes
    i32.const 7
    i32.mul
    local.set $ld_x7
    block $groups_done
      local.get $kc
      i32.const 8
      i32.lt_u
      br_if $groups_done
      loop $group_loop
        local.get $src
        local.set $s
        local.get $dst
        local.set $d
        local.get $panels
        local.set $p
        loop $panel_loop
          local.get $d
          local.get $s
          v128.load align=4
          v128.store align=4
          local.get $d
          local.get $s
          v128.load offset=16 align=4
          v128.store offset=16 align=4
          local.get $d
          local.get $s
          local.get $ld_x1
          i32.add
          v128.load align=4
          v128.store offset=32 align=4
          local.get $d
          local.get $s
          local.get $ld_x1
          i32.add
          v128.load offset=16 align=4
          v128.store offset=48 align=4
          local.get $d
          local.get $s
          local.get $ld_x2
          i32.add
          v128.load align=4
          v128.store offset=64 align=4
          local.get $d
          local.get $s
          local.get $ld_x2
          i32.add
          v128.load offset=16 align=4
          v128.store offset=80 align=4
          local.get $d
          local.get $s
          local.get $ld_x3
          i32.add
          v128.load align=4
          v128.store offset=96 align=4
          local.get $d
          local.get $s
          local.get $ld_x3
          i32.add
          v128.load offset=16 align=4
          v128.store offset=112 align=4
          local.get $d
          local.get $s
          local.get $ld_x4
          i32.add
          v128.load align=4
          v128.store offset=128 align=4
          local.get $d
          local.get $s
          local.get $ld_x4
          i32.add
          v128.load offset=16 align=4
          v128.store offset=144 align=4
          local.get $d
          local.get $s
          local.get $ld_x5
          i32.add
          v128.load align=4
          v128.store offset=160 align=4
          local.get $d
          local.get $s
          local.get $ld_x5
          i32.add
          v128.load offset=16 align=4
          v128.store offset=176 align=4
          local.get $d
          local.get $s
          local.get $ld_x6
          i32.add
          v128.load align=4
          v128.store offset=192 align=4
          local.get $d
          local.get $s
          local.get $ld_x6
          i32.add
          v128.load offset=16 align=4
          v128.store offset=208 align=4
          local.get $d
          local.get $s
          local.get $ld_x7
          i32.add
          v128.load align=4
          v128.store offset=224 align=4
          local.get $d
          local.get $s
          local.get $ld_x7
          i32.add
          v128.load offset=16 align=4
          v128.store offset=240 align=4
          local.get $s
          i32.const 32
          i32.add
          local.set $s
          local.get $d
          local.get $panel_bytes
          i32.add
          local.set $d
          local.get $p
          i32.const 1
          i32.sub
          local.tee $p
          br_if $panel_loop
        end
        local.get $src
        local.get $ld_bytes
        i32.const 8
        i32.mul
        i32.add
        local.set $src
        local.get $dst
        i32.const 256
        i32.add
        local.set $dst
        local.get $kc
        i32.const 8
        i32.sub
        local.tee $kc
        i32.const 8
        i32.ge_u
        br_if $group_loop
      end
    end
    block $rows_done
      local.get $kc
      i32.eqz
      br_if $rows_done
      loop $row_loop
        local.get $src
        local.set $s
        local.get $dst
        local.set $d
        local.get $panels
        local.set $p
        loop $row_panel_loop
          local.get $d
          local.get $s
          v128.load align=4
          v128.store align=4
          local.get $d
          local.get $s
          v128.load offset=16 align=4
          v128.store offset=16 align=4
          local.get $s
          i32.const 32
          i32.add
          local.set $s
          local.get $d
          local.get $panel_bytes
          i32.add
          local.set $d
          local.get $p
          i32.const 1
          i32.sub
          local.tee $p
          br_if $row_panel_loop
        end
        local.get $src
        local.get $ld_bytes
        i32.add
        local.set $src
        local.get $dst
        i32.const 32
        i32.add
        local.set $dst
        local.get $kc
        i32.const 1
        i32.sub
        local.tee $kc
        br_if $row_loop
      end
    end
  )
  (func $pack_strided_8 (export "pack_strided_8") (param $src i32) (param $ld i32) (param $kc4 i32) (param $dst i32)
    (local $ld_bytes i32)
    (local $p i32)
    (local $row0 v128)
    (local $row1 v128)
    (local $row2 v128)
    (local $row3 v128)
    (local $row4 v128)
    (local $row5 v128)
    (local $row6 v128)
    (local $row7 v128)
    (local $t0 v128)
    (local $t1 v128)
    (local $t2 v128)
    (local $t3 v128)
    local.get $ld
    i32.const 4
    i32.mul
    local.set $ld_bytes
    loop $k_loop
      local.get $src
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row0
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row1
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row2
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row3
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row4
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row5
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row6
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $p
      v128.load align=4
      local.set $row7
      local.get $p
      local.get $ld_bytes
      i32.add
      local.set $p
      local.get $row0
      local.get $row1
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t0
      local.get $row0
      local.get $row1
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t1
      local.get $row2
      local.get $row3
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t2
      local.get $row2
      local.get $row3
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t3
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store align=4
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=32 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store offset=64 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=96 align=4
      local.get $row4
      local.get $row5
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t0
      local.get $row4
      local.get $row5
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t1
      local.get $row6
      local.get $row7
      i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
      local.set $t2
      local.get $row6
      local.get $row7
      i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
      local.set $t3
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store offset=16 align=4
      local.get $dst
      local.get $t0
      local.get $t2
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=48 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      v128.store offset=80 align=4
      local.get $dst
      local.get $t1
      local.get $t3
      i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      v128.store offset=112 align=4
      local.get $src
      i32.const 16
      i32.add
      local.set $src
      local.get $dst
      i32.const 128
      i32.add
      local.set $dst
      local.get $kc4
      i32.const 1
      i32.sub
      local.tee $kc4
      br_if $k_loop
    end
  )
  (func $pack_lanes (export "pack_lanes") (param $src i32) (param $lane_stride i32) (param $k_stride i32) (param $kc i32) (param $valid i32) (param $width i32) (param $dst i32)
    (local $l i32)
    (local $p i32)
    local.get $lane_stride
    i32.const 4
    i32.mul
    local.set $lane_stride
    local.get $k_stride
    i32.const 4
    i32.mul
    local.set $k_stride
    loop $k_loop
      i32.const 0
      local.set $l
      local.get $src
      local.set $p
      loop $lane_loop
        local.get $l
        local.get $valid
        i32.lt_u
        if $in_range
          local.get $dst
          local.get $p
          f32.load
          f32.store
        else
          local.get $dst
          f32.const 0
          f32.store
        end
        local.get $p
        local.get $lane_stride
        i32.add
        local.set $p
        local.get $dst
        i32.const 4
        i32.add
        local.set $dst
        local.get $l
        i32.const 1
        i32.add
        local.tee $l
        local.get $width
        i32.lt_u
        br_if $lane_loop
      end
      local.get $src
      local.get $k_stride
      i32.add
      local.set $src
      local.get $kc
      i32.const 1
      i32.sub
      local.tee $kc
      br_if $k_loop
    end
  )
)

(module
  (import "env" "memory" (memory 1 1024 shared))
  (func $add_11 (export "add_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.add
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $add_10 (export "add_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.add
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $add_01 (export "add_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.add
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sub_11 (export "sub_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.sub
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sub_10 (export "sub_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.sub
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sub_01 (export "sub_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.sub
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $mul_11 (export "mul_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $mul_10 (export "mul_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $mul_01 (export "mul_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $div_11 (export "div_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.div
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $div_10 (export "div_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.div
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $div_01 (export "div_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.div
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $greater_11 (export "greater_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.gt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $greater_10 (export "greater_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.gt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $greater_01 (export "greater_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.gt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $maximum_11 (export "maximum_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.max
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $maximum_10 (export "maximum_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.max
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $maximum_01 (export "maximum_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.max
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $equal_11 (export "equal_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.eq
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $equal_10 (export "equal_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.eq
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $equal_01 (export "equal_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.eq
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $less_11 (export "less_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.lt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $less_10 (export "less_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32x4.lt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $less_01 (export "less_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32x4.lt
        f32.const 1
        f32x4.splat
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $reluGrad_11 (export "reluGrad_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32.const 0
        f32x4.splat
        f32x4.gt
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $reluGrad_10 (export "reluGrad_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        f32.const 0
        f32x4.splat
        f32x4.gt
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $reluGrad_01 (export "reluGrad_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        f32.const 0
        f32x4.splat
        f32x4.gt
        v128.and
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sigmoidGrad_11 (export "sigmoidGrad_11") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $b
        v128.load
        local.tee $t
        f32.const 1
        f32x4.splat
        local.get $t
        f32x4.sub
        f32x4.mul
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sigmoidGrad_10 (export "sigmoidGrad_10") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $b
      v128.load32_splat
      local.set $bv
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.get $bv
        local.tee $t
        f32.const 1
        f32x4.splat
        local.get $t
        f32x4.sub
        f32x4.mul
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sigmoidGrad_01 (export "sigmoidGrad_01") (param $a i32) (param $b i32) (param $o i32) (param $quads i32)
    (local $av v128)
    (local $bv v128)
    (local $t v128)
    block $done
      local.get $a
      v128.load32_splat
      local.set $av
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $av
        local.get $b
        v128.load
        local.tee $t
        f32.const 1
        f32x4.splat
        local.get $t
        f32x4.sub
        f32x4.mul
        f32x4.mul
        v128.store
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $neg (export "neg") (param $a i32) (param $o i32) (param $quads i32)
    (local $x v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.set $x
        local.get $x
        f32x4.neg
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $square (export "square") (param $a i32) (param $o i32) (param $quads i32)
    (local $x v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.set $x
        local.get $x
        local.get $x
        f32x4.mul
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $relu (export "relu") (param $a i32) (param $o i32) (param $quads i32)
    (local $x v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $a
        v128.load
        local.set $x
        local.get $x
        local.get $x
        f32.const 0
        f32x4.splat
        f32x4.gt
        v128.and
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $copy_rows (export "copy_rows") (param $a_row i32) (param $a_stride i32) (param $o_row i32) (param $o_stride i32) (param $rows i32) (param $row_quads i32)
    (local $a i32)
    (local $o i32)
    (local $quads i32)
    (local $x v128)
    block $rows_done
      local.get $rows
      i32.eqz
      br_if $rows_done
      loop $row
        local.get $a_row
        local.set $a
        local.get $o_row
        local.set $o
        local.get $row_quads
        local.set $quads
        block $done
          local.get $quads
          i32.eqz
          br_if $done
          loop $quad
            local.get $o
            local.get $a
            v128.load
            v128.store
            local.get $a
            i32.const 16
            i32.add
            local.set $a
            local.get $o
            i32.const 16
            i32.add
            local.set $o
            local.get $quads
            i32.const 1
            i32.sub
            local.tee $quads
            br_if $quad
          end
        end
        local.get $a_row
        local.get $a_stride
        i32.add
        local.set $a_row
        local.get $o_row
        local.get $o_stride
        i32.add
        local.set $o_row
        local.get $rows
        i32.const 1
        i32.sub
        local.tee $rows
        br_if $row
      end
    end
  )
  (func $sum_rows (export "sum_rows") (param $a_row i32) (param $a_stride i32) (param $o_row i32) (param $rows i32) (param $row_quads i32)
    (local $a i32)
    (local $o i32)
    (local $quads i32)
    (local $x v128)
    block $rows_done
      local.get $rows
      i32.eqz
      br_if $rows_done
      loop $row
        local.get $a_row
        local.set $a
        local.get $o_row
        local.set $o
        local.get $row_quads
        local.set $quads
        block $done
          local.get $quads
          i32.eqz
          br_if $done
          loop $quad
            local.get $a
            v128.load
            local.set $x
            local.get $o
            local.get $o
            v128.load
            local.get $x
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store
            local.get $o
            local.get $o
            v128.load offset=16
            local.get $x
            local.get $x
            i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15
            f64x2.promote_low_f32x4
            f64x2.add
            v128.store offset=16
            local.get $a
            i32.const 16
            i32.add
            local.set $a
            local.get $o
            i32.const 32
            i32.add
            local.set $o
            local.get $quads
            i32.const 1
            i32.sub
            local.tee $quads
            br_if $quad
          end
        end
        local.get $a_row
        local.get $a_stride
        i32.add
        local.set $a_row
        local.get $rows
        i32.const 1
        i32.sub
        local.tee $rows
        br_if $row
      end
    end
  )
  (func $sum (export "sum") (param $a i32) (param $quads i32) (result f64)
    (local $x v128)
    (local $lo v128)
    (local $hi v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $a
        v128.load
        local.set $x
        local.get $lo
        local.get $x
        f64x2.promote_low_f32x4
        f64x2.add
        local.set $lo
        local.get $hi
        local.get $x
        local.get $x
        i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15
        f64x2.promote_low_f32x4
        f64x2.add
        local.set $hi
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
    local.get $lo
    local.get $hi
    f64x2.add
    local.set $x
    local.get $x
    f64x2.extract_lane 0
    local.get $x
    f64x2.extract_lane 1
    f64.add
  )
  (func $sigmoid (export "sigmoid") (param $a i32) (param $o i32) (param $quads i32)
    (local $rest i32)
    (local $x0 v128)
    (local $t0 v128)
    (local $n0 v128)
    (local $half0 v128)
    (local $r0 v128)
    (local $r20 v128)
    (local $e0 v128)
    (local $s0 v128)
    (local $x1 v128)
    (local $t1 v128)
    (local $n1 v128)
    (local $half1 v128)
    (local $r1 v128)
    (local $r21 v128)
    (local $e1 v128)
    (local $s1 v128)
    local.get $quads
    i32.const 1
    i32.and
    local.set $rest
    local.get $quads
    i32.const 1
    i32.shr_u
    local.set $quads
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $a
        v128.load
        local.set $x0
        local.get $x0
        f32.const -0
        f32x4.splat
        v128.or
        local.set $t0
        local.get $t0
        f32.const -104
        f32x4.splat
        f32x4.pmax
        local.set $t0
        local.get $t0
        f32.const 1.4426950408889634
        f32x4.splat
        f32x4.mul
        f32x4.nearest
        local.set $n0
        local.get $t0
        local.get $n0
        f32.const 0.693145751953125
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.get $n0
        f32.const 0.000001428606765330187
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.set $r0
        local.get $r0
        local.get $r0
        f32x4.mul
        local.set $r20
        local.get $r0
        f32.const 1
        f32x4.splat
        f32x4.mul
        f32.const 1
        f32x4.splat
        f32x4.add
        local.get $r20
        local.get $r0
        f32.const 0.16666666666666666
        f32x4.splat
        f32x4.mul
        f32.const 0.5
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $r20
        local.get $r20
        f32x4.mul
        local.get $r0
        f32.const 0.008333333333333333
        f32x4.splat
        f32x4.mul
        f32.const 0.041666666666666664
        f32x4.splat
        f32x4.add
        local.get $r20
        local.get $r0
        f32.const 0.0001984126984126984
        f32x4.splat
        f32x4.mul
        f32.const 0.001388888888888889
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $n0
        f32.const 12582912
        f32x4.splat
        f32x4.add
        i32.const 1262485504
        i32x4.splat
        i32x4.sub
        local.set $n0
        local.get $n0
        i32.const 1
        i32x4.shr_s
        local.set $half0
        local.get $half0
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.get $n0
        local.get $half0
        i32x4.sub
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.set $e0
        f32.const 1
        f32x4.splat
        f32.const 1
        f32x4.splat
        local.get $e0
        f32x4.add
        f32x4.div
        local.set $s0
        local.get $o
        local.get $s0
        local.get $e0
        local.get $s0
        f32x4.mul
        local.get $x0
        f32.const 0
        f32x4.splat
        f32x4.ge
        v128.bitselect
        v128.store
        local.get $a
        v128.load offset=16
        local.set $x1
        local.get $x1
        f32.const -0
        f32x4.splat
        v128.or
        local.set $t1
        local.get $t1
        f32.const -104
        f32x4.splat
        f32x4.pmax
        local.set $t1
        local.get $t1
        f32.const 1.4426950408889634
        f32x4.splat
        f32x4.mul
        f32x4.nearest
        local.set $n1
        local.get $t1
        local.get $n1
        f32.const 0.693145751953125
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.get $n1
        f32.const 0.000001428606765330187
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.set $r1
        local.get $r1
        local.get $r1
        f32x4.mul
        local.set $r21
        local.get $r1
        f32.const 1
        f32x4.splat
        f32x4.mul
        f32.const 1
        f32x4.splat
        f32x4.add
        local.get $r21
        local.get $r1
        f32.const 0.16666666666666666
        f32x4.splat
        f32x4.mul
        f32.const 0.5
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $r21
        local.get $r21
        f32x4.mul
        local.get $r1
        f32.const 0.008333333333333333
        f32x4.splat
        f32x4.mul
        f32.const 0.041666666666666664
        f32x4.splat
        f32x4.add
        local.get $r21
        local.get $r1
        f32.const 0.0001984126984126984
        f32x4.splat
        f32x4.mul
        f32.const 0.001388888888888889
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $n1
        f32.const 12582912
        f32x4.splat
        f32x4.add
        i32.const 1262485504
        i32x4.splat
        i32x4.sub
        local.set $n1
        local.get $n1
        i32.const 1
        i32x4.shr_s
        local.set $half1
        local.get $half1
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.get $n1
        local.get $half1
        i32x4.sub
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.set $e1
        f32.const 1
        f32x4.splat
        f32.const 1
        f32x4.splat
        local.get $e1
        f32x4.add
        f32x4.div
        local.set $s1
        local.get $o
        local.get $s1
        local.get $e1
        local.get $s1
        f32x4.mul
        local.get $x1
        f32.const 0
        f32x4.splat
        f32x4.ge
        v128.bitselect
        v128.store offset=16
        local.get $a
        i32.const 32
        i32.add
        local.set $a
        local.get $o
        i32.const 32
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
    local.get $rest
    local.set $quads
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $a
        v128.load
        local.set $x0
        local.get $x0
        f32.const -0
        f32x4.splat
        v128.or
        local.set $t0
        local.get $t0
        f32.const -104
        f32x4.splat
        f32x4.pmax
        local.set $t0
        local.get $t0
        f32.const 1.4426950408889634
        f32x4.splat
        f32x4.mul
        f32x4.nearest
        local.set $n0
        local.get $t0
        local.get $n0
        f32.const 0.693145751953125
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.get $n0
        f32.const 0.000001428606765330187
        f32x4.splat
        f32x4.mul
        f32x4.sub
        local.set $r0
        local.get $r0
        local.get $r0
        f32x4.mul
        local.set $r20
        local.get $r0
        f32.const 1
        f32x4.splat
        f32x4.mul
        f32.const 1
        f32x4.splat
        f32x4.add
        local.get $r20
        local.get $r0
        f32.const 0.16666666666666666
        f32x4.splat
        f32x4.mul
        f32.const 0.5
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $r20
        local.get $r20
        f32x4.mul
        local.get $r0
        f32.const 0.008333333333333333
        f32x4.splat
        f32x4.mul
        f32.const 0.041666666666666664
        f32x4.splat
        f32x4.add
        local.get $r20
        local.get $r0
        f32.const 0.0001984126984126984
        f32x4.splat
        f32x4.mul
        f32.const 0.001388888888888889
        f32x4.splat
        f32x4.add
        f32x4.mul
        f32x4.add
        f32x4.mul
        f32x4.add
        local.get $n0
        f32.const 12582912
        f32x4.splat
        f32x4.add
        i32.const 1262485504
        i32x4.splat
        i32x4.sub
        local.set $n0
        local.get $n0
        i32.const 1
        i32x4.shr_s
        local.set $half0
        local.get $half0
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.get $n0
        local.get $half0
        i32x4.sub
        i32.const 127
        i32x4.splat
        i32x4.add
        i32.const 23
        i32x4.shl
        f32x4.mul
        local.set $e0
        f32.const 1
        f32x4.splat
        f32.const 1
        f32x4.splat
        local.get $e0
        f32x4.add
        f32x4.div
        local.set $s0
        local.get $o
        local.get $s0
        local.get $e0
        local.get $s0
        f32x4.mul
        local.get $x0
        f32.const 0
        f32x4.splat
        f32x4.ge
        v128.bitselect
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $log (export "log") (param $a i32) (param $o i32) (param $quads i32)
    (local $x v128)
    (local $sub v128)
    (local $s v128)
    (local $e v128)
    (local $m v128)
    (local $low v128)
    (local $f v128)
    (local $z v128)
    (local $y v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $a
        v128.load
        local.set $x
        local.get $x
        f32.const 1.1754943508222875e-38
        f32x4.splat
        f32x4.lt
        local.set $sub
        local.get $x
        f32.const 8388608
        f32x4.splat
        f32x4.mul
        local.get $x
        local.get $sub
        v128.bitselect
        local.set $s
        local.get $s
        i32.const 23
        i32x4.shr_u
        i32.const 126
        i32x4.splat
        i32x4.sub
        local.get $sub
        i32.const -23
        i32x4.splat
        v128.and
        i32x4.add
        local.set $e
        local.get $s
        i32.const 8388607
        i32x4.splat
        v128.and
        i32.const 1056964608
        i32x4.splat
        v128.or
        local.set $m
        local.get $m
        f32.const 0.7071067811865476
        f32x4.splat
        f32x4.lt
        local.set $low
        local.get $e
        local.get $low
        i32x4.add
        local.set $e
        local.get $m
        local.get $m
        f32x4.add
        f32.const 1
        f32x4.splat
        f32x4.sub
        local.get $m
        f32.const 1
        f32x4.splat
        f32x4.sub
        local.get $low
        v128.bitselect
        local.set $f
        local.get $f
        local.get $f
        f32x4.mul
        local.set $z
        local.get $e
        f32x4.convert_i32x4_s
        local.set $e
        f32.const 0.070376836292
        f32x4.splat
        local.get $f
        f32x4.mul
        f32.const -0.1151461031
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const 0.1167699874
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const -0.12420140846
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const 0.14249322787
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const -0.16668057665
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const 0.20000714765
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const -0.24999993993
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        f32.const 0.33333331174
        f32x4.splat
        f32x4.add
        local.get $f
        f32x4.mul
        local.get $z
        f32x4.mul
        local.get $e
        f32.const -0.00021219444
        f32x4.splat
        f32x4.mul
        f32x4.add
        f32.const -0.5
        f32x4.splat
        local.get $z
        f32x4.mul
        f32x4.add
        local.set $y
        local.get $f
        local.get $y
        f32x4.add
        local.get $e
        f32.const 0.693359375
        f32x4.splat
        f32x4.mul
        f32x4.add
        local.set $y
        f32.const -Infinity
        f32x4.splat
        local.get $y
        local.get $x
        f32.const 0
        f32x4.splat
        f32x4.eq
        v128.bitselect
        local.set $y
        f32.const NaN
        f32x4.splat
        local.get $y
        local.get $x
        f32.const 0
        f32x4.splat
        f32x4.lt
        v128.bitselect
        local.set $y
        local.get $x
        local.get $y
        local.get $x
        f32.const 3.4028234663852886e+38
        f32x4.splat
        f32x4.gt
        v128.bitselect
        local.set $y
        local.get $y
        local.get $x
        local.get $x
        local.get $x
        f32x4.eq
        v128.bitselect
        local.set $y
        local.get $o
        local.get $y
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $im2col (export "im2col") (param $a i32) (param $o i32) (param $units i32) (param $r0 i32) (param $unit_rows i32) (param $images i32) (param $planes i32) (param $h i32) (param $w i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $oh i32) (param $ow i32) (param $pad f32)
    (local $rows i32)
    (local $r i32)
    (local $k i32)
    (local $c i32)
    (local $i i32)
    (local $j i32)
    (local $n i32)
    (local $oy i32)
    (local $ox i32)
    (local $y i32)
    (local $x i32)
    (local $plane i32)
    (local $row i32)
    (local $v f32)
    local.get $units
    local.get $unit_rows
    i32.mul
    local.set $rows
    i32.const 0
    local.set $r
    block $matrix_rows_done
      local.get $rows
      i32.eqz
      br_if $matrix_rows_done
      loop $matrix_rows
        local.get $r0
        local.get $r
        i32.add
        local.set $k
        local.get $k
        local.get $kh
        local.get $kw
        i32.mul
        i32.div_u
        local.set $c
        local.get $k
        local.get $kw
        i32.div_u
        local.get $kh
        i32.rem_u
        local.set $i
        local.get $k
        local.get $kw
        i32.rem_u
        local.set $j
        i32.const 0
        local.set $n
        block $images_done
          local.get $images
          i32.eqz
          br_if $images_done
          loop $images
            local.get $a
            local.get $n
            local.get $planes
            i32.mul
            local.get $c
            i32.add
            local.get $h
            i32.mul
            local.get $w
            i32.mul
            i32.const 4
            i32.mul
            i32.add
            local.set $plane
            i32.const 0
            local.set $oy
            block $out_rows_done
              local.get $oh
              i32.eqz
              br_if $out_rows_done
              loop $out_rows
                local.get $oy
                local.get $sh
                i32.mul
                local.get $ph
                i32.sub
                local.get $i
                i32.add
                local.set $y
                local.get $j
                local.get $pw
                i32.sub
                local.set $x
                local.get $y
                local.get $h
                i32.lt_u
                if $row_in
                  local.get $plane
                  local.get $y
                  local.get $w
                  i32.mul
                  i32.const 4
                  i32.mul
                  i32.add
                  local.set $row
                  i32.const 0
                  local.set $ox
                  block $columns_done
                    local.get $ow
                    i32.eqz
                    br_if $columns_done
                    loop $columns
                      local.get $x
                      local.get $w
                      i32.lt_u
                      if $in
                        local.get $row
                        local.get $x
                        i32.const 4
                        i32.mul
                        i32.add
                        f32.load
                        local.set $v
                      else
                        local.get $pad
                        local.set $v
                      end
                      local.get $o
                      local.get $v
                      f32.store
                      local.get $o
                      i32.const 4
                      i32.add
                      local.set $o
                      local.get $x
                      local.get $sw
                      i32.add
                      local.set $x
                      local.get $ox
                      i32.const 1
                      i32.add
                      local.tee $ox
                      local.get $ow
                      i32.lt_u
                      br_if $columns
                    end
                  end
                else
                  i32.const 0
                  local.set $ox
                  block $pads_done
                    local.get $ow
                    i32.eqz
                    br_if $pads_done
                    loop $pads
                      local.get $o
                      local.get $pad
                      f32.store
                      local.get $o
                      i32.const 4
                      i32.add
                      local.set $o
                      local.get $ox
                      i32.const 1
                      i32.add
                      local.tee $ox
                      local.get $ow
                      i32.lt_u
                      br_if $pads
                    end
                  end
                end
                local.get $oy
                i32.const 1
                i32.add
                local.tee $oy
                local.get $oh
                i32.lt_u
                br_if $out_rows
              end
            end
            local.get $n
            i32.const 1
            i32.add
            local.tee $n
            local.get $images
            i32.lt_u
            br_if $images
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.tee $r
        local.get $rows
        i32.lt_u
        br_if $matrix_rows
      end
    end
  )
  (func $col2im (export "col2im") (param $a i32) (param $o i32) (param $units i32) (param $r0 i32) (param $unit_rows i32) (param $images i32) (param $planes i32) (param $h i32) (param $w i32) (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $oh i32) (param $ow i32)
    (local $rows i32)
    (local $r i32)
    (local $k i32)
    (local $c i32)
    (local $i i32)
    (local $j i32)
    (local $n i32)
    (local $oy i32)
    (local $ox i32)
    (local $y i32)
    (local $x i32)
    (local $plane i32)
    (local $row i32)
    (local $v f32)
    local.get $units
    local.get $unit_rows
    i32.mul
    local.set $rows
    i32.const 0
    local.set $r
    block $matrix_rows_done
      local.get $rows
      i32.eqz
      br_if $matrix_rows_done
      loop $matrix_rows
        local.get $r0
        local.get $r
        i32.add
        local.set $k
        local.get $k
        local.get $kh
        local.get $kw
        i32.mul
        i32.div_u
        local.set $c
        local.get $k
        local.get $kw
        i32.div_u
        local.get $kh
        i32.rem_u
        local.set $i
        local.get $k
        local.get $kw
        i32.rem_u
        local.set $j
        i32.const 0
        local.set $n
        block $images_done
          local.get $images
          i32.eqz
          br_if $images_done
          loop $images
            local.get $o
            local.get $n
            local.get $planes
            i32.mul
            local.get $c
            i32.add
            local.get $h
            i32.mul
            local.get $w
            i32.mul
            i32.const 4
            i32.mul
            i32.add
            local.set $plane
            i32.const 0
            local.set $oy
            block $out_rows_done
              local.get $oh
              i32.eqz
              br_if $out_rows_done
              loop $out_rows
                local.get $oy
                local.get $sh
                i32.mul
                local.get $ph
                i32.sub
                local.get $i
                i32.add
                local.set $y
                local.get $j
                local.get $pw
                i32.sub
                local.set $x
                local.get $y
                local.get $h
                i32.lt_u
                if $row_in
                  local.get $plane
                  local.get $y
                  local.get $w
                  i32.mul
                  i32.const 4
                  i32.mul
                  i32.add
                  local.set $row
                  i32.const 0
                  local.set $ox
                  block $columns_done
                    local.get $ow
                    i32.eqz
                    br_if $columns_done
                    loop $columns
                      local.get $x
                      local.get $w
                      i32.lt_u
                      if $in
                        local.get $row
                        local.get $x
                        i32.const 4
                        i32.mul
                        i32.add
                        local.get $row
                        local.get $x
                        i32.const 4
                        i32.mul
                        i32.add
                        f32.load
                        local.get $a
                        f32.load
                        f32.add
                        f32.store
                      end
                      local.get $a
                      i32.const 4
                      i32.add
                      local.set $a
                      local.get $x
                      local.get $sw
                      i32.add
                      local.set $x
                      local.get $ox
                      i32.const 1
                      i32.add
                      local.tee $ox
                      local.get $ow
                      i32.lt_u
                      br_if $columns
                    end
                  end
                else
                  local.get $a
                  local.get $ow
                  i32.const 4
                  i32.mul
                  i32.add
                  local.set $a
                end
                local.get $oy
                i32.const 1
                i32.add
                local.tee $oy
                local.get $oh
                i32.lt_u
                br_if $out_rows
              end
            end
            local.get $n
            i32.const 1
            i32.add
            local.tee $n
            local.get $images
            i32.lt_u
            br_if $images
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.tee $r
        local.get $rows
        i32.lt_u
        br_if $matrix_rows
      end
    end
  )
  (func $adam (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $quads i32) (param $b1 f32) (param $b2 f32) (param $keep1 f32) (param $keep2 f32) (param $step f32) (param $corr f32) (param $eps f32) (param $decay f32) (param $l2 f32)
    (local $rest i32)
    (local $b14 v128)
    (local $b24 v128)
    (local $keep14 v128)
    (local $keep24 v128)
    (local $step4 v128)
    (local $corr4 v128)
    (local $eps4 v128)
    (local $decay4 v128)
    (local $l24 v128)
    (local $w0 v128)
    (local $d0 v128)
    (local $mi0 v128)
    (local $vi0 v128)
    (local $w1 v128)
    (local $d1 v128)
    (local $mi1 v128)
    (local $vi1 v128)
    local.get $b1
    f32x4.splat
    local.set $b14
    local.get $b2
    f32x4.splat
    local.set $b24
    local.get $keep1
    f32x4.splat
    local.set $keep14
    local.get $keep2
    f32x4.splat
    local.set $keep24
    local.get $step
    f32x4.splat
    local.set $step4
    local.get $corr
    f32x4.splat
    local.set $corr4
    local.get $eps
    f32x4.splat
    local.set $eps4
    local.get $decay
    f32x4.splat
    local.set $decay4
    local.get $l2
    f32x4.splat
    local.set $l24
    local.get $quads
    i32.const 1
    i32.and
    local.set $rest
    local.get $quads
    i32.const 1
    i32.shr_u
    local.set $quads
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $p
        v128.load
        local.get $decay4
        f32x4.mul
        local.set $w0
        local.get $g
        v128.load
        local.get $l24
        local.get $w0
        f32x4.mul
        f32x4.add
        local.set $d0
        local.get $b14
        local.get $m
        v128.load
        f32x4.mul
        local.get $keep14
        local.get $d0
        f32x4.mul
        f32x4.add
        local.set $mi0
        local.get $b24
        local.get $v
        v128.load
        f32x4.mul
        local.get $keep24
        local.get $d0
        local.get $d0
        f32x4.mul
        f32x4.mul
        f32x4.add
        local.set $vi0
        local.get $m
        local.get $mi0
        v128.store
        local.get $v
        local.get $vi0
        v128.store
        local.get $p
        local.get $w0
        local.get $step4
        local.get $mi0
        f32x4.mul
        local.get $vi0
        f32x4.sqrt
        local.get $corr4
        f32x4.mul
        local.get $eps4
        f32x4.add
        f32x4.div
        f32x4.sub
        v128.store
        local.get $p
        v128.load offset=16
        local.get $decay4
        f32x4.mul
        local.set $w1
        local.get $g
        v128.load offset=16
        local.get $l24
        local.get $w1
        f32x4.mul
        f32x4.add
        local.set $d1
        local.get $b14
        local.get $m
        v128.load offset=16
        f32x4.mul
        local.get $keep14
        local.get $d1
        f32x4.mul
        f32x4.add
        local.set $mi1
        local.get $b24
        local.get $v
        v128.load offset=16
        f32x4.mul
        local.get $keep24
        local.get $d1
        local.get $d1
        f32x4.mul
        f32x4.mul
        f32x4.add
        local.set $vi1
        local.get $m
        local.get $mi1
        v128.store offset=16
        local.get $v
        local.get $vi1
        v128.store offset=16
        local.get $p
        local.get $w1
        local.get $step4
        local.get $mi1
        f32x4.mul
        local.get $vi1
        f32x4.sqrt
        local.get $corr4
        f32x4.mul
        local.get $eps4
        f32x4.add
        f32x4.div
        f32x4.sub
        v128.store offset=16
        local.get $p
        i32.const 32
        i32.add
        local.set $p
        local.get $g
        i32.const 32
        i32.add
        local.set $g
        local.get $m
        i32.const 32
        i32.add
        local.set $m
        local.get $v
        i32.const 32
        i32.add
        local.set $v
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
    local.get $rest
    local.set $quads
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $p
        v128.load
        local.get $decay4
        f32x4.mul
        local.set $w0
        local.get $g
        v128.load
        local.get $l24
        local.get $w0
        f32x4.mul
        f32x4.add
        local.set $d0
        local.get $b14
        local.get $m
        v128.load
        f32x4.mul
        local.get $keep14
        local.get $d0
        f32x4.mul
        f32x4.add
        local.set $mi0
        local.get $b24
        local.get $v
        v128.load
        f32x4.mul
        local.get $keep24
        local.get $d0
        local.get $d0
        f32x4.mul
        f32x4.mul
        f32x4.add
        local.set $vi0
        local.get $m
        local.get $mi0
        v128.store
        local.get $v
        local.get $vi0
        v128.store
        local.get $p
        local.get $w0
        local.get $step4
        local.get $mi0
        f32x4.mul
        local.get $vi0
        f32x4.sqrt
        local.get $corr4
        f32x4.mul
        local.get $eps4
        f32x4.add
        f32x4.div
        f32x4.sub
        v128.store
        local.get $p
        i32.const 16
        i32.add
        local.set $p
        local.get $g
        i32.const 16
        i32.add
        local.set $g
        local.get $m
        i32.const 16
        i32.add
        local.set $m
        local.get $v
        i32.const 16
        i32.add
        local.set $v
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
  (func $sum_squared_difference (export "sum_squared_difference") (param $a i32) (param $b i32) (param $quads i32) (result f64)
    (local $x v128)
    (local $lo v128)
    (local $hi v128)
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.sub
        local.tee $x
        local.get $x
        f32x4.mul
        local.set $x
        local.get $lo
        local.get $x
        f64x2.promote_low_f32x4
        f64x2.add
        local.set $lo
        local.get $hi
        local.get $x
        local.get $x
        i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15
        f64x2.promote_low_f32x4
        f64x2.add
        local.set $hi
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
    local.get $lo
    local.get $hi
    f64x2.add
    local.set $x
    local.get $x
    f64x2.extract_lane 0
    local.get $x
    f64x2.extract_lane 1
    f64.add
  )
  (func $squared_difference_grad (export "squared_difference_grad") (param $a i32) (param $b i32) (param $o i32) (param $quads i32) (param $g f32)
    (local $gv v128)
    (local $t v128)
    local.get $g
    f32x4.splat
    local.set $gv
    block $done
      local.get $quads
      i32.eqz
      br_if $done
      loop $quad
        local.get $o
        local.get $gv
        local.get $a
        v128.load
        local.get $b
        v128.load
        f32x4.sub
        f32x4.mul
        local.tee $t
        local.get $t
        f32x4.add
        v128.store
        local.get $a
        i32.const 16
        i32.add
        local.set $a
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        local.get $o
        i32.const 16
        i32.add
        local.set $o
        local.get $quads
        i32.const 1
        i32.sub
        local.tee $quads
        br_if $quad
      end
    end
  )
)

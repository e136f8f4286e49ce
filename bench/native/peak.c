/*
 * Native 128-bit FMA peak of one core, for `pnpm bench peak` (bench/src/peak.ts), which compiles
 * it with the system's C compiler when there is one: 12 independent chains of _mm_fmadd_ps (the
 * machine code WASM's f32x4.relaxed_madd becomes), enough to cover the FMA latency on both FMA
 * pipes. Prints GFLOP/s (8 flops per FMA of 4 lanes) for `iterations` (argument 1).
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  long iterations = argc > 1 ? atol(argv[1]) : 100000000L;
  __m128 acc[12];
  const __m128 x = _mm_set1_ps(0.999f), y = _mm_set1_ps(0.0001f);
  for (int i = 0; i < 12; i++) acc[i] = _mm_set1_ps((float)i);
  double start = seconds();
  for (long k = 0; k < iterations; k++) {
    /* Written out, so that every chain stays in a register at any optimization level. */
#define FMA(i) acc[i] = _mm_fmadd_ps(acc[i], x, y);
    FMA(0) FMA(1) FMA(2) FMA(3) FMA(4) FMA(5) FMA(6) FMA(7) FMA(8) FMA(9) FMA(10) FMA(11)
#undef FMA
  }
  double elapsed = seconds() - start;
  float sum = 0;
  for (int i = 0; i < 12; i++) sum += _mm_cvtss_f32(acc[i]);
  /* The sum keeps the chains alive; it is printed after the figure so that scripts read one number. */
  printf("%.3f %g\n", iterations * 12.0 * 8 / elapsed / 1e9, sum);
  return 0;
}

// What one core keeps of its arithmetic and memory rates while the other core works: the check behind
// results/perf/README.md's "slow stretches" of 2-thread steps. A comparison tool, not part of OversightLab.
//
//   gcc -O2 -mavx2 -mfma -pthread perf/contention.c -o /tmp/contention && /tmp/contention 12
//
// Each round, core 0 measures its FMA rate (GFLOP/s, ten dependent chains of 8-float FMAs) and its
// read rate (GB/s, one float per cache line of a 32 MB buffer) for 0.15 s each, four times: while
// core 1 sleeps, runs the same FMAs, streams its own 32 MB buffer, or spins on `pause` (as an idle
// OpenMP thread does). Rates are per core 0 only.
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { Sleep, Fma, Stream, Spin, Modes };
static const char *names[Modes] = { "sleep", "fma", "stream", "spin" };
static const long Floats = 8L << 20;   // 32 MB: past either core's share of the caches
static volatile int mode = Sleep, done = 0;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static float *filled(void)
{
    float *b = malloc(Floats * sizeof(float));
    for (long i = 0; i < Floats; i++) b[i] = 1;
    return b;
}

// 100,000 rounds of ten independent FMA chains; returns one lane so the work is kept.
static float fmas(long rounds)
{
    __m256 x[10], m = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
    for (int i = 0; i < 10; i++) x[i] = _mm256_set1_ps(1.0f + i * 1e-7f);
    for (long k = 0; k < rounds; k++)
        for (int i = 0; i < 10; i++) x[i] = _mm256_fmadd_ps(x[i], m, c);
    float out[8];
    _mm256_storeu_ps(out, x[0]);
    return out[0];
}

// One float from each cache line of the buffer.
static float stream(const float *b)
{
    float s = 0;
    for (long i = 0; i < Floats; i += 16) s += b[i];
    return s;
}

static volatile float sink;

static void *other(void *unused)
{
    (void)unused;
    pin(1);
    float *b = filled();
    while (!done)
        switch (mode)
        {
        case Fma: sink = fmas(100000); break;
        case Stream: sink = stream(b); break;
        case Spin: for (int k = 0; k < 10000; k++) _mm_pause(); break;
        default: nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        }
    free(b);
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 12;
    pin(0);
    float *b = filled();
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    printf("round");
    for (int m = 0; m < Modes; m++) printf("  core 1 %-6s: GFLOP/s GB/s", names[m]);
    printf("\n");
    for (int r = 0; r < rounds; r++)
    {
        printf("%5d", r);
        for (int m = 0; m < Modes; m++)
        {
            mode = m;
            nanosleep(&(struct timespec){ 0, 20000000 }, NULL);   // let core 1 switch
            double start = now(), flops = 0;
            while (now() - start < 0.15) { sink = fmas(10000); flops += 10000.0 * 10 * 16; }
            double gflops = flops / (now() - start) / 1e9;
            start = now();
            double bytes = 0;
            while (now() - start < 0.15) { sink = stream(b); bytes += Floats * sizeof(float); }
            printf("  %14s %7.1f %4.1f", "", gflops, bytes / (now() - start) / 1e9);
        }
        printf("\n");
        fflush(stdout);
    }
    done = 1;
    pthread_join(t, NULL);
    free(b);
    return 0;
}

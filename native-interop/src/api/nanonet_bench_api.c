/*
 * nanonet_bench_api.c - the timing loop behind `nanonet bench` (host library only).
 *
 * Parses and validates the blob once, then times each of `iterations` inferences with a
 * monotonic clock, so the figures hold the engine's time alone (no P/Invoke, no parsing).
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 199309L
#endif
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <time.h>
#endif

#include "nanonet/nanonet.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_planner.h"

static uint64_t now_ns(void)
{
#if defined(_WIN32)
    /* clock() ticks in milliseconds on Windows: the performance counter resolves an inference. */
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    return (uint64_t)(count.QuadPart / frequency.QuadPart) * 1000000000u +
           (uint64_t)(count.QuadPart % frequency.QuadPart) * 1000000000u / (uint64_t)frequency.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

NANONET_API int32_t nanonet_bench(const uint8_t *blob, uint32_t size,
                                  const int8_t *input, uint32_t input_size,
                                  int8_t *output, uint32_t output_size,
                                  uint8_t *arena, uint32_t arena_size,
                                  uint32_t iterations, int32_t use_reference, int32_t budget,
                                  uint64_t *nanoseconds)
{
    nn_model model;
    nn_status st;
    uint32_t i;
    if (blob == NULL || (iterations > 0 && nanoseconds == NULL)) {
        return NN_ERR_NULL_ARGUMENT;
    }
    st = nn_model_parse(blob, size, &model, NULL);
    if (st != NN_OK) {
        return st;
    }
    for (i = 0; i < iterations; i++) {
        const uint64_t t0 = now_ns();
        const nn_kernel_table *kernels = use_reference ? nn_reference_kernels() : nn_default_kernels();
        st = budget < 0 ? nn_executor_run_with_kernels(&model, input, input_size, output, output_size, arena,
                                                       arena_size, NULL, NULL, kernels)
                        : nn_executor_run_planned(&model, (uint32_t)budget, input, input_size, output, output_size,
                                                  arena, arena_size, NULL, NULL, kernels, NULL);
        nanoseconds[i] = now_ns() - t0;
        if (st != NN_OK) {
            return st;
        }
    }
    return NN_OK;
}

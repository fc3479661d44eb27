/*
 * nanonet_bench.c - the native benchmark: runs the C engine alone on one model and one input.
 *
 *   nanonet-bench [--reference] MODEL.nnb INPUT.i8 ITERATIONS
 *
 * Parses the model once, then runs ITERATIONS inferences (0 is allowed: load and parse only,
 * the baseline to subtract under callgrind), each through nanonet_bench_infer(), so that
 *   valgrind --tool=callgrind --toggle-collect=nanonet_bench_infer nanonet-bench M X 1
 * counts the instructions of exactly one inference. Prints median/min/max microseconds per
 * inference, MACs, MAC/s, arena bytes and the output values (to check a run against the golden
 * outputs). --reference uses the plain reference kernels instead of nn_default_kernels().
 * Exit code 0 on success, 1 on any error (one line on stderr).
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 199309L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <time.h>
#endif

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_planner.h"
#include "nanonet/nn_model.h"

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long len;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = (uint8_t *)malloc((size_t)len + 1u);
    if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = (size_t)len;
    return buf;
}

static double now_us(void)
{
#if defined(_WIN32)
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    return (double)count.QuadPart * (1e6 / (double)frequency.QuadPart);
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
#endif
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

/* One inference; not inlined so that callgrind can toggle collection on it. */
/* planned != 0: the smallest memory plan (what the board runs); 0: layer by layer. */
__attribute__((noinline)) nn_status nanonet_bench_infer(const nn_model *m, const int8_t *x, size_t nx, int8_t *y,
                                                        size_t ny, uint8_t *arena, size_t arena_size,
                                                        const nn_kernel_table *kernels, int planned);
nn_status nanonet_bench_infer(const nn_model *m, const int8_t *x, size_t nx, int8_t *y, size_t ny,
                              uint8_t *arena, size_t arena_size, const nn_kernel_table *kernels, int planned)
{
    if (planned) {
        return nn_executor_run_planned(m, NN_PLAN_BUDGET_MIN, x, nx, y, ny, arena, arena_size, NULL, NULL, kernels,
                                       NULL);
    }
    return nn_executor_run_with_kernels(m, x, nx, y, ny, arena, arena_size, NULL, NULL, kernels);
}

int main(int argc, char **argv)
{
    const nn_kernel_table *kernels = nn_default_kernels();
    const char *model_path, *input_path;
    uint8_t *blob, *input, *arena;
    int8_t *output;
    double *times;
    size_t blob_size = 0, input_size = 0, arena_size;
    long iterations;
    char *end;
    nn_model model;
    nn_tensor_info in_info, out_info;
    nn_status st;
    uint64_t macs;
    long i;
    int a = 1;
    int planned = 1;

    for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
        if (strcmp(argv[a], "--reference") == 0) {
            kernels = nn_reference_kernels();
        } else if (strcmp(argv[a], "--layer-by-layer") == 0) {
            planned = 0;
        } else {
            break;
        }
    }
    if (argc - a != 3) {
        fprintf(stderr, "usage: nanonet-bench [--reference] [--layer-by-layer] MODEL.nnb INPUT.i8 ITERATIONS\n"
                        "  runs the smallest memory plan by default; --layer-by-layer runs whole tensors\n");
        return 1;
    }
    model_path = argv[a];
    input_path = argv[a + 1];
    iterations = strtol(argv[a + 2], &end, 10);
    if (*argv[a + 2] == '\0' || *end != '\0' || iterations < 0 || iterations > 100000000L) {
        fprintf(stderr, "nanonet-bench: error: ITERATIONS must be an integer >= 0\n");
        return 1;
    }
    blob = read_file(model_path, &blob_size);
    if (blob == NULL) {
        fprintf(stderr, "nanonet-bench: error: cannot read '%s'\n", model_path);
        return 1;
    }
    input = read_file(input_path, &input_size);
    if (input == NULL) {
        fprintf(stderr, "nanonet-bench: error: cannot read '%s'\n", input_path);
        free(blob);
        return 1;
    }
    st = nn_model_parse(blob, blob_size, &model, NULL);
    if (st != NN_OK) {
        fprintf(stderr, "nanonet-bench: error: '%s' is not a valid model: %s\n", model_path, nn_status_name(st));
        free(blob);
        free(input);
        return 1;
    }
    nn_model_tensor(&model, model.input_tensor, &in_info);
    nn_model_tensor(&model, model.output_tensor, &out_info);
    if (input_size != in_info.element_count) {
        fprintf(stderr, "nanonet-bench: error: '%s' holds %lu bytes, the model's input takes %lu\n", input_path,
                (unsigned long)input_size, (unsigned long)in_info.element_count);
        free(blob);
        free(input);
        return 1;
    }
    if (planned) {
        const size_t plan_size = nn_plan_buffer_size(&model);
        void *plan = malloc(plan_size ? plan_size : 1u);
        uint32_t peak = 0;
        st = plan == NULL ? NN_ERR_INTERNAL
                          : nn_plan_create(&model, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, NULL);
        free(plan);
        if (st != NN_OK) {
            fprintf(stderr, "nanonet-bench: error: planning failed: %s\n", nn_status_name(st));
            return 1;
        }
        arena_size = peak;
    } else {
        arena_size = nn_executor_arena_size(&model);
    }
    arena = (uint8_t *)malloc(arena_size);
    output = (int8_t *)malloc(out_info.element_count);
    times = (double *)malloc(sizeof(double) * (size_t)(iterations > 0 ? iterations : 1));
    if (arena == NULL || output == NULL || times == NULL) {
        fprintf(stderr, "nanonet-bench: error: out of memory\n");
        return 1;
    }
    memset(output, 0, out_info.element_count);
    macs = nn_model_macs(&model);

    for (i = 0; i < iterations; i++) {
        const double t0 = now_us();
        st = nanonet_bench_infer(&model, (const int8_t *)input, input_size, output, out_info.element_count, arena,
                                 arena_size, kernels, planned);
        times[i] = now_us() - t0;
        if (st != NN_OK) {
            fprintf(stderr, "nanonet-bench: error: inference failed: %s\n", nn_status_name(st));
            return 1;
        }
    }

    printf("model: %s\nkernels: %s\nexecution: %s\niterations: %ld\n", model_path, kernels->name,
           planned ? "planned (smallest plan)" : "layer by layer", iterations);
    if (iterations > 0) {
        double median;
        qsort(times, (size_t)iterations, sizeof(double), cmp_double);
        median = (iterations % 2) ? times[iterations / 2] : (times[iterations / 2 - 1] + times[iterations / 2]) / 2;
        printf("us_per_inference: median %.1f min %.1f max %.1f\n", median, times[0], times[iterations - 1]);
        printf("macs: %llu\n", (unsigned long long)macs);
        printf("mac_per_s: %.3e\n", median > 0 ? (double)macs / (median * 1e-6) : 0.0);
    } else {
        printf("macs: %llu\n", (unsigned long long)macs);
    }
    printf("peak_bytes: %lu\n", (unsigned long)arena_size);
    if (iterations > 0) {
        uint32_t k;
        printf("output:");
        for (k = 0; k < out_info.element_count; k++) {
            printf(" %d", (int)output[k]);
        }
        printf("\n");
    }
    free(times);
    free(output);
    free(arena);
    free(input);
    free(blob);
    return 0;
}

/*
 * test_shared_library.c - the host shared library as the .NET tools load it: libnanonet.so, or libnanonet.dll on
 * Windows, called only through its exported C API (nanonet.h).
 *
 * This suite links the shared library (the other suites link the engine's static library), so in each C build it runs
 * the very file the tool package ships for that platform: in the linux-arm64 build under qemu-user, in the win-x64
 * build under Wine (the DLL copied beside the test), through the platform's own loader and calling convention.
 * Every shipped model on both golden inputs gives exactly TFLM's outputs (../shared/golden/outputs.txt) layer by layer
 * and at the smallest plan, with the observer called back across the library boundary; the status strings, MAC counts
 * and the benchmark's timer work; a bad blob is refused with its status.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nanonet.h"
#include "nn_test.h"

typedef struct shipped_model {
    const char *file, *golden_model, *input_suffix;
    uint32_t input_size;
    uint64_t macs;          /* README: bundled models */
    uint32_t smallest_peak; /* README: nanonet plan, smallest plan */
} shipped_model;

static const shipped_model models[] = {
    {"models/person_detect.nnb", "person_detect", "gray96", 96 * 96, 7157888u, 16463u},
    {"models/vww_96.nnb", "vww96", "rgb96", 96 * 96 * 3, 7489664u, 16463u},
    {"models/mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96", 96 * 96, 10175184u, 25615u},
};

static const char *const golden_inputs[] = {"tflm_person", "tflm_no_person"};

static uint8_t *read_model(const shipped_model *m, uint32_t *size)
{
    char path[512];
    size_t n = 0;
    uint8_t *blob;
    snprintf(path, sizeof path, "%s/%s", NANONET_REPO_DIR, m->file);
    blob = nn_test_read_file(path, &n);
    *size = (uint32_t)n;
    return blob;
}

static int8_t *read_input(const char *name, const char *suffix, uint32_t expected_size)
{
    char path[512];
    size_t n = 0;
    int8_t *input;
    snprintf(path, sizeof path, "%s/golden/inputs/%s.%s.i8", NANONET_SHARED_DIR, name, suffix);
    input = (int8_t *)nn_test_read_file(path, &n);
    NN_CHECK(input != NULL);
    NN_CHECK_EQ_INT(n, expected_size);
    if (input != NULL && n != expected_size) {
        free(input);
        return NULL;
    }
    return input;
}

typedef struct observed {
    uint32_t calls;
    uint32_t last_op;
} observed;

static void observe(void *user, uint32_t op_index, uint32_t tensor_index, const int8_t *data, uint32_t size)
{
    observed *o = (observed *)user;
    (void)tensor_index;
    if (data != NULL && size > 0) {
        o->calls++;
        o->last_op = op_index;
    }
}

static void entries_answer(void)
{
    NN_CHECK_EQ_INT(nanonet_abi_version(), 1);
    NN_CHECK(nanonet_status_name(NN_OK) != NULL && strcmp(nanonet_status_name(NN_OK), "NN_OK") == 0);
    NN_CHECK(nanonet_status_message(NN_ERR_BAD_MAGIC) != NULL && nanonet_status_message(NN_ERR_BAD_MAGIC)[0] != '\0');
}

/* Layer by layer and at the smallest plan, every shipped model on both golden inputs: TFLM's outputs. */
static void golden_outputs(void)
{
    size_t m, i;
    for (m = 0; m < sizeof models / sizeof models[0]; m++) {
        uint32_t size = 0, arena_size = 0, work_size = 0, steps = 0, peak = 0, min_budget = 0;
        uint64_t macs = 0;
        uint8_t *blob = read_model(&models[m], &size), *arena = NULL, *work = NULL;
        NN_CHECK(blob != NULL);
        if (blob == NULL) {
            continue;
        }
        NN_CHECK_EQ_INT(nanonet_validate(blob, size, NULL), NN_OK);
        NN_CHECK_EQ_INT(nanonet_macs(blob, size, &macs), NN_OK);
        NN_CHECK_EQ_INT(macs, models[m].macs);
        NN_CHECK_EQ_INT(nanonet_arena_size(blob, size, &arena_size), NN_OK);
        NN_CHECK_EQ_INT(nanonet_plan_work_size(blob, size, &work_size), NN_OK);
        work = (uint8_t *)malloc(work_size > 0 ? work_size : 1);
        NN_CHECK_EQ_INT(nanonet_plan(blob, size, 0, work, work_size, NULL, 0, &steps, &peak, &min_budget), NN_OK);
        NN_CHECK_EQ_INT(peak, models[m].smallest_peak);
        NN_CHECK(steps > 0);
        arena = (uint8_t *)malloc(arena_size > peak ? arena_size : peak);
        for (i = 0; i < sizeof golden_inputs / sizeof golden_inputs[0]; i++) {
            int expected[2];
            int8_t output[2];
            observed seen = {0, 0};
            int8_t *input = read_input(golden_inputs[i], models[m].input_suffix, models[m].input_size);
            NN_CHECK(nn_test_golden_output(models[m].golden_model, golden_inputs[i], expected));
            if (input == NULL || arena == NULL) {
                free(input);
                continue;
            }
            memset(output, 0, sizeof output);
            NN_CHECK_EQ_INT(nanonet_run(blob, size, input, models[m].input_size, output, 2, arena, arena_size,
                                        observe, &seen),
                            NN_OK);
            NN_CHECK_EQ_INT(output[0], expected[0]);
            NN_CHECK_EQ_INT(output[1], expected[1]);
            NN_CHECK(seen.calls > 0);
            memset(output, 0, sizeof output);
            NN_CHECK_EQ_INT(nanonet_run_planned(blob, size, 0, input, models[m].input_size, output, 2, arena, peak,
                                                NULL, NULL),
                            NN_OK);
            NN_CHECK_EQ_INT(output[0], expected[0]);
            NN_CHECK_EQ_INT(output[1], expected[1]);
            free(input);
        }
        free(arena);
        free(work);
        free(blob);
    }
}

/* nanonet bench's timing loop: outputs as nanonet_run's, every inference timed (a clock that moves). */
static void bench_times_inferences(void)
{
    uint32_t size = 0, arena_size = 0, k;
    uint64_t ns[3] = {0, 0, 0};
    int expected[2];
    int8_t output[2] = {0, 0};
    uint8_t *blob = read_model(&models[0], &size), *arena;
    int8_t *input = read_input("tflm_person", models[0].input_suffix, models[0].input_size);
    NN_CHECK(blob != NULL && input != NULL);
    NN_CHECK(nn_test_golden_output(models[0].golden_model, "tflm_person", expected));
    if (blob == NULL || input == NULL) {
        free(blob);
        free(input);
        return;
    }
    NN_CHECK_EQ_INT(nanonet_arena_size(blob, size, &arena_size), NN_OK);
    arena = (uint8_t *)malloc(arena_size);
    NN_CHECK_EQ_INT(nanonet_bench(blob, size, input, models[0].input_size, output, 2, arena, arena_size, 3, 0, -1, ns),
                    NN_OK);
    NN_CHECK_EQ_INT(output[0], expected[0]);
    NN_CHECK_EQ_INT(output[1], expected[1]);
    for (k = 0; k < 3; k++) {
        /* 7 M MACs take well over a microsecond anywhere, and less than a minute even under emulation. */
        NN_CHECK(ns[k] > 1000u && ns[k] < 60000000000u);
    }
    free(arena);
    free(input);
    free(blob);
}

static void bad_blob_refused(void)
{
    uint32_t size = 0, arena_size = 1;
    nn_diag diag;
    uint8_t *blob = read_model(&models[0], &size);
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    blob[0] ^= 0xFF;
    NN_CHECK_EQ_INT(nanonet_validate(blob, size, &diag), NN_ERR_BAD_MAGIC);
    NN_CHECK_EQ_INT(diag.status, NN_ERR_BAD_MAGIC);
    NN_CHECK_EQ_INT(nanonet_arena_size(blob, size, &arena_size), NN_ERR_BAD_MAGIC);
    NN_CHECK_EQ_INT(arena_size, 0);
    NN_CHECK_EQ_INT(nanonet_validate(NULL, size, NULL), NN_ERR_NULL_ARGUMENT);
    free(blob);
}

int main(void)
{
    NN_RUN(entries_answer);
    NN_RUN(golden_outputs);
    NN_RUN(bench_times_inferences);
    NN_RUN(bad_blob_refused);
    return nn_test_finish();
}

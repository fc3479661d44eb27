/*
 * fuzz_model_reader.c - libFuzzer target for the model reader and the executor.
 *
 * Input format: one mode byte, then the blob.
 *   mode bit 0: recompute the blob's CRC32 before parsing (otherwise almost every mutation
 *               stops at NN_ERR_BAD_CRC and only the CRC check gets fuzzed);
 *   mode bit 1: also rewrite total_size and data_size to match the actual length (so that
 *               insertions and deletions reach the section checks).
 *   Other bits are ignored. With mode 0 the blob is parsed exactly as given.
 * If the blob parses, the model also runs layer by layer on input bytes taken from the fuzz data, in an
 * exact-size arena at an odd address (skipped when the arena or the work would be too large for a fuzzing
 * iteration), then planned (see check_planned_run).
 * The copy of the blob is an exact-size malloc block, so ASan reports any read past its end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"

#define FUZZ_MAX_ARENA ((size_t)32 << 20)
#define FUZZ_MAX_WORK 20000000u

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Rough count of the inner-loop steps an inference takes (MACs + pooling windows + elementwise). */
static uint64_t work_estimate(const nn_model *m)
{
    uint64_t work = nn_model_macs(m);
    const uint8_t *rec = m->ops;
    uint32_t i;
    for (i = 0; i < m->op_count; i++) {
        const uint32_t opcode = rec[0];
        const uint32_t size = (uint32_t)rec[2] | ((uint32_t)rec[3] << 8);
        const uint32_t in = (uint32_t)rec[4] | ((uint32_t)rec[5] << 8);
        const uint32_t out = (uint32_t)rec[8] | ((uint32_t)rec[9] << 8);
        nn_tensor_info ti, to;
        nn_model_tensor(m, in, &ti);
        nn_model_tensor(m, out, &to);
        work += ti.element_count + to.element_count;
        if (opcode == 3u) { /* AVERAGE_POOL_2D: filter_h * filter_w per output */
            work += (uint64_t)to.element_count * rec[12] * rec[13];
        }
        rec += size;
    }
    return work;
}

/*
 * Differential check: the smallest streamed plan, and a plan for a budget drawn from the fuzz data between
 * the smallest and past layer by layer, must each run and give exactly the layer-by-layer output, in an arena
 * of exactly the planned size entered one byte into its malloc block (so all of the plan's alignment slack is
 * used and ASan sees a one-byte overrun). Any status other than NN_OK there (NN_ERR_INTERNAL above all)
 * aborts: the model parsed, so the planner and the executor must handle it.
 */
static void planned_run_at(const nn_model *model, uint32_t budget, const int8_t *x, size_t x_size,
                           const int8_t *expected, size_t y_size)
{
    const size_t plan_size = nn_plan_buffer_size(model);
    void *plan = malloc(plan_size ? plan_size : 1u);
    uint32_t peak = 0;
    nn_status st;
    if (plan == NULL) {
        return;
    }
    st = nn_plan_create(model, budget, plan, plan_size, &peak, NULL);
    free(plan);
    if (st != NN_OK) {
        abort(); /* a parsed model always has a smallest plan, and every budget above it plans */
    }
    if (peak <= FUZZ_MAX_ARENA) {
        uint8_t *block = (uint8_t *)malloc((size_t)peak + 1u);
        int8_t *y = (int8_t *)malloc(y_size ? y_size : 1u);
        if (block != NULL && y != NULL) {
            if (nn_executor_run_planned(model, budget, x, x_size, y, y_size, block + 1, peak, NULL, NULL, NULL,
                                        NULL) != NN_OK ||
                memcmp(y, expected, y_size) != 0) {
                abort(); /* a streamed plan must run and equal the layer-by-layer result */
            }
        }
        free(block);
        free(y);
    }
}

static void check_planned_run(const nn_model *model, const int8_t *x, size_t x_size, const int8_t *expected,
                              size_t y_size, uint32_t draw)
{
    const size_t plan_size = nn_plan_buffer_size(model);
    void *plan = malloc(plan_size ? plan_size : 1u);
    uint32_t peak = 0;
    if (plan != NULL && nn_plan_create(model, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, NULL) == NN_OK) {
        const uint64_t top = (uint64_t)nn_executor_arena_size(model) * 5u / 4u + 64u;
        planned_run_at(model, NN_PLAN_BUDGET_MIN, x, x_size, expected, y_size);
        if (top > peak) {
            planned_run_at(model, peak + (uint32_t)(draw % (top - peak + 1u)), x, x_size, expected, y_size);
        }
    } else if (plan != NULL) {
        abort();
    }
    free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t mode;
    uint8_t *blob;
    size_t blob_size;
    nn_model model;
    nn_diag diag;

    if (size < 1) {
        return 0;
    }
    mode = data[0];
    blob_size = size - 1;
    blob = (uint8_t *)malloc(blob_size ? blob_size : 1);
    if (blob == NULL) {
        return 0;
    }
    if (blob_size) {
        memcpy(blob, data + 1, blob_size);
    }
    if ((mode & 2u) && blob_size >= 64) {
        const uint32_t data_offset = get_u32(blob + 52);
        put_u32(blob + 8, (uint32_t)blob_size);
        if (data_offset <= blob_size) {
            put_u32(blob + 56, (uint32_t)(blob_size - data_offset));
        }
    }
    if ((mode & 1u) && blob_size >= 16) {
        put_u32(blob + 12, 0);
        put_u32(blob + 12, nn_crc32(blob, blob_size));
    }

    if (nn_model_parse(blob, blob_size, &model, &diag) == NN_OK) {
        const size_t need = nn_executor_arena_size(&model);
        nn_tensor_info in, out;
        nn_model_tensor(&model, model.input_tensor, &in);
        nn_model_tensor(&model, model.output_tensor, &out);
        if (need == 0) {
            abort(); /* a parsed model always has an arena size */
        }
        if (need <= FUZZ_MAX_ARENA && work_estimate(&model) <= FUZZ_MAX_WORK) {
            int8_t *x = (int8_t *)calloc(in.element_count, 1);
            int8_t *y = (int8_t *)malloc(out.element_count);
            uint8_t *block = (uint8_t *)malloc(need + 1u);
            uint8_t *arena = block != NULL ? block + 1 : NULL; /* odd address, exact end */
            if (x && y && arena) {
                size_t k;
                /* Input bytes from the fuzz data too, so the kernels see more than zeros. */
                for (k = 0; k < in.element_count; k++) {
                    x[k] = (int8_t)data[(k * 7u) % size];
                }
                if (nn_executor_run(&model, x, in.element_count, y, out.element_count, arena, need, NULL, NULL) !=
                    NN_OK) {
                    abort(); /* a parsed model with a big-enough arena must run */
                }
                {
                    /* the board's scalar kernels must give the same outputs as the default table */
                    int8_t *y2 = (int8_t *)malloc(out.element_count);
                    if (y2 != NULL) {
                        if (nn_executor_run_with_kernels(&model, x, in.element_count, y2, out.element_count, arena,
                                                         need, NULL, NULL, nn_scalar_kernels()) != NN_OK ||
                            memcmp(y, y2, out.element_count) != 0) {
                            abort();
                        }
                        /* and with the model's weights widened (nn_model_widen), as the interop widens them */
                        {
                            const uint32_t min_pixels = 1u + (uint32_t)(size % 3u) * 4u; /* 1, 5 or 9 */
                            const size_t wsize = nn_model_widened_size(&model, min_pixels);
                            uint32_t *wbuf = wsize > 0 ? (uint32_t *)malloc(wsize) : NULL;
                            if (wbuf != NULL) {
                                if (nn_model_widen(&model, min_pixels, wbuf, wsize) != NN_OK ||
                                    nn_executor_run_with_kernels(&model, x, in.element_count, y2, out.element_count,
                                                                 arena, need, NULL, NULL, nn_scalar_kernels()) != NN_OK ||
                                    memcmp(y, y2, out.element_count) != 0) {
                                    abort();
                                }
                                model.widened = NULL;
                                free(wbuf);
                            }
                        }
                        free(y2);
                    }
                }
                check_planned_run(&model, x, in.element_count, y, out.element_count,
                                  size >= 5 ? get_u32(data + size - 4) : (uint32_t)size);
            }
            free(x);
            free(y);
            free(block);
        }
    } else if (diag.status == NN_OK) {
        abort(); /* an error must be reported in diag too */
    }
    free(blob);
    return 0;
}

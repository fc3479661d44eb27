/*
 * test_random_models.c - property test of the memory planner and both executors over random
 * VALID models (support/random_model.c: every op the engine runs, parameters anywhere in what
 * the reader accepts).
 *
 * For each model: it parses (or, for a generated ADD of differently shaped operands, is refused
 * with NN_ERR_BAD_SHAPE); the layer-by-layer run with the default kernels equals the one with the
 * reference kernels; the smallest plan exists, its planned run equals the layer-by-layer output,
 * executes exactly nn_model_macs() MACs and runs again from the reused plan; one byte less of
 * budget is refused; at random budgets from the smallest upward the plan fits its budget and its
 * run equals the layer-by-layer output. Every arena is an exact-size malloc block entered at an
 * odd address (one byte in, so the plan's 15 bytes of alignment slack are all used and the block
 * ends exactly where the arena does): under ASan/UBSan any overrun or undefined arithmetic
 * aborts the suite. No call may return NN_ERR_INTERNAL.
 *
 * Environment: NANONET_RANDOM_MODELS (how many, default 20000), NANONET_RANDOM_SECONDS (run for
 * that long instead, for long runs), NANONET_RANDOM_SEED (first seed, default 1).
 * A failure prints the seed: NANONET_RANDOM_SEED=S NANONET_RANDOM_MODELS=1 reproduces it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nn_test.h"
#include "random_model.h"

#include "../../native-interop/src/planner/nn_plan_internal.h"

typedef struct totals {
    uint64_t models, valid, refused, planned_runs, budgets;
    uint64_t ops[NN_OP_COUNT_];
    uint64_t streamed_steps, folded_pads, unfolded_pads, inplace_steps;
    uint32_t failures;
} totals;

static uint32_t env_u32(const char *name, uint32_t fallback)
{
    const char *v = getenv(name);
    return v != NULL && *v ? (uint32_t)strtoul(v, NULL, 10) : fallback;
}

static void fail_seed(totals *t, uint32_t seed, const char *what, int status)
{
    if (t->failures < 20u) {
        printf("  FAIL seed %u: %s (%s)\n", seed, what, nn_status_name(status));
    }
    t->failures++;
    nn_test_case_failed = 1;
}

/* An arena of exactly `size` usable bytes starting one byte into its malloc block. */
typedef struct odd_arena {
    uint8_t *block;
    uint8_t *p;
} odd_arena;

static void odd_alloc(odd_arena *a, size_t size)
{
    a->block = (uint8_t *)malloc(size + 1u);
    a->p = a->block + 1;
}

static void plan_counts(totals *t, const nn_model *m, void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    const sp_op *ops = sp_ops(plan);
    const sp_step *steps = sp_steps(plan);
    uint32_t i;
    (void)m;
    for (i = 0; i < h->step_count; i++) {
        t->streamed_steps += steps[i].streamed;
    }
    for (i = 0; i < h->op_count; i++) {
        if (ops[i].opcode == NN_OP_PAD) {
            if (ops[i].flags & SP_FOLDED) {
                t->folded_pads++;
            } else {
                t->unfolded_pads++;
            }
        }
        if (ops[i].flags & SP_INPLACE) {
            t->inplace_steps++;
        }
    }
}

/* Plans for `budget` and runs in an exact arena at an odd address; returns the peak (0 on failure). */
static uint32_t planned_run(totals *t, uint32_t seed, const nn_model *m, uint32_t budget, const int8_t *x,
                            size_t x_size, const int8_t *ref, size_t y_size, int reference_kernels, int count)
{
    const size_t plan_size = nn_plan_buffer_size(m);
    uint8_t *plan = (uint8_t *)malloc(plan_size);
    int8_t *y = (int8_t *)malloc(y_size);
    uint32_t peak = 0, min_budget = 0;
    nn_run_stats stats;
    odd_arena a;
    nn_status st = nn_plan_create(m, budget, plan, plan_size, &peak, &min_budget);
    if (st != NN_OK) {
        fail_seed(t, seed, budget == 0 ? "smallest plan refused" : "plan at a budget above the smallest refused",
                  (int)st);
        free(plan);
        free(y);
        return 0;
    }
    if (count) {
        plan_counts(t, m, plan);
    }
    if (budget != 0 && peak > budget) {
        fail_seed(t, seed, "plan exceeds its budget", (int)st);
    }
    odd_alloc(&a, peak);
    memset(y, 0x5A, y_size);
    st = nn_executor_run_planned(m, budget, x, x_size, y, y_size, a.p, peak, NULL, NULL,
                                 reference_kernels ? nn_reference_kernels() : NULL, &stats);
    if (st != NN_OK) {
        fail_seed(t, seed, "planned run failed", (int)st);
    } else if (memcmp(y, ref, y_size) != 0) {
        fail_seed(t, seed, "planned output differs from layer by layer", (int)st);
    } else if (stats.macs != nn_model_macs(m)) {
        fail_seed(t, seed, "planned run executed a different number of MACs", (int)st);
    } else {
        /* again, from the plan the first run left at the arena head */
        memset(y, 0x5A, y_size);
        st = nn_executor_run_planned(m, budget, x, x_size, y, y_size, a.p, peak, NULL, NULL, NULL, NULL);
        if (st != NN_OK || memcmp(y, ref, y_size) != 0) {
            fail_seed(t, seed, "second planned run (reused plan) differs", (int)st);
        }
    }
    t->planned_runs++;
    free(a.block);
    free(plan);
    free(y);
    return st == NN_OK ? peak : 0u;
}

static void check_model(totals *t, uint32_t seed)
{
    rm_info info;
    size_t size, lbl, k;
    uint8_t *blob = rm_random_model(seed, &size, &info);
    nn_model m;
    nn_diag diag;
    nn_tensor_info ti, to;
    int8_t *x, *ref, *ref2;
    odd_arena a;
    uint32_t peak, b;
    nn_status st = nn_model_parse(blob, size, &m, &diag);
    t->models++;
    if (info.expect_invalid) {
        if (st != NN_ERR_BAD_SHAPE) {
            fail_seed(t, seed, "ADD of differently shaped operands not refused as NN_ERR_BAD_SHAPE", (int)st);
        }
        t->refused++;
        free(blob);
        return;
    }
    if (st != NN_OK) {
        printf("  seed %u: op %d tensor %d byte %d\n", seed, diag.op_index, diag.tensor_index, diag.byte_offset);
        fail_seed(t, seed, "generated model does not parse", (int)st);
        free(blob);
        return;
    }
    t->valid++;
    for (k = 0; k < NN_OP_COUNT_; k++) {
        t->ops[k] += info.ops[k];
    }
    nn_model_tensor(&m, m.input_tensor, &ti);
    nn_model_tensor(&m, m.output_tensor, &to);
    x = (int8_t *)malloc(ti.element_count);
    ref = (int8_t *)malloc(to.element_count);
    ref2 = (int8_t *)malloc(to.element_count);
    {
        uint32_t s = seed ^ 0x1234567u;
        for (k = 0; k < ti.element_count; k++) {
            x[k] = (int8_t)nn_test_rand_range(&s, -128, 127);
        }
    }
    lbl = nn_executor_arena_size(&m);
    odd_alloc(&a, lbl);
    st = nn_executor_run(&m, x, ti.element_count, ref, to.element_count, a.p, lbl, NULL, NULL);
    if (st != NN_OK) {
        fail_seed(t, seed, "layer-by-layer run failed", (int)st);
    } else {
        st = nn_executor_run_with_kernels(&m, x, ti.element_count, ref2, to.element_count, a.p, lbl, NULL, NULL,
                                          nn_reference_kernels());
        if (st != NN_OK || memcmp(ref, ref2, to.element_count) != 0) {
            fail_seed(t, seed, "default kernels differ from the reference kernels", (int)st);
        }
    }
    free(a.block);
    if (st == NN_OK) {
        uint32_t min_budget = 0, p2 = 0;
        uint8_t *plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
        uint32_t s = seed * 7u + 3u;
        peak = planned_run(t, seed, &m, NN_PLAN_BUDGET_MIN, x, ti.element_count, ref, to.element_count, 0, 1);
        if (peak > 0) {
            st = nn_plan_create(&m, peak - 1u, plan, nn_plan_buffer_size(&m), &p2, &min_budget);
            if (st != NN_ERR_ARENA_TOO_SMALL || min_budget != peak) {
                fail_seed(t, seed, "one byte below the smallest plan not refused with the smallest budget", (int)st);
            }
            for (b = 0; b < 2; b++) {
                const uint32_t top = (uint32_t)lbl + (uint32_t)lbl / 4u + 64u;
                const uint32_t budget = peak + (uint32_t)nn_test_rand_range(&s, 0, (int32_t)(top > peak ? top - peak : 1u));
                planned_run(t, seed, &m, budget, x, ti.element_count, ref, to.element_count, (int)(seed & 1u) && b == 1,
                            0);
                t->budgets++;
            }
        }
        free(plan);
    }
    free(x);
    free(ref);
    free(ref2);
    free(blob);
}

static void test_random_models_plan_and_run_exactly(void)
{
    const uint32_t count = env_u32("NANONET_RANDOM_MODELS", 20000u);
    const uint32_t seconds = env_u32("NANONET_RANDOM_SECONDS", 0u);
    const uint32_t first = env_u32("NANONET_RANDOM_SEED", 1u);
    const time_t start = time(NULL);
    totals t;
    uint32_t seed, k;
    static const char *const names[NN_OP_COUNT_] = {"-",       "CONV_2D", "DEPTHWISE", "AVG_POOL", "MEAN",
                                                     "FC",      "RESHAPE", "SOFTMAX",   "ADD",      "PAD"};
    memset(&t, 0, sizeof(t));
    for (seed = first;; seed++) {
        if (seconds > 0 ? (uint32_t)(time(NULL) - start) >= seconds : seed - first >= count) {
            break;
        }
        check_model(&t, seed);
        if (seconds > 0 && (seed - first) % 100000u == 0u && seed != first) {
            printf("  ... %llu models, %u failures, %u s\n", (unsigned long long)t.models, t.failures,
                   (unsigned)(time(NULL) - start));
            fflush(stdout);
        }
    }
    printf("  seeds %u..%u: %llu models (%llu valid, %llu invalid ADDs refused), %llu planned runs (%llu at random "
           "budgets), %u failures, %u s\n",
           first, seed - 1u, (unsigned long long)t.models, (unsigned long long)t.valid, (unsigned long long)t.refused,
           (unsigned long long)t.planned_runs, (unsigned long long)t.budgets, t.failures,
           (unsigned)(time(NULL) - start));
    printf("  ops:");
    for (k = 1; k < NN_OP_COUNT_; k++) {
        printf(" %s %llu", names[k], (unsigned long long)t.ops[k]);
    }
    printf("\n  smallest plans: %llu streamed steps, %llu PADs folded, %llu PADs run as layers, %llu in-place "
           "depthwise steps\n",
           (unsigned long long)t.streamed_steps, (unsigned long long)t.folded_pads, (unsigned long long)t.unfolded_pads,
           (unsigned long long)t.inplace_steps);
    NN_CHECK_EQ_INT(t.failures, 0);
    /* the generator must keep reaching every op and every planner path, or this test proves little */
    NN_CHECK(seconds > 0u || t.models == count);
    if (t.models >= 1000u) {
        for (k = 1; k < NN_OP_COUNT_; k++) {
            NN_CHECK(t.ops[k] > t.valid / 100u);
        }
        NN_CHECK(t.refused > 0u);
        NN_CHECK(t.streamed_steps > t.valid / 10u);
        NN_CHECK(t.folded_pads > 0u);
        NN_CHECK(t.unfolded_pads > 0u);
        NN_CHECK(t.inplace_steps > 0u);
    }
}

int main(void)
{
    NN_RUN(test_random_models_plan_and_run_exactly);
    return nn_test_finish();
}

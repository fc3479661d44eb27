/*
 * test_planner.c - the memory planner and the row-streaming executor (nn_planner.h).
 *
 * For each shipped model and several budgets from the smallest plan up to past layer by layer:
 * the planned run equals the layer-by-layer run bit for bit on every whole tensor both
 * materialise and on the output, equals TFLM's golden outputs, executes exactly nn_model_macs()
 * MACs (counted from every kernel call's dims: no row is computed twice), and never writes
 * outside [arena, arena + peak_bytes) (an exact-size malloc under ASan, and canaries around
 * a copy). Budgets below the smallest plan fail and name the smallest budget.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nn_test.h"
#include "nnb_builder.h"
#include "random_model.h"

/* The flat API is a thin layer over the engine: compile it into this test to exercise it. */
#include "../../native-interop/src/api/nanonet_api.c"
#include "../../native-interop/src/planner/nn_plan_internal.h"

static uint32_t inplace_plans, inplace_steps;

/* In-place depthwise layer steps of a finished plan; checks each one's output shares its input's
 * bytes (same offset), that it is a whole-tensor layer step, and that its input is read by no later op. */
static uint32_t count_inplace(void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    sp_op *ops = sp_ops(plan);
    sp_step *steps = sp_steps(plan);
    uint32_t i, n = 0;
    for (i = 0; i < h->op_count; i++) {
        if (ops[i].flags & SP_INPLACE) {
            NN_CHECK(ops[i].opcode == NN_OP_DEPTHWISE_CONV_2D);
            NN_CHECK(ops[i].in0 != SP_INPUT);
            NN_CHECK(ops[i].off == ops[ops[i].in0].off);
            NN_CHECK(ops[ops[i].in0].last_use == i);
            NN_CHECK((ops[i].flags & SP_WHOLE) != 0);
            NN_CHECK(!steps[ops[i].step].streamed);
            NN_CHECK(steps[ops[i].step].window_bytes > 0); /* the row delay buffer */
            n++;
        }
    }
    return n;
}

typedef struct capture {
    uint32_t count;
    uint32_t tensor[1024];
    uint32_t size[1024];
    int8_t *data[1024];
} capture;

static void capture_observer(void *user, uint32_t op_index, uint32_t tensor_index, const int8_t *data, uint32_t size)
{
    capture *c = (capture *)user;
    (void)op_index;
    if (c->count < 1024u) {
        c->tensor[c->count] = tensor_index;
        c->size[c->count] = size;
        c->data[c->count] = (int8_t *)malloc(size);
        memcpy(c->data[c->count], data, size);
        c->count++;
    }
}

static void capture_free(capture *c)
{
    uint32_t i;
    for (i = 0; i < c->count; i++) {
        free(c->data[i]);
    }
    c->count = 0;
}

static const struct {
    const char *file, *golden_name, *input_kind;
} models[3] = {{"person_detect.nnb", "person_detect", "gray96"},
               {"vww_96.nnb", "vww96", "rgb96"},
               {"mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96"}};
static const char *const inputs[2] = {"tflm_person", "tflm_no_person"};

static uint8_t *load_model(uint32_t i, size_t *size, nn_model *m)
{
    char path[512];
    uint8_t *blob;
    snprintf(path, sizeof(path), "%s/models/%s", NANONET_REPO_DIR, models[i].file);
    blob = nn_test_read_file(path, size);
    NN_CHECK(blob != NULL);
    if (blob != NULL && nn_model_parse(blob, *size, m, NULL) != NN_OK) {
        NN_CHECK(0);
        free(blob);
        return NULL;
    }
    return blob;
}

static uint8_t *load_input(uint32_t i, uint32_t k, size_t *size)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/golden/inputs/%s.%s.i8", NANONET_SHARED_DIR, inputs[k], models[i].input_kind);
    return nn_test_read_file(path, size);
}

/*
 * A step's widened quantisation scratch (sp_step.quant_each) lies in the region and overlaps no
 * whole tensor alive in that step (from its producer's step to its last reader's), nor the step's
 * row windows; checked from the plan's records, independently of the planner's block bookkeeping.
 * Returns the number of such steps.
 */
static uint32_t check_quant_slots(const nn_model *m, void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    const sp_op *ops = sp_ops(plan);
    const sp_step *steps = sp_steps(plan);
    uint32_t s, k, widened = 0;
    for (s = 0; s < h->step_count; s++) {
        const sp_step *st = &steps[s];
        const uint32_t q0 = sp_quant_off(st), q1 = q0 + st->quant_bytes;
        if (!st->quant_each) {
            continue;
        }
        widened++;
        NN_CHECK(st->streamed);
        NN_CHECK(q1 <= h->region_peak);
        NN_CHECK(q1 <= st->scratch_off || st->scratch_off + st->window_bytes <= q0);
        for (k = 0; k < m->op_count; k++) {
            const sp_op *o = &ops[k];
            uint32_t last;
            nn_op_view v;
            if ((o->flags & SP_FOLDED) || !(o->flags & SP_WHOLE)) {
                continue;
            }
            last = o->last_use < m->op_count ? ops[o->last_use].step : (uint32_t)h->step_count - 1u;
            if (o->step <= s && s <= last) {
                nn_op_read(m->ops + o->rec, &v);
                if (!(o->off + nn_tensor_elements(m, v.output) <= q0 || q1 <= o->off)) {
                    printf("    step %u: quant [%u, %u) overlaps op %u's tensor at %u\n", s, q0, q1, k, o->off);
                    NN_CHECK(0);
                }
            }
        }
    }
    return widened;
}

/* Plans at `budget`, runs, and checks against the layer-by-layer capture `ref` and the goldens. */
static uint32_t check_budget(uint32_t mi, const nn_model *m, uint32_t budget, const capture *ref, const int8_t *ref_out,
                             const uint8_t *x, size_t x_size, const int expected[2])
{
    const size_t out_size = 2;
    uint8_t *plan = (uint8_t *)malloc(nn_plan_buffer_size(m));
    uint32_t peak = 0, min_budget = 0, i, j, steps, streamed = 0, widened;
    nn_run_stats stats;
    capture got;
    int8_t y[2] = {0, 0};
    uint8_t *arena, *guarded;
    nn_status st = nn_plan_create(m, budget, plan, nn_plan_buffer_size(m), &peak, &min_budget);
    NN_CHECK_EQ_INT(st, NN_OK);
    if (st != NN_OK) {
        free(plan);
        return 0;
    }
    NN_CHECK(budget == 0 || peak <= budget);
    steps = nn_plan_step_count(plan);
    widened = check_quant_slots(m, plan);
    for (i = 0; i < steps; i++) {
        nn_plan_step s;
        NN_CHECK_EQ_INT(nn_plan_get_step(plan, i, &s), NN_OK);
        NN_CHECK(s.arena_end <= peak);
        streamed += s.streamed;
    }

    /* exact-size arena (ASan catches any write past it) */
    arena = (uint8_t *)malloc(peak);
    got.count = 0;
    st = nn_executor_run_planned(m, budget, (const int8_t *)x, x_size, y, out_size, arena, peak, capture_observer, &got,
                                 NULL, &stats);
    NN_CHECK_EQ_INT(st, NN_OK);
    NN_CHECK_EQ_INT(stats.peak_bytes, peak);
    NN_CHECK_EQ_INT(stats.macs, nn_model_macs(m));
    NN_CHECK_EQ_INT(y[0], expected[0]);
    NN_CHECK_EQ_INT(y[1], expected[1]);
    NN_CHECK(memcmp(y, ref_out, out_size) == 0);
    /* every whole tensor of the planned run equals the layer-by-layer one */
    for (i = 0; i < got.count; i++) {
        int found = 0;
        for (j = 0; j < ref->count; j++) {
            if (ref->tensor[j] == got.tensor[i]) {
                found = 1;
                NN_CHECK_EQ_INT(got.size[i], ref->size[j]);
                NN_CHECK(memcmp(got.data[i], ref->data[j], got.size[i]) == 0);
            }
        }
        NN_CHECK(found);
    }
    if (streamed == 0) {
        /* all layer steps: every op's tensor is observed except the PADs and RESHAPEs folded away */
        const uint8_t *rec = m->ops;
        uint32_t folded = 0;
        for (i = 0; i < m->op_count; i++) {
            const uint32_t opcode = rec[0], out = (uint32_t)rec[8] | ((uint32_t)rec[9] << 8);
            int seen = 0;
            for (j = 0; j < got.count; j++) {
                seen |= got.tensor[j] == out;
            }
            if (!seen) {
                NN_CHECK(opcode == NN_OP_PAD || opcode == NN_OP_RESHAPE);
                printf("    folded away: op %u (%s) tensor %u\n", i, opcode == NN_OP_PAD ? "PAD" : "RESHAPE", out);
                folded++;
            }
            rec += (uint32_t)rec[2] | ((uint32_t)rec[3] << 8);
        }
        NN_CHECK_EQ_INT(got.count + folded, m->op_count);
    }
    capture_free(&got);
    /* one byte short is refused */
    NN_CHECK_EQ_INT(nn_executor_run_planned(m, budget, (const int8_t *)x, x_size, y, out_size, arena, peak - 1u, NULL,
                                            NULL, NULL, NULL),
                    NN_ERR_ARENA_TOO_SMALL);
    free(arena);

    /* canaries: 64 bytes each side of the arena must be untouched (misaligned arena on purpose) */
    guarded = (uint8_t *)malloc(peak + 129u);
    memset(guarded, 0xA5, peak + 129u);
    st = nn_executor_run_planned(m, budget, (const int8_t *)x, x_size, y, out_size, guarded + 65, peak, NULL, NULL,
                                 nn_reference_kernels(), NULL);
    NN_CHECK_EQ_INT(st, NN_OK);
    NN_CHECK_EQ_INT(y[0], expected[0]);
    for (i = 0; i < 65u; i++) {
        NN_CHECK(guarded[i] == 0xA5);
    }
    for (i = 0; i < 64u; i++) {
        NN_CHECK(guarded[65u + peak + i] == 0xA5);
    }
    free(guarded);
    printf("  %s budget %u: peak_bytes %u (min %u), %u steps (%u streamed, %u with every op's quantisation), %llu MACs, "
           "%u kernel calls\n",
           models[mi].file, budget, peak, min_budget, steps, streamed, widened, (unsigned long long)stats.macs,
           stats.kernel_calls);
    if (budget == 0 && strcmp(models[mi].file, "mobilenet_v2_035_96_gray.nnb") == 0) {
        /* the smallest MobileNet v2 plan has room for it in all 8 streamed steps (the lx106's 1.3 M) */
        NN_CHECK_EQ_INT(widened, streamed);
    }
    free(plan);
    return peak;
}

static void test_shipped_models_all_budgets(void)
{
    uint32_t i, k, b;
    for (i = 0; i < 3; i++) {
        size_t size;
        nn_model m;
        uint8_t *blob = load_model(i, &size, &m);
        uint32_t min_budget = 0, lbl;
        if (blob == NULL) {
            continue;
        }
        {
            uint8_t *plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
            uint32_t peak = 0;
            NN_CHECK_EQ_INT(nn_plan_create(&m, NN_PLAN_BUDGET_MIN, plan, nn_plan_buffer_size(&m), &peak, &min_budget),
                            NN_OK);
            NN_CHECK_EQ_INT(peak, min_budget);
            free(plan);
        }
        lbl = (uint32_t)nn_executor_arena_size(&m);
        for (k = 0; k < 2; k++) {
            size_t x_size = 0;
            uint8_t *x = load_input(i, k, &x_size);
            int expected[2];
            capture ref;
            int8_t ref_out[2];
            uint8_t *arena = (uint8_t *)malloc(lbl);
            NN_CHECK(x != NULL);
            NN_CHECK(nn_test_golden_output(models[i].golden_name, inputs[k], expected));
            if (x == NULL) {
                free(arena);
                continue;
            }
            ref.count = 0;
            NN_CHECK_EQ_INT(nn_executor_run(&m, (const int8_t *)x, x_size, ref_out, 2, arena, lbl, capture_observer, &ref),
                            NN_OK);
            free(arena);
            {
                /* budgets: smallest, a few steps up to past layer by layer */
                const uint32_t budgets[7] = {0, min_budget, min_budget + 1000u, min_budget + (lbl - min_budget) / 4u,
                                             min_budget + (lbl - min_budget) / 2u, lbl, lbl * 2u};
                uint32_t last = 0;
                for (b = 0; b < 7; b++) {
                    const uint32_t peak = check_budget(i, &m, budgets[b], &ref, ref_out, x, x_size, expected);
                    if (b > 0) {
                        NN_CHECK(peak <= budgets[b]);
                    }
                    last = peak;
                }
                (void)last;
            }
            if (k == 0) {
                /* in-place depthwise: scan budgets from the smallest plan to layer by layer; run the
                 * first plans that write a depthwise output over its input (bit-exact, MACs, bounds) */
                uint8_t *plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
                const uint32_t stride = (lbl - min_budget) / 100u > 256u ? (lbl - min_budget) / 100u : 256u;
                uint32_t budget, checked = 0, found = 0;
                for (budget = min_budget; budget <= lbl + stride; budget += stride) {
                    uint32_t peak = 0, mb = 0, c;
                    if (nn_plan_create(&m, budget, plan, nn_plan_buffer_size(&m), &peak, &mb) != NN_OK) {
                        NN_CHECK(0);
                        continue;
                    }
                    c = count_inplace(plan);
                    if (c > 0) {
                        found++;
                        inplace_steps += c;
                        if (checked < 3u) {
                            printf("  %s budget %u: %u in-place depthwise step(s)\n", models[i].file, budget, c);
                            check_budget(i, &m, budget, &ref, ref_out, x, x_size, expected);
                            checked++;
                        }
                    }
                }
                printf("  %s: %u of the scanned budgets plan in-place depthwise\n", models[i].file, found);
                NN_CHECK(found > 0); /* every shipped model has budgets where in-place depthwise pays */
                NN_CHECK(checked > 0);
                inplace_plans += found;
                free(plan);
            }
            capture_free(&ref);
            free(x);
        }
        free(blob);
    }
}

static void test_over_budget_names_minimum(void)
{
    uint32_t i;
    for (i = 0; i < 3; i++) {
        size_t size;
        nn_model m;
        uint8_t *blob = load_model(i, &size, &m);
        uint8_t *plan;
        uint32_t peak = 1, min_budget = 0, min2 = 0;
        if (blob == NULL) {
            continue;
        }
        plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
        NN_CHECK_EQ_INT(nn_plan_create(&m, 0, plan, nn_plan_buffer_size(&m), &peak, &min_budget), NN_OK);
        NN_CHECK(min_budget > 0);
        NN_CHECK_EQ_INT(nn_plan_create(&m, min_budget - 1u, plan, nn_plan_buffer_size(&m), &peak, &min2),
                        NN_ERR_ARENA_TOO_SMALL);
        NN_CHECK_EQ_INT(min2, min_budget);
        NN_CHECK_EQ_INT(nn_plan_create(&m, 100u, plan, nn_plan_buffer_size(&m), &peak, &min2), NN_ERR_ARENA_TOO_SMALL);
        NN_CHECK_EQ_INT(min2, min_budget);
        NN_CHECK_EQ_INT(nn_plan_create(&m, min_budget, plan, nn_plan_buffer_size(&m), &peak, &min2), NN_OK);
        NN_CHECK(peak <= min_budget);
        NN_CHECK_EQ_INT(nn_plan_create(&m, 0, plan, 10, &peak, &min2), NN_ERR_ARENA_TOO_SMALL);
        NN_CHECK_EQ_INT(nn_plan_create(NULL, 0, plan, 10, &peak, &min2), NN_ERR_NULL_ARGUMENT);
        free(plan);
        free(blob);
    }
}

/* The benchmark targets of issue #3 at the default (smallest) budget, and the figures README.md and
 * docs/memory-planner.md give for them (a change of plan must update the docs with it). */
static void test_peak_targets(void)
{
    static const uint32_t targets[3] = {20000u, 20000u, 32000u};
    static const uint32_t documented[3] = {16463u, 16463u, 25615u};
    static const uint32_t documented_lbl[3] = {58895u, 68111u, 242367u};
    uint32_t i;
    for (i = 0; i < 3; i++) {
        size_t size;
        nn_model m;
        uint8_t *blob = load_model(i, &size, &m);
        uint8_t *plan;
        uint32_t peak = 0, min_budget = 0, s;
        if (blob == NULL) {
            continue;
        }
        plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
        NN_CHECK_EQ_INT(nn_plan_create(&m, 0, plan, nn_plan_buffer_size(&m), &peak, &min_budget), NN_OK);
        printf("  %s: peak_bytes %u at the default budget (target %u), layer by layer %u\n", models[i].file, peak,
               targets[i], (unsigned)nn_executor_arena_size(&m));
        NN_CHECK(peak <= targets[i]);
        NN_CHECK_EQ_INT(peak, documented[i]);
        NN_CHECK_EQ_INT(nn_executor_arena_size(&m), documented_lbl[i]);
        for (s = 0; s < nn_plan_step_count(plan); s++) {
            nn_plan_step st;
            nn_plan_get_step(plan, s, &st);
            printf("    step %2u ops %2u..%2u %s tensors %6u windows %6u quant %5u end %6u\n", s, st.first_op,
                   st.last_op, st.streamed ? "stream" : "layer ", st.tensor_bytes, st.window_bytes, st.quant_bytes,
                   st.arena_end);
        }
        free(plan);
        free(blob);
    }
}

/* nanonet_plan / nanonet_run_planned (the flat API the host tools call). */
static void test_flat_api(void)
{
    size_t size, x_size = 0;
    nn_model m;
    uint8_t *blob = load_model(2, &size, &m);
    uint8_t *x = load_input(2, 0, &x_size);
    uint32_t work_size = 0, count = 0, peak = 0, min_budget = 0, i;
    nn_plan_step steps[128];
    uint8_t *work, *arena;
    int8_t y[2];
    int expected[2];
    NN_CHECK(blob != NULL); /* missing reference data is a failure */
    NN_CHECK(x != NULL);
    if (blob == NULL || x == NULL) {
        free(blob);
        free(x);
        return;
    }
    NN_CHECK(nn_test_golden_output(models[2].golden_name, inputs[0], expected));
    NN_CHECK_EQ_INT(nanonet_plan_work_size(blob, (uint32_t)size, &work_size), NN_OK);
    NN_CHECK_EQ_INT(work_size, nn_plan_buffer_size(&m));
    work = (uint8_t *)malloc(work_size);
    NN_CHECK_EQ_INT(nanonet_plan(blob, (uint32_t)size, 0, work, work_size, steps, 128, &count, &peak, &min_budget), NN_OK);
    NN_CHECK(count > 1 && count <= 128);
    NN_CHECK_EQ_INT(peak, min_budget);
    for (i = 0; i < count; i++) {
        NN_CHECK(steps[i].arena_end <= peak);
        NN_CHECK(i == 0 || steps[i].first_op > steps[i - 1].last_op);
    }
    NN_CHECK_EQ_INT(steps[count - 1].last_op, m.op_count - 1u);
    NN_CHECK_EQ_INT(nanonet_plan(blob, (uint32_t)size, peak - 1u, work, work_size, steps, 128, &count, &peak, &min_budget),
                    NN_ERR_ARENA_TOO_SMALL);
    NN_CHECK(min_budget > 0);
    NN_CHECK_EQ_INT(nanonet_plan(blob, (uint32_t)size, 0, NULL, work_size, steps, 128, &count, &peak, &min_budget),
                    NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nanonet_plan(blob, (uint32_t)size, 0, work, work_size, steps, 128, &count, &peak, &min_budget), NN_OK);
    arena = (uint8_t *)malloc(peak);
    NN_CHECK_EQ_INT(nanonet_run_planned(blob, (uint32_t)size, 0, (const int8_t *)x, (uint32_t)x_size, y, 2, arena, peak,
                                        NULL, NULL),
                    NN_OK);
    NN_CHECK_EQ_INT(y[0], expected[0]);
    NN_CHECK_EQ_INT(y[1], expected[1]);
    /* a second run reuses the plan at the arena head; a damaged plan is detected (CRC) and replanned */
    for (i = 0; i < 3; i++) {
        memset(y, 0, sizeof(y));
        if (i == 1) {
            arena[(((uintptr_t)arena + 15u) & ~(uintptr_t)15u) - (uintptr_t)arena + 200u] ^= 0x40u;
        }
        if (i == 2) {
            arena[(((uintptr_t)arena + 15u) & ~(uintptr_t)15u) - (uintptr_t)arena + 8u] ^= 0x01u; /* plan_bytes */
        }
        NN_CHECK_EQ_INT(nanonet_run_planned(blob, (uint32_t)size, 0, (const int8_t *)x, (uint32_t)x_size, y, 2, arena,
                                            peak, NULL, NULL),
                        NN_OK);
        NN_CHECK_EQ_INT(y[0], expected[0]);
        NN_CHECK_EQ_INT(y[1], expected[1]);
    }
    NN_CHECK_EQ_INT(nanonet_run_planned(blob, (uint32_t)size, 0, (const int8_t *)x, (uint32_t)x_size, y, 2, arena,
                                        peak - 1u, NULL, NULL),
                    NN_ERR_ARENA_TOO_SMALL);
    NN_CHECK_EQ_INT(nanonet_run_planned(blob, (uint32_t)size, 0, (const int8_t *)x, (uint32_t)x_size - 1u, y, 2, arena,
                                        peak, NULL, NULL),
                    NN_ERR_INPUT_SIZE);
    blob[100] ^= 1u;
    NN_CHECK_EQ_INT(nanonet_run_planned(blob, (uint32_t)size, 0, (const int8_t *)x, (uint32_t)x_size, y, 2, arena, peak,
                                        NULL, NULL),
                    NN_ERR_BAD_CRC);
    free(arena);
    free(work);
    free(x);
    free(blob);
}

/* ---------------------------------------------------------------- regressions (issue 8) */

/* Runs `blob` layer by layer and planned at the smallest plan and every `step` bytes of budget up to
 * past layer by layer, each planned run in an exact-size arena one byte into its malloc block;
 * every planned output must equal the layer-by-layer one. */
static void check_all_budgets(const uint8_t *blob, size_t size, uint32_t step)
{
    nn_model m;
    nn_tensor_info ti, to;
    int8_t *x, *ref, *got;
    uint8_t *arena, *plan;
    size_t lbl, k;
    uint32_t peak = 0, min_budget = 0, budget, runs = 0, top;
    uint32_t seed = 77u;
    if (nn_model_parse(blob, size, &m, NULL) != NN_OK) {
        NN_CHECK(0);
        return;
    }
    nn_model_tensor(&m, m.input_tensor, &ti);
    nn_model_tensor(&m, m.output_tensor, &to);
    x = (int8_t *)malloc(ti.element_count);
    ref = (int8_t *)malloc(to.element_count);
    got = (int8_t *)malloc(to.element_count);
    for (k = 0; k < ti.element_count; k++) {
        x[k] = (int8_t)nn_test_rand_range(&seed, -128, 127);
    }
    lbl = nn_executor_arena_size(&m);
    arena = (uint8_t *)malloc(lbl);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, ti.element_count, ref, to.element_count, arena, lbl, NULL, NULL), NN_OK);
    free(arena);
    plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
    NN_CHECK_EQ_INT(nn_plan_create(&m, 0, plan, nn_plan_buffer_size(&m), &peak, &min_budget), NN_OK);
    /* up to past layer by layer (the smallest plan of a tiny model may be larger: it holds the plan) */
    top = ((uint32_t)lbl > min_budget ? (uint32_t)lbl : min_budget) + 4u * step;
    for (budget = 0; budget <= top; budget = budget == 0 ? min_budget : budget + step) {
        nn_status st = nn_plan_create(&m, budget, plan, nn_plan_buffer_size(&m), &peak, &min_budget);
        NN_CHECK_EQ_INT(st, NN_OK);
        if (st != NN_OK) {
            break;
        }
        arena = (uint8_t *)malloc((size_t)peak + 1u);
        memset(got, 0x55, to.element_count);
        st = nn_executor_run_planned(&m, budget, x, ti.element_count, got, to.element_count, arena + 1, peak, NULL,
                                     NULL, NULL, NULL);
        if (st != NN_OK || memcmp(got, ref, to.element_count) != 0) {
            printf("  budget %u (peak %u): %s%s\n", budget, peak, nn_status_name(st),
                   st == NN_OK ? ", output differs from layer by layer" : "");
        }
        NN_CHECK_EQ_INT(st, NN_OK);
        NN_CHECK(memcmp(got, ref, to.element_count) == 0);
        free(arena);
        runs++;
    }
    NN_CHECK(runs >= 5u);
    free(plan);
    free(x);
    free(ref);
    free(got);
}

/* Defect 1: the reader checked ADD's operands by element count only while the streaming executor reads
 * both with the output's row geometry: RESHAPE [1,8,8,4] -> [1,2,32,4], 1x1 CONV, ADD of that and the
 * graph input read past an exact arena at the smallest plan (ASan), and [1,4,16,4] + [1,8,8,4] gave wrong
 * outputs. ADD now requires equal shapes, and the reader refuses both models naming the odd operand. */
static void test_regression_add_of_different_shapes(void)
{
    static const uint32_t shapes[2][4] = {{1, 2, 32, 4}, {1, 4, 16, 4}};
    uint32_t k;
    for (k = 0; k < 2; k++) {
        rm_gen g;
        const int32_t in_dims[4] = {1, 8, 8, 4};
        size_t size;
        uint8_t *blob;
        nn_model m;
        nn_diag d;
        nn_status st;
        uint16_t conv_out;
        rm_begin(&g, 11u + k, 1, 8, 8, 4, -3);
        rm_reshape(&g, 4, shapes[k]);
        NN_CHECK(rm_conv(&g, NN_OP_CONV_2D, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 4));
        conv_out = g.t;
        /* ADD(conv output, graph input) into the graph input's shape [1,8,8,4] */
        g.n = in_dims[0];
        g.h = in_dims[1];
        g.w = in_dims[2];
        g.c = in_dims[3];
        {
            const int32_t p[7] = {20, 1 << 30, -1, 1 << 30, -1, 1 << 30, -20};
            const uint16_t out = nnb_tensor4(&g.b, 1, 8, 8, 4, 5);
            nnb_add(&g.b, conv_out, g.input, out, p, -128, 127);
            g.t = out;
        }
        blob = rm_finish(&g, &size);
        st = nn_model_parse(blob, size, &m, &d);
        NN_CHECK_EQ_INT(st, NN_ERR_BAD_SHAPE);
        NN_CHECK_EQ_INT(d.op_index, 2);
        NN_CHECK_EQ_INT(d.tensor_index, conv_out); /* input0 of the ADD: not the output's shape */
        if (st == NN_OK) {
            check_all_budgets(blob, size, 512u); /* what used to happen: overrun or wrong output */
        }
        free(blob);
    }
}

/* Defect 2: folding a PAD into the convolution it feeds raised the effective top padding past
 * (k - 1) * dilation, which the reader proves for every convolution and the in-place depthwise step relies
 * on: 1x1 CONV -> PAD 3 rows before -> 3x3 DEPTHWISE stride (2,1) VALID -> 1x1 CONV ran layer by layer
 * but its smallest plan failed with NN_ERR_INTERNAL. A PAD is now folded only where the folded
 * convolution obeys the reader's rules; this one runs as a layer step, at every budget. */
static void test_regression_pad_folded_beyond_kernel(void)
{
    static const uint16_t before[4] = {0, 3, 0, 0}, after[4] = {0, 0, 0, 0};
    uint32_t k;
    for (k = 0; k < 3; k++) {
        rm_gen g;
        size_t size;
        uint8_t *blob;
        const int32_t h = 10 + (int32_t)k, w = 6, c = 4 + (int32_t)k;
        rm_begin(&g, 21u + k, 1, h, w, c, 2);
        NN_CHECK(rm_conv(&g, NN_OP_CONV_2D, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, c));
        rm_pad(&g, before, after, 1);
        NN_CHECK(rm_conv(&g, NN_OP_DEPTHWISE_CONV_2D, 3, 3, 2, 1, 1, 1, 0, 0, 0, 0, 1));
        NN_CHECK(rm_conv(&g, NN_OP_CONV_2D, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 3));
        blob = rm_finish(&g, &size);
        check_all_budgets(blob, size, 64u);
        free(blob);
    }
}

/* ---------------------------------------------------------------- random chains */

/* Appends a random CONV_2D or DEPTHWISE_CONV_2D (k 1/3/5, stride 1/2, dilation 1/2, SAME or VALID,
 * sometimes after an explicit zero-point PAD); returns the output tensor or `in` if none fits. */
static uint16_t random_conv(nnb_builder *b, uint32_t *seed, uint16_t in, int32_t h, int32_t w, int32_t c, int32_t zp,
                            int32_t *oh, int32_t *ow, int32_t *oc)
{
    static const uint8_t ks[3] = {1, 3, 5};
    nnb_conv_opts o;
    const int dw = nn_test_rand_range(seed, 0, 1);
    const int32_t k = ks[nn_test_rand_range(seed, 0, 2)];
    const int32_t s = nn_test_rand_range(seed, 1, 2), d = k > 1 ? nn_test_rand_range(seed, 1, 2) : 1;
    const int32_t keff = (k - 1) * d + 1;
    const int pad_op = k > 1 && nn_test_rand_range(seed, 0, 2) == 0;
    const int same = nn_test_rand_range(seed, 0, 1);
    const int32_t mult = dw ? nn_test_rand_range(seed, 1, 2) : 1;
    int32_t hh = h, ww = w, pt = 0, pl = 0, outh, outw, outc, i, nw;
    uint16_t src = in, out;
    int8_t *wts;
    int32_t bias[64], mul[64], sh[64];
    if (same) {
        outh = (h + s - 1) / s;
        outw = (w + s - 1) / s;
        pt = ((outh - 1) * s + keff - h) > 0 ? ((outh - 1) * s + keff - h) / 2 : 0;
        pl = ((outw - 1) * s + keff - w) > 0 ? ((outw - 1) * s + keff - w) / 2 : 0;
    } else {
        if (h < keff || w < keff) {
            return in;
        }
        outh = (h - keff) / s + 1;
        outw = (w - keff) / s + 1;
    }
    if (pad_op && (pt > 0 || pl > 0 || !same)) {
        /* explicit PAD of `pt` before and enough after, then a VALID conv */
        const uint16_t before[4] = {0, (uint16_t)pt, (uint16_t)pl, 0};
        uint16_t after[4] = {0, 0, 0, 0};
        int32_t ph = (outh - 1) * s + keff - h - pt, pw = (outw - 1) * s + keff - w - pl;
        after[1] = (uint16_t)(ph > 0 ? ph : 0);
        after[2] = (uint16_t)(pw > 0 ? pw : 0);
        hh = h + pt + after[1];
        ww = w + pl + after[2];
        src = nnb_tensor4(b, 1, (uint32_t)hh, (uint32_t)ww, (uint32_t)c, zp);
        nnb_pad(b, in, src, before, after);
        pt = pl = 0;
        outh = (hh - keff) / s + 1;
        outw = (ww - keff) / s + 1;
    }
    outc = dw ? c * mult : nn_test_rand_range(seed, 1, 24);
    if (outc > 64) {
        return in;
    }
    nw = dw ? k * k * outc : outc * k * k * c;
    wts = (int8_t *)malloc((size_t)nw);
    for (i = 0; i < nw; i++) {
        wts[i] = (int8_t)nn_test_rand_range(seed, -127, 127);
    }
    for (i = 0; i < outc; i++) {
        bias[i] = nn_test_rand_range(seed, -2000, 2000);
        mul[i] = 0x40000000 + nn_test_rand_range(seed, 0, 0x3FFFFFFF);
        sh[i] = nn_test_rand_range(seed, -10, -6);
    }
    memset(&o, 0, sizeof(o));
    o.kh = o.kw = (uint8_t)k;
    o.sh = o.sw = (uint8_t)s;
    o.dh = o.dw = (uint8_t)d;
    o.pt = (uint8_t)pt;
    o.pl = (uint8_t)pl;
    o.depth_multiplier = (uint16_t)mult;
    o.act_min = -128;
    o.act_max = 127;
    out = nnb_tensor4(b, 1, (uint32_t)outh, (uint32_t)outw, (uint32_t)outc, nn_test_rand_range(seed, -20, 20));
    nnb_conv(b, dw ? NN_OP_DEPTHWISE_CONV_2D : NN_OP_CONV_2D, src, out, &o, nnb_weights(b, wts, (size_t)nw),
             nnb_quant(b, (uint32_t)outc, bias, mul, sh));
    free(wts);
    *oh = outh;
    *ow = outw;
    *oc = outc;
    return out;
}

static void test_random_chains_match_layer_by_layer(void)
{
    static const int32_t add_p[7] = {20, 0x7dfa6c9d, -1, 0x40000000, 0, 0x5fdb5bf8, -19};
    uint32_t seed = 20261125u, trial, streamed_total = 0, min_inplace = 0;
    for (trial = 0; trial < 60; trial++) {
        nnb_builder b;
        int32_t h = nn_test_rand_range(&seed, 5, 20), w = nn_test_rand_range(&seed, 5, 20), c = nn_test_rand_range(&seed, 1, 8);
        const int32_t layers = nn_test_rand_range(&seed, 2, 9);
        uint16_t x, t;
        int32_t l, zp = 3;
        size_t size, lbl, i;
        uint8_t *blob;
        nn_model m;
        int8_t *in, *ref, *got;
        uint32_t min_budget = 0, peak = 0, k;
        nnb_init(&b);
        x = nnb_tensor4(&b, 1, (uint32_t)h, (uint32_t)w, (uint32_t)c, zp);
        t = x;
        for (l = 0; l < layers; l++) {
            int32_t oh = h, ow = w, oc = c;
            const uint16_t y = random_conv(&b, &seed, t, h, w, c, zp, &oh, &ow, &oc);
            if (y == t) {
                continue;
            }
            {
                /* the new tensor's zero point, as the builder stored it */
                const uint8_t *e = b.tensors.p + (size_t)y * NN_TENSOR_ENTRY_SIZE;
                zp = (int32_t)((uint32_t)e[16] | ((uint32_t)e[17] << 8) | ((uint32_t)e[18] << 16) | ((uint32_t)e[19] << 24));
            }
            if (oh == h && ow == w && oc == c && nn_test_rand_range(&seed, 0, 1)) {
                const uint16_t sum = nnb_tensor4(&b, 1, (uint32_t)oh, (uint32_t)ow, (uint32_t)oc, 1);
                nnb_add(&b, t, y, sum, add_p, -128, 127);
                t = sum;
                zp = 1;
            } else {
                t = y;
            }
            h = oh;
            w = ow;
            c = oc;
        }
        if (t == x) {
            nnb_free(&b);
            continue;
        }
        nnb_io(&b, x, t);
        blob = nnb_finish(&b, &size, NULL);
        nnb_free(&b);
        if (nn_model_parse(blob, size, &m, NULL) != NN_OK) {
            NN_CHECK(0);
            free(blob);
            continue;
        }
        {
            nn_tensor_info ti, to;
            uint8_t *arena, *plan = (uint8_t *)malloc(nn_plan_buffer_size(&m));
            nn_model_tensor(&m, m.input_tensor, &ti);
            nn_model_tensor(&m, m.output_tensor, &to);
            in = (int8_t *)malloc(ti.element_count);
            ref = (int8_t *)malloc(to.element_count);
            got = (int8_t *)malloc(to.element_count);
            for (i = 0; i < ti.element_count; i++) {
                in[i] = (int8_t)nn_test_rand_range(&seed, -128, 127);
            }
            lbl = nn_executor_arena_size(&m);
            arena = (uint8_t *)malloc(lbl);
            NN_CHECK_EQ_INT(nn_executor_run(&m, in, ti.element_count, ref, to.element_count, arena, lbl, NULL, NULL), NN_OK);
            free(arena);
            NN_CHECK_EQ_INT(nn_plan_create(&m, 0, plan, nn_plan_buffer_size(&m), &peak, &min_budget), NN_OK);
            for (k = 0; k < 4; k++) {
                const uint32_t budget = k == 0 ? 0u : min_budget + (uint32_t)((lbl + 2000u - min_budget) * (k - 1u) / 2u);
                nn_run_stats st;
                if (nn_plan_create(&m, budget, plan, nn_plan_buffer_size(&m), &peak, &min_budget) != NN_OK) {
                    NN_CHECK(0);
                    continue;
                }
                if (k == 0 && count_inplace(plan) > 0) {
                    min_inplace++; /* the smallest plan chose in-place depthwise (build_min's third build) */
                }
                {
                    uint32_t s2;
                    for (s2 = 0; s2 < nn_plan_step_count(plan); s2++) {
                        nn_plan_step ps;
                        nn_plan_get_step(plan, s2, &ps);
                        streamed_total += ps.streamed;
                    }
                }
                arena = (uint8_t *)malloc(peak);
                memset(got, 0x55, to.element_count);
                NN_CHECK_EQ_INT(nn_executor_run_planned(&m, budget, in, ti.element_count, got, to.element_count, arena,
                                                        peak, NULL, NULL, NULL, &st),
                                NN_OK);
                NN_CHECK(memcmp(got, ref, to.element_count) == 0);
                NN_CHECK_EQ_INT(st.macs, nn_model_macs(&m));
                free(arena);
            }
            free(plan);
            free(in);
            free(ref);
            free(got);
        }
        free(blob);
    }
    printf("  %u streamed steps over all random plans; %u smallest plans with in-place depthwise\n", streamed_total,
           min_inplace);
    NN_CHECK(streamed_total > 20u);
    NN_CHECK(min_inplace > 0u);
}

/* The streamed-quantisation decoder (nn_quant_decode_range, run once per streamed row, and its
 * 32-bit core path nn_quant_decode_range32) against the one-record reader the model reader uses
 * (nn_quant_record), over every field width the reader accepts, random ranges, and a block in an
 * exact-size malloc (under ASan: no byte past it is read). */
static void test_quant_decode_matches_records(void)
{
    uint32_t seed = 0x9E3779B9u, k;
    for (k = 0; k < 4000u; k++) {
        nn_quant_header h;
        uint8_t head[NN_QUANT_HEADER_SIZE];
        uint8_t *block;
        int32_t *bias, *mult, *shift;
        uint32_t i, size, first, count, channels;
        memset(head, 0, sizeof(head));
        head[0] = 1;
        head[1] = (uint8_t)(k < 33u ? k : (uint32_t)nn_test_rand_range(&seed, 0, 32));
        head[2] = (uint8_t)(k < 31u ? k + 1u : (uint32_t)nn_test_rand_range(&seed, 1, 31));
        head[3] = (uint8_t)nn_test_rand_range(&seed, 0, 6);
        head[4] = (uint8_t)(int8_t)nn_test_rand_range(&seed, -40, 10);
        channels = (uint32_t)nn_test_rand_range(&seed, 1, k % 7u == 0u ? 300 : 40);
        head[8] = (uint8_t)channels;
        head[9] = (uint8_t)(channels >> 8);
        nn_quant_read_header(head, &h);
        size = nn_quant_block_size(&h);
        block = (uint8_t *)malloc(size);
        memcpy(block, head, sizeof(head));
        for (i = NN_QUANT_HEADER_SIZE; i < size; i++) {
            block[i] = (uint8_t)nn_test_rand(&seed);
        }
        first = (uint32_t)nn_test_rand_range(&seed, 0, (int32_t)channels - 1);
        count = k % 3u == 0u ? channels - first : (uint32_t)nn_test_rand_range(&seed, 0, (int32_t)(channels - first));
        if (k % 5u == 0u) {
            first = 0;
            count = channels;
        }
        bias = (int32_t *)malloc(sizeof(int32_t) * (count + 1u));
        mult = (int32_t *)malloc(sizeof(int32_t) * (count + 1u));
        shift = (int32_t *)malloc(sizeof(int32_t) * (count + 1u));
        if (k & 1u) { /* the 32-bit core's path, where it applies, on any host */
            if (count == 0u || h.shift_bits > 24u) {
                free(bias);
                free(mult);
                free(shift);
                free(block);
                continue;
            }
            nn_quant_decode_range32(block, &h, first, count, bias, mult, shift);
        } else {
            nn_quant_decode_range(block, &h, first, count, bias, mult, shift);
        }
        for (i = 0; i < count; i++) {
            int32_t b, mu, sh;
            nn_quant_record(block, &h, first + i, &b, &mu, &sh);
            if (b != bias[i] || mu != mult[i] || sh != shift[i]) {
                printf("  bits %u/%u/%u channel %u of %u: %d %d %d, record %d %d %d\n", h.bias_bits, h.mult_bits,
                       h.shift_bits, first + i, channels, bias[i], mult[i], shift[i], b, mu, sh);
                NN_CHECK(0);
                break;
            }
        }
        free(bias);
        free(mult);
        free(shift);
        free(block);
    }
}

/*
 * What the planner's DP relies on (plan_dp, dp_simulate): in the simulation of a chain [a, b], the
 * window every op o >= a needs does not depend on a, so one simulation of the longest chain
 * ending at b gives the windows of every shorter one. Checked against separate simulations of
 * every chain the DP considers, on the shipped models and random ones.
 */
static uint32_t chain_caps_checked;

static void check_chain_caps(const nn_model *m)
{
    const size_t plan_size = nn_plan_buffer_size(m);
    uint8_t *plan = (uint8_t *)malloc(plan_size);
    uint32_t peak = 0, min_budget = 0, b, a, t;
    sp_header *h = (sp_header *)plan;
    sp_op *ops;
    if (nn_plan_create(m, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, &min_budget) != NN_OK) {
        NN_CHECK(0);
        free(plan);
        return;
    }
    ops = sp_ops(plan);
    for (b = 0; b < h->op_count; b++) {
        uint16_t ref[SP_MAX_CHAIN];
        uint32_t lowest = b, len = 1;
        if ((ops[b].flags & SP_FOLDED) || !sp_streamable(m, ops, b)) {
            continue;
        }
        /* the chains the DP considers that can be simulated: [a, b] of streamable ops */
        for (a = b; a-- > 0 && b - a < SP_MAX_CHAIN;) {
            sp_rowgeo g;
            if (sp_row_geo(m, ops, a, &g) != NN_OK) {
                break;
            }
            if (ops[a].flags & SP_FOLDED) {
                continue;
            }
            if (!sp_streamable(m, ops, a) || ++len > SP_MAX_CHAIN) {
                break;
            }
            lowest = a;
        }
        for (a = lowest; a <= b; a++) { /* longest first, then every shorter one */
            sp_ctx ctx;
            if (ops[a].flags & SP_FOLDED) {
                continue;
            }
            for (t = a; t <= b; t++) {
                ops[t].flags = (uint8_t)(ops[t].flags & SP_FOLDED);
                if (!(ops[t].flags & SP_FOLDED) && ops[t].last_use > b) {
                    ops[t].flags |= SP_WHOLE;
                }
            }
            memset(&ctx, 0, sizeof(ctx));
            ctx.m = m;
            ctx.h = h;
            ctx.ops = ops;
            ctx.a = a;
            ctx.b = b;
            ctx.sim = 1;
            NN_CHECK_EQ_INT(sp_run_segment(&ctx), NN_OK);
            for (t = a; t <= b; t++) {
                if (a == lowest) {
                    ref[t - lowest] = ops[t].cap;
                } else if (ops[t].cap != ref[t - lowest]) {
                    printf("  chain [%u, %u]: op %u needs %u rows, %u in [%u, %u]\n", a, b, t, ops[t].cap,
                           ref[t - lowest], lowest, b);
                    NN_CHECK(0);
                }
            }
            chain_caps_checked++;
        }
    }
    free(plan);
}

static void test_chain_windows_do_not_depend_on_chain_start(void)
{
    uint32_t i, seed;
    for (i = 0; i < 3; i++) {
        size_t size;
        nn_model m;
        uint8_t *blob = load_model(i, &size, &m);
        if (blob != NULL) {
            check_chain_caps(&m);
            free(blob);
        }
    }
    for (seed = 1; seed <= 1500u; seed++) {
        rm_info info;
        size_t size;
        nn_model m;
        uint8_t *blob = rm_random_model(seed, &size, &info);
        if (nn_model_parse(blob, size, &m, NULL) == NN_OK) {
            check_chain_caps(&m);
        }
        free(blob);
    }
    printf("  %u chains simulated\n", chain_caps_checked);
    NN_CHECK(chain_caps_checked > 1000u);
}

int main(void)
{
    NN_RUN(test_quant_decode_matches_records);
    NN_RUN(test_chain_windows_do_not_depend_on_chain_start);
    NN_RUN(test_regression_add_of_different_shapes);
    NN_RUN(test_regression_pad_folded_beyond_kernel);
    NN_RUN(test_flat_api);
    NN_RUN(test_random_chains_match_layer_by_layer);
    NN_RUN(test_peak_targets);
    NN_RUN(test_over_budget_names_minimum);
    NN_RUN(test_shipped_models_all_budgets);
    printf("in-place depthwise: %u plans, %u steps\n", inplace_plans, inplace_steps);
    return nn_test_finish();
}

/* bench_main.c - instruction counts of the shipped models on bare-metal lx106 under QEMU
 * (-icount shift=5), read from CCOUNT around each region. Not a test: tests/xtensa/bench.sh
 * builds it (same embedded models/inputs as golden_main.c, see embed.sh) and tabulates.
 * Lines printed (raw CCOUNT ticks; bench.sh converts to instructions):
 *   CALIB <n> <ticks>                     ticks of a loop of n instructions
 *   R <model> <mode> <ticks> <macs> <ok|MISMATCH|ERR...>   (modes ending in _w: after nn_model_widen, "widen")
 *   OP <model> <opcode> <count> <ticks>   per-opcode ticks, layer by layer, default kernels */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nanonet/nn_status.h"
#include "xt_support.h"
#include "nn_model_internal.h"

static inline uint32_t ccount(void)
{
    uint32_t v;
    __asm__ volatile("rsr.ccount %0" : "=a"(v) :: "memory");
    return v;
}

static int8_t output[64];

static void emit(const char *model, const char *mode, uint32_t ticks, uint64_t macs, nn_status st,
                 const xt_expect *e, int check)
{
    put_str("R "); put_str(model); put_str(" "); put_str(mode); put_str(" ");
    put_u64(ticks); put_str(" "); put_u64(macs); put_str(" ");
    if (st != NN_OK) { put_str("ERR:"); put_str(nn_status_name((int)st)); }
    else if (!check) put_str("ok");
    else if (e != NULL && output[0] == e->out0 && output[1] == e->out1) put_str("ok");
    else { put_str("MISMATCH:"); put_int(output[0]); put_str(","); put_int(output[1]); }
    flush_line();
}

/* ---- per-op attribution through the observer ---- */
typedef struct op_prof {
    const nn_model *m;
    const uint8_t *rec;     /* record of the next op to complete */
    uint32_t next_index;
    uint32_t last;
    uint64_t ticks[NN_OP_COUNT_ + 1];
    uint32_t count[NN_OP_COUNT_ + 1];
} op_prof;

static void prof_observer(void *user, uint32_t op_index, uint32_t tensor_index, const int8_t *data, uint32_t size)
{
    uint32_t now = ccount();
    op_prof *p = (op_prof *)user;
    nn_op_view op;
    (void)tensor_index; (void)data; (void)size;
    while (p->next_index < op_index) { /* ops without a callback (none expected) */
        nn_op_read(p->rec, &op);
        p->rec += op.record_size;
        p->next_index++;
    }
    nn_op_read(p->rec, &op);
    {
        uint32_t oc = op.opcode < NN_OP_COUNT_ ? op.opcode : NN_OP_COUNT_;
        p->ticks[oc] += (uint32_t)(now - p->last);
        p->count[oc]++;
    }
    p->rec += op.record_size;
    p->next_index++;
    p->last = ccount();
}

static void calibrate(void)
{
    static const uint32_t ns[2] = { 1000000u, 2000000u };
    int k;
    for (k = 0; k < 2; ++k) {
        uint32_t n = ns[k] / 2u, t0, t1, cnt = n;
        t0 = ccount();
        __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+a"(cnt));
        t1 = ccount();
        put_str("CALIB "); put_u64(ns[k]); put_str(" "); put_u64(t1 - t0); flush_line();
    }
}

/* one model on its input: what the timed runs share */
typedef struct bench_case {
    const char *name;
    const nn_model *m;
    const int8_t *x;
    uint32_t in_n, out_n;
    uint64_t macs;
    const xt_expect *e;
} bench_case;

/* a layer-by-layer run with the default kernels, timed as `mode`; the arena it used (NULL: none) */
static uint8_t *run_lbl(const bench_case *c, const char *mode, size_t *need)
{
    uint8_t *arena;
    uint32_t t0, t1;
    nn_status st;
    pool_reset();
    *need = nn_executor_arena_size(c->m);
    arena = pool_alloc(*need);
    if (arena == NULL) { emit(c->name, mode, 0, c->macs, NN_ERR_ARENA_TOO_SMALL, c->e, 0); return NULL; }
    memset(output, 0x5a, sizeof output);
    t0 = ccount();
    st = nn_executor_run(c->m, c->x, c->in_n, output, c->out_n, arena, *need, NULL, NULL);
    t1 = ccount();
    emit(c->name, mode, t1 - t0, c->macs, st, c->e, 1);
    return arena;
}

/* the smallest plan (peak bytes): first call (plan + run in a fresh arena), then steady state (plan reused) */
static void run_planned(const bench_case *c, uint32_t peak, const char *first, const char *steady)
{
    uint8_t *arena;
    uint32_t t0, t1;
    nn_status st;
    int k;
    pool_reset();
    arena = pool_alloc(peak);
    if (arena == NULL) { emit(c->name, first, 0, c->macs, NN_ERR_ARENA_TOO_SMALL, c->e, 0); return; }
    memset(arena, 0, peak);
    for (k = 0; k < 2; ++k) {
        memset(output, 0x5a, sizeof output);
        t0 = ccount();
        st = nn_executor_run_planned(c->m, NN_PLAN_BUDGET_MIN, c->x, c->in_n, output, c->out_n, arena, peak, NULL, NULL,
                                     NULL, NULL);
        t1 = ccount();
        emit(c->name, k == 0 ? first : steady, t1 - t0, c->macs, st, c->e, 1);
    }
}

int main(void)
{
    uint32_t mi;
    calibrate();
    for (mi = 0; mi < xt_model_count; ++mi) {
        const xt_blob *mb = &xt_models[mi];
        const char *kind = xt_input_kind(mb->name);
        const xt_blob *in = find_input("tflm_person", kind);
        const xt_expect *e = find_expect("tflm_person", mb->name);
        nn_model m;
        nn_diag diag;
        nn_tensor_info tin, tout;
        nn_status st;
        uint32_t t0, t1;
        uint64_t macs;
        size_t need, plan_size;
        uint8_t *arena, *plan;
        uint32_t peak = 0, min_budget = 0;
        bench_case bc;

        t0 = ccount();
        st = nn_model_parse(mb->data, mb->size, &m, &diag);
        t1 = ccount();
        if (st == NN_OK) st = nn_model_tensor(&m, m.input_tensor, &tin);
        if (st == NN_OK) st = nn_model_tensor(&m, m.output_tensor, &tout);
        macs = st == NN_OK ? nn_model_macs(&m) : 0;
        emit(mb->name, "parse", t1 - t0, macs, st, e, 0);
        if (st != NN_OK) continue;
        if (in == NULL || in->size != tin.element_count || tout.element_count < 2u || tout.element_count > sizeof output) {
            emit(mb->name, "setup", 0, macs, NN_ERR_INTERNAL, e, 0);
            continue;
        }

        bc.name = mb->name;
        bc.m = &m;
        bc.x = (const int8_t *)in->data;
        bc.in_n = tin.element_count;
        bc.out_n = tout.element_count;
        bc.macs = macs;
        bc.e = e;

        /* layer by layer, default kernels */
        arena = run_lbl(&bc, "lbl", &need);
        if (arena == NULL) continue;

        /* layer by layer, reference kernels */
        memset(output, 0x5a, sizeof output);
        t0 = ccount();
        st = nn_executor_run_with_kernels(&m, (const int8_t *)in->data, tin.element_count, output, tout.element_count,
                                          arena, need, NULL, NULL, nn_reference_kernels());
        t1 = ccount();
        emit(mb->name, "lbl_ref", t1 - t0, macs, st, e, 1);

        /* per-op breakdown (person_detect only) */
        if (strcmp(mb->name, "person_detect") == 0) {
            static op_prof p;
            uint32_t oc;
            memset(&p, 0, sizeof p);
            p.m = &m;
            p.rec = m.ops;
            memset(output, 0x5a, sizeof output);
            p.last = ccount();
            st = nn_executor_run(&m, (const int8_t *)in->data, tin.element_count, output, tout.element_count, arena, need,
                                 prof_observer, &p);
            for (oc = 0; oc <= NN_OP_COUNT_; ++oc) {
                if (p.count[oc] == 0u) continue;
                put_str("OP "); put_str(mb->name); put_str(" "); put_u64(oc); put_str(" "); put_u64(p.count[oc]);
                put_str(" "); put_u64(p.ticks[oc]); flush_line();
            }
            emit(mb->name, "lbl_observed", 0, macs, st, e, 1);
        }

        /* planning alone */
        pool_reset();
        plan_size = nn_plan_buffer_size(&m);
        plan = pool_alloc(plan_size);
        if (plan == NULL) { emit(mb->name, "plan", 0, macs, NN_ERR_ARENA_TOO_SMALL, e, 0); continue; }
        t0 = ccount();
        st = nn_plan_create(&m, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, &min_budget);
        t1 = ccount();
        emit(mb->name, "plan", t1 - t0, macs, st, e, 0);
        if (st != NN_OK) continue;
        run_planned(&bc, peak, "planned_first", "planned_steady");

        /* the same with the weights widened as the interop widens them (nn_model_widen, done once at load) */
        t0 = ccount();
        st = (nn_status)xt_widen(&m, NN_WIDEN_DEFAULT_MIN_PIXELS);
        t1 = ccount();
        emit(mb->name, "widen", t1 - t0, macs, st, e, 0);
        if (st != NN_OK) continue;
        if (run_lbl(&bc, "lbl_w", &need) == NULL) continue;
        run_planned(&bc, peak, "planned_first_w", "planned_steady_w");
    }
    put_str("DONE"); flush_line();
    return 0;
}

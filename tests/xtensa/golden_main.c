/* golden_main.c - the shipped models on the golden inputs, bare-metal lx106 under QEMU.
 * The models, inputs and expected outputs are C arrays generated at build time (embed.sh).
 * For each model and input: one layer-by-layer run (nn_executor_run) and one run at the
 * smallest plan (nn_executor_run_planned, budget 0), each with the int8 weights and with the
 * weights widened as the interop widens them (nn_model_widen); then the kernel equality groups
 * of kernel_cases.c and the interop cases of interop_case.c. Output goes through semihosting. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nanonet/nn_status.h"
#include "interop_case.h"
#include "kernel_cases.h"
#include "xt_support.h"

static unsigned passed, failed;

static void report(const char *model, const char *input, const char *mode, const char *error,
                   int got0, int got1, const xt_expect *e)
{
    if (error == NULL && e != NULL && got0 == e->out0 && got1 == e->out1) {
        put_str("ok     "); put_str(model); put_str(" "); put_str(input); put_str(" "); put_str(mode);
        ++passed;
    } else {
        put_str("FAILED "); put_str(model); put_str(" "); put_str(input); put_str(" "); put_str(mode); put_str(": ");
        if (error != NULL) {
            put_str(error);
        } else if (e == NULL) {
            put_str("no expected output");
        } else {
            put_str("got "); put_int(got0); put_str(" "); put_int(got1);
            put_str(", expected "); put_int(e->out0); put_str(" "); put_int(e->out1);
        }
        ++failed;
    }
    flush_line();
}

static const char *status_text(const char *what, nn_status st)
{
    static char buf[96];
    size_t n = 0;
    const char *s = nn_status_name((int)st);
    while (*what && n < sizeof buf - 1u) buf[n++] = *what++;
    while (s && *s && n < sizeof buf - 1u) buf[n++] = *s++;
    buf[n] = '\0';
    return buf;
}

static int8_t output[64];

static void run_case(const xt_blob *mb, const nn_model *m, const char *input_name, const xt_blob *in,
                     uint32_t in_elems, uint32_t out_elems, int planned)
{
    const char *mode = m->widened != NULL ? (planned ? "planned_min_widened" : "layer_by_layer_widened")
                                          : (planned ? "planned_min" : "layer_by_layer");
    const xt_expect *e = find_expect(input_name, mb->name);
    nn_status st;
    uint8_t *arena;

    memset(output, 0x5a, sizeof output);
    pool_reset();
    if (in == NULL || in->size != in_elems) {
        report(mb->name, input_name, mode, "input missing or of the wrong size", 0, 0, e);
        return;
    }
    if (out_elems < 2u || out_elems > sizeof output) {
        report(mb->name, input_name, mode, "unexpected output size", 0, 0, e);
        return;
    }
    if (!planned) {
        const size_t need = nn_executor_arena_size(m);
        arena = pool_alloc(need);
        if (arena == NULL) { report(mb->name, input_name, mode, "arena does not fit the static pool", 0, 0, e); return; }
        st = nn_executor_run(m, (const int8_t *)in->data, in_elems, output, out_elems, arena, need, NULL, NULL);
        if (st != NN_OK) { report(mb->name, input_name, mode, status_text("nn_executor_run: ", st), 0, 0, e); return; }
    } else {
        size_t plan_size = nn_plan_buffer_size(m);
        uint8_t *plan = pool_alloc(plan_size);
        uint32_t peak = 0, min_budget = 0;
        if (plan == NULL) { report(mb->name, input_name, mode, "plan buffer does not fit the static pool", 0, 0, e); return; }
        st = nn_plan_create(m, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, &min_budget);
        if (st != NN_OK) { report(mb->name, input_name, mode, status_text("nn_plan_create: ", st), 0, 0, e); return; }
        pool_reset(); /* the plan is remade at the head of the arena by the run */
        arena = pool_alloc(peak);
        if (arena == NULL) { report(mb->name, input_name, mode, "plan peak does not fit the static pool", 0, 0, e); return; }
        st = nn_executor_run_planned(m, NN_PLAN_BUDGET_MIN, (const int8_t *)in->data, in_elems, output, out_elems,
                                     arena, peak, NULL, NULL, NULL, NULL);
        if (st != NN_OK) { report(mb->name, input_name, mode, status_text("nn_executor_run_planned: ", st), 0, 0, e); return; }
    }
    report(mb->name, input_name, mode, NULL, output[0], output[1], e);
}

int main(void)
{
    static const char *const input_names[] = { "tflm_person", "tflm_no_person" };
    uint32_t mi, ii;
    for (mi = 0; mi < xt_model_count; ++mi) {
        const xt_blob *mb = &xt_models[mi];
        nn_model m;
        nn_diag diag;
        nn_tensor_info tin, tout;
        const char *kind = xt_input_kind(mb->name);
        nn_status st = nn_model_parse(mb->data, mb->size, &m, &diag);
        if (st == NN_OK) st = nn_model_tensor(&m, m.input_tensor, &tin);
        if (st == NN_OK) st = nn_model_tensor(&m, m.output_tensor, &tout);
        for (ii = 0; ii < 2u; ++ii) {
            const xt_blob *in = find_input(input_names[ii], kind);
            if (st != NN_OK) {
                const xt_expect *e = find_expect(input_names[ii], mb->name);
                report(mb->name, input_names[ii], "layer_by_layer", status_text("nn_model_parse: ", st), 0, 0, e);
                report(mb->name, input_names[ii], "planned_min", status_text("nn_model_parse: ", st), 0, 0, e);
                report(mb->name, input_names[ii], "layer_by_layer_widened", status_text("nn_model_parse: ", st), 0, 0, e);
                report(mb->name, input_names[ii], "planned_min_widened", status_text("nn_model_parse: ", st), 0, 0, e);
                continue;
            }
            m.widened = NULL;
            run_case(mb, &m, input_names[ii], in, tin.element_count, tout.element_count, 0);
            run_case(mb, &m, input_names[ii], in, tin.element_count, tout.element_count, 1);
            {
                const int ws = xt_widen(&m, NN_WIDEN_DEFAULT_MIN_PIXELS);
                if (ws != 0 || m.widened == NULL) {
                    const xt_expect *e = find_expect(input_names[ii], mb->name);
                    report(mb->name, input_names[ii], "layer_by_layer_widened", status_text("nn_model_widen: ", (nn_status)ws), 0, 0, e);
                    report(mb->name, input_names[ii], "planned_min_widened", status_text("nn_model_widen: ", (nn_status)ws), 0, 0, e);
                    continue;
                }
            }
            run_case(mb, &m, input_names[ii], in, tin.element_count, tout.element_count, 0);
            run_case(mb, &m, input_names[ii], in, tin.element_count, tout.element_count, 1);
        }
    }
    xt_kernel_cases(&passed, &failed);
    xt_interop_cases(&passed, &failed);
    put_int((long)passed); put_str(" passed, "); put_int((long)failed); put_str(" failed");
    flush_line();
    return failed == 0u && passed > 0u ? 0 : 1;
}

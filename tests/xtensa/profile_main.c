/* profile_main.c - one shipped model run XT_PROFILE_RUNS times on the golden input, for
 * tests/xtensa/profile.sh: layer by layer (XT_PROFILE_PLANNED 0) or at the smallest plan, the plan
 * made once and reused (1: the steady state the board sees). Parsing and planning run once, so
 * their share shrinks as runs grow; the profile divides by the run count. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "xt_support.h"

#ifndef XT_PROFILE_MODEL
#define XT_PROFILE_MODEL "person_detect"
#endif
#ifndef XT_PROFILE_PLANNED
#define XT_PROFILE_PLANNED 1
#endif
/* 1: the weights widened as the interop does (nn_model_widen, NN_WIDEN_DEFAULT_MIN_PIXELS); 0: not */
#ifndef XT_PROFILE_WIDEN
#define XT_PROFILE_WIDEN 1
#endif
#ifndef XT_PROFILE_RUNS
#define XT_PROFILE_RUNS 4
#endif

static int8_t output[64];

static int fail(const char *what)
{
    put_str("FAILED "); put_str(what); flush_line();
    return 1;
}

int main(void)
{
    uint32_t mi, r;
    for (mi = 0; mi < xt_model_count; ++mi) {
        const xt_blob *mb = &xt_models[mi];
        const xt_blob *in = find_input("tflm_person", xt_input_kind(mb->name));
        nn_model m;
        nn_diag diag;
        nn_tensor_info tin, tout;
        uint8_t *arena;
        size_t need;
        if (strcmp(mb->name, XT_PROFILE_MODEL) != 0) continue;
        if (nn_model_parse(mb->data, mb->size, &m, &diag) != NN_OK) return fail("parse");
        if (nn_model_tensor(&m, m.input_tensor, &tin) != NN_OK || nn_model_tensor(&m, m.output_tensor, &tout) != NN_OK ||
            in == NULL || in->size != tin.element_count || tout.element_count > sizeof output) {
            return fail("setup");
        }
        if (XT_PROFILE_WIDEN && xt_widen(&m, NN_WIDEN_DEFAULT_MIN_PIXELS) != 0) return fail("widen");
        pool_reset();
        if (XT_PROFILE_PLANNED) {
            const size_t plan_size = nn_plan_buffer_size(&m);
            uint8_t *plan = pool_alloc(plan_size);
            uint32_t peak = 0;
            if (plan == NULL || nn_plan_create(&m, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, NULL) != NN_OK) {
                return fail("plan");
            }
            pool_reset();
            need = peak;
        } else {
            need = nn_executor_arena_size(&m);
        }
        arena = pool_alloc(need);
        if (arena == NULL) return fail("arena");
        for (r = 0; r < XT_PROFILE_RUNS; ++r) {
            const nn_status st =
                XT_PROFILE_PLANNED
                    ? nn_executor_run_planned(&m, NN_PLAN_BUDGET_MIN, (const int8_t *)in->data, tin.element_count,
                                              output, tout.element_count, arena, need, NULL, NULL, NULL, NULL)
                    : nn_executor_run(&m, (const int8_t *)in->data, tin.element_count, output, tout.element_count,
                                      arena, need, NULL, NULL);
            if (st != NN_OK) return fail("run");
        }
        put_str("DONE "); put_str(mb->name); put_str(" output "); put_int(output[0]); put_str(" "); put_int(output[1]);
        flush_line();
        return 0;
    }
    return fail("no such model");
}

/* interop_case.c - the board's load path on the emulated core: nn_interop (the plain C behind the
 * nanoFramework stubs) with a platform hook of static blocks, MobileNet v2 linked in place. With the
 * scalar kernels (the default table here) loading must widen the weights into a WIDENED block and the
 * planned run must give the golden output; when that block cannot be had the model must still load
 * and give the same output from its int8 weights; unloading releases every block. One case line each
 * ("ok     interop <what>" or "FAILED interop <what>: <why>"). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "nanonet/nn_interop.h"
#include "interop_case.h"
#include "xt_support.h"

typedef struct xt_platform {
    const xt_blob *model;
    int live[4];      /* blocks alive per nn_interop_mem kind */
    int fail_widened; /* 1: no WIDENED block */
} xt_platform;

static void *xt_alloc(void *user, size_t size, nn_interop_mem kind)
{
    xt_platform *p = (xt_platform *)user;
    uint8_t *b;
    if (kind == NN_INTEROP_MEM_WIDENED) {
        b = p->fail_widened ? NULL : xt_widen_block(size);
    } else {
        b = pool_alloc(size); /* never reused within a case: the pool is reset before each */
    }
    if (b != NULL) {
        p->live[kind]++;
    }
    return b;
}

static void xt_release(void *user, void *block, nn_interop_mem kind)
{
    xt_platform *p = (xt_platform *)user;
    (void)block;
    p->live[kind]--;
}

static int xt_memory(void *user, nn_interop_memory_info *info)
{
    (void)user;
    info->total = info->free_bytes = info->largest_block = 300000u;
    return 0;
}

static uint64_t xt_micros(void *user)
{
    (void)user;
    return 0;
}

static int xt_linked(void *user, int32_t index, const uint8_t **blob, uint32_t *size)
{
    xt_platform *p = (xt_platform *)user;
    if (index != 0 || p->model == NULL) {
        return 1;
    }
    *blob = p->model->data;
    *size = p->model->size;
    return 0;
}

static int report(const char *what, const char *why)
{
    put_str(why == NULL ? "ok     interop " : "FAILED interop ");
    put_str(what);
    if (why != NULL) {
        put_str(": ");
        put_str(why);
    }
    flush_line();
    return why == NULL;
}

/* load, plan, run, unload; NULL or what went wrong */
static const char *load_and_run(xt_platform *xp, int expect_widened)
{
    static nn_interop st;
    static int8_t out[2];
    nn_interop_platform pf;
    const xt_blob *in = find_input("tflm_person", xt_input_kind(xp->model->name));
    const xt_expect *e = find_expect("tflm_person", xp->model->name);
    int k;
    memset(&pf, 0, sizeof pf);
    pf.alloc = xt_alloc;
    pf.release = xt_release;
    pf.memory_info = xt_memory;
    pf.micros = xt_micros;
    pf.linked_model = xt_linked;
    pf.user = xp;
    pool_reset();
    if (in == NULL || e == NULL) return "no golden input or output";
    if (nn_interop_init(&st, &pf) != NN_OK) return "nn_interop_init failed";
    if (nn_interop_use_linked_model(&st, 0) != NN_OK) return nn_interop_last_detail(&st);
    if (xp->live[NN_INTEROP_MEM_WIDENED] != expect_widened) return "widened block count";
    if ((st.model.widened != NULL) != expect_widened) return "model.widened not as expected";
    if (nn_interop_plan(&st, 1) <= 0) return nn_interop_last_detail(&st); /* raised to the smallest plan */
    out[0] = out[1] = 0x5a;
    if (nn_interop_run(&st, (const int8_t *)in->data, in->size, out, 2) != NN_OK) return nn_interop_last_detail(&st);
    if (out[0] != e->out0 || out[1] != e->out1) return "output differs from the golden one";
    nn_interop_shutdown(&st);
    for (k = 0; k < 4; ++k) {
        if (xp->live[k] != 0) return "a block was not released";
    }
    return NULL;
}

void xt_interop_cases(unsigned *passed, unsigned *failed)
{
    xt_platform xp;
    uint32_t i;
    int ok;
    memset(&xp, 0, sizeof xp);
    for (i = 0; i < xt_model_count; ++i) {
        if (strcmp(xt_models[i].name, "ei_mbv2") == 0) xp.model = &xt_models[i];
    }
    if (xp.model == NULL) {
        ok = report("widened_load", "ei_mbv2 not embedded");
    } else {
        ok = report("widened_load", load_and_run(&xp, 1));
    }
    *passed += ok ? 1u : 0u;
    *failed += ok ? 0u : 1u;
    memset(xp.live, 0, sizeof xp.live);
    xp.fail_widened = 1;
    ok = xp.model != NULL && report("no_widened_block", load_and_run(&xp, 0));
    if (xp.model == NULL) report("no_widened_block", "ei_mbv2 not embedded");
    *passed += ok ? 1u : 0u;
    *failed += ok ? 0u : 1u;
}

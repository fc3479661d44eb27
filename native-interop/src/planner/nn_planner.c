/*
 * nn_planner.c - chooses, for an arena budget, how each part of the network runs.
 *
 * 1. PAD folding: a PAD that pads only H and W with its input's zero point and feeds exactly one
 *    convolution (as its only input) is folded into it: the convolution reads the PAD's input
 *    with pad_top/pad_left increased by the PAD's `before`; padding after is implied by the
 *    output size (taps past the input add zero, exactly what the zero-point rows added).
 *    Only where the folded convolution still obeys the reader's convolution rules (pads within
 *    (k - 1) * dilation, the output-size rule): otherwise the PAD runs as a layer step.
 *    A RESHAPE read only by one FULLY_CONNECTED or SOFTMAX (which read bytes, not shapes) is folded
 *    the same way: its consumer reads the RESHAPE's input in place.
 * 2. Segmentation by dynamic programming over the op list: a step is one op (layer by layer,
 *    whole tensors) or a chain of streamable ops (CONV_2D, DEPTHWISE_CONV_2D, ADD) run one
 *    output row at a time. A step's cost is the whole tensors live across it, plus its row
 *    windows (sized by simulating the very schedule the executor runs), plus the decoded
 *    quantisation of its widest op (in the smallest plan, a wide 1x1 layer step decodes it 64
 *    channels at a time, see sp_grouped_pointwise). The smallest plan minimises the largest step cost; for a
 *    larger budget the planner streams as few ops as it can (fewer, larger kernel calls) while
 *    every step fits.
 * 3. Placement: whole tensors (lifetime in steps) and one scratch block per step are placed
 *    largest first at the lowest free 16-aligned offset. The result is checked against the budget.
 */
#include <stddef.h>
#include <string.h>

#include "nn_plan_internal.h"

#define SP_SLACK (SP_ALIGN - 1u)
#define SP_INF 0xFFFFFFFFu

static uint32_t out_elements(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    nn_op_read(m->ops + ops[i].rec, &op);
    return nn_tensor_elements(m, op.output);
}

static uint32_t out_channels(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    nn_op_read(m->ops + ops[i].rec, &op);
    return nn_tensor_last_dim(m, op.output);
}

static uint32_t producer_of(const nn_model *m, const sp_op *ops, uint32_t i, uint32_t tensor)
{
    uint32_t j;
    for (j = i; j-- > 0;) {
        nn_op_view op;
        nn_op_read(m->ops + ops[j].rec, &op);
        if (op.output == tensor) {
            return j;
        }
    }
    return SP_INPUT;
}

int sp_grouped_pointwise(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    nn_dims in, out;
    const sp_op *o = &ops[i];
    if (o->opcode != NN_OP_CONV_2D || o->pad_top != 0 || o->pad_left != 0 || o->in0 == SP_INPUT) {
        return 0;
    }
    nn_op_read(m->ops + o->rec, &op);
    if (nn_ld_u8(op.body + 0) != 1 || nn_ld_u8(op.body + 1) != 1 || nn_ld_u8(op.body + 2) != 1 ||
        nn_ld_u8(op.body + 3) != 1) {
        return 0;
    }
    {
        nn_op_view p;
        nn_op_read(m->ops + ops[o->in0].rec, &p);
        nn_tensor_nhwc(m, p.output, &in); /* the effective input (after folding) */
    }
    nn_tensor_nhwc(m, op.output, &out);
    return out.c > (int32_t)SP_QUANT_GROUP && in.n == out.n && in.h == out.h && in.w == out.w;
}

int sp_inplace_legal(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op, p;
    nn_dims in, out;
    const sp_op *o = &ops[i];
    if (o->opcode != NN_OP_DEPTHWISE_CONV_2D || o->in0 == SP_INPUT || o->in0 == SP_NONE || o->in1 != SP_NONE ||
        (ops[o->in0].flags & SP_FOLDED) || ops[o->in0].opcode == NN_OP_DEPTHWISE_CONV_2D ||
        ops[o->in0].last_use != i) {
        return 0;
    }
    nn_op_read(m->ops + o->rec, &op);
    nn_op_read(m->ops + ops[o->in0].rec, &p);
    if (nn_ld_u16(op.body + 8) != 1 || nn_ld_u8(op.body + 2) == 0 || p.output == m->output_tensor) {
        return 0;
    }
    nn_tensor_nhwc(m, p.output, &in);
    nn_tensor_nhwc(m, op.output, &out);
    return in.n == 1 && out.n == 1 && in.c == out.c && out.h <= in.h && out.w <= in.w && out.h > 0 && out.w > 0;
}

/* Delay-buffer bytes of op i as an in-place depthwise layer step. */
static uint32_t inplace_bytes(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    const sp_op *o = &ops[i];
    nn_op_read(m->ops + o->rec, &op);
    return sp_align(sp_inplace_rows(sp_out_h(m, ops, i), ops[o->in0].rowbytes, o->rowbytes,
                                    (uint32_t)nn_ld_u8(op.body + 2), o->pad_top) *
                    o->rowbytes);
}

int sp_streamable(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    nn_dims in, out;
    const sp_op *o = &ops[i];
    nn_op_read(m->ops + o->rec, &op);
    nn_tensor_nhwc(m, op.output, &out);
    if (out.n != 1) {
        return 0;
    }
    if (o->opcode == NN_OP_ADD) {
        return 1;
    }
    if (o->opcode == NN_OP_CONV_2D || o->opcode == NN_OP_DEPTHWISE_CONV_2D) {
        const int32_t kh = (int32_t)nn_ld_u8(op.body + 0), sh = (int32_t)nn_ld_u8(op.body + 2);
        const int32_t dh = (int32_t)nn_ld_u8(op.body + 4), pt = (int32_t)o->pad_top;
        uint32_t in_tensor = m->input_tensor;
        if (o->in0 != SP_INPUT) {
            nn_op_view p;
            nn_op_read(m->ops + ops[o->in0].rec, &p);
            in_tensor = p.output;
        }
        nn_tensor_nhwc(m, in_tensor, &in);
        /* every output row must reach at least one input row */
        return in.n == 1 && -pt + (kh - 1) * dh >= 0 && (out.h - 1) * sh - pt <= in.h - 1;
    }
    return 0;
}

/*
 * Whether folding a PAD of `top` rows and `left` columns before (and whatever after) into the
 * convolution `user`, which then reads tensor `in` directly, leaves a convolution the model
 * reader would accept: pads within (k - 1) * dilation and the output-size rule on the PAD's
 * input. Kernels, the streamed row geometry and in-place steps rely on exactly those rules, so
 * a PAD that would break them is not folded and runs as a layer step of its own.
 */
static int fold_keeps_conv_valid(const nn_model *m, const sp_op *user, uint32_t in, uint32_t top, uint32_t left)
{
    nn_op_view op;
    nn_dims din, dout;
    uint32_t kh, kw, sh, sw, dh, dw;
    const uint32_t pt = (uint32_t)user->pad_top + top, pl = (uint32_t)user->pad_left + left;
    nn_op_read(m->ops + user->rec, &op);
    kh = nn_ld_u8(op.body + 0);
    kw = nn_ld_u8(op.body + 1);
    sh = nn_ld_u8(op.body + 2);
    sw = nn_ld_u8(op.body + 3);
    dh = nn_ld_u8(op.body + 4);
    dw = nn_ld_u8(op.body + 5);
    nn_tensor_nhwc(m, in, &din);
    nn_tensor_nhwc(m, op.output, &dout);
    return pt <= (kh - 1u) * dh && pl <= (kw - 1u) * dw && din.n == dout.n &&
           nn_out_size_ok((uint32_t)din.h, pt, (kh - 1u) * dh + 1u, sh, (uint32_t)dout.h) &&
           nn_out_size_ok((uint32_t)din.w, pl, (kw - 1u) * dw + 1u, sw, (uint32_t)dout.w);
}

/* Ops: records, effective inputs, PAD folding, last uses. */
static void init_ops(const nn_model *m, sp_op *ops)
{
    const uint32_t n = m->op_count;
    uint32_t i, rec = 0;
    for (i = 0; i < n; i++) {
        nn_op_view op;
        nn_dims d;
        sp_op *o = &ops[i];
        nn_op_read(m->ops + rec, &op);
        memset(o, 0, sizeof(*o));
        o->rec = rec;
        o->opcode = (uint8_t)op.opcode;
        nn_tensor_nhwc(m, op.output, &d);
        o->rowbytes = (uint32_t)d.w * (uint32_t)d.c;
        if (op.opcode == NN_OP_CONV_2D || op.opcode == NN_OP_DEPTHWISE_CONV_2D) {
            o->pad_top = (uint8_t)nn_ld_u8(op.body + 6);
            o->pad_left = (uint8_t)nn_ld_u8(op.body + 7);
        }
        o->in0 = (uint16_t)producer_of(m, ops, i, op.input0);
        o->in1 = op.input1 == NN_NO_TENSOR ? (uint16_t)SP_NONE : (uint16_t)producer_of(m, ops, i, op.input1);
        rec += op.record_size;
    }
    /* fold PADs */
    for (i = 0; i < n; i++) {
        nn_op_view op;
        uint32_t c, users = 0, user = 0;
        const uint8_t *b;
        nn_op_read(m->ops + ops[i].rec, &op);
        if (op.opcode != NN_OP_PAD || op.output == m->output_tensor) {
            continue;
        }
        b = op.body;
        if (nn_ld_u16(b + 0) != 0 || nn_ld_u16(b + 6) != 0 || nn_ld_u16(b + 8) != 0 || nn_ld_u16(b + 14) != 0 ||
            nn_tensor_zero_point(m, op.input0) != nn_tensor_zero_point(m, op.output)) {
            continue;
        }
        for (c = i + 1; c < n; c++) {
            if (ops[c].in0 == i || ops[c].in1 == i) {
                users++;
                user = c;
            }
        }
        if (users != 1 || ops[user].in1 != SP_NONE ||
            (ops[user].opcode != NN_OP_CONV_2D && ops[user].opcode != NN_OP_DEPTHWISE_CONV_2D) ||
            !fold_keeps_conv_valid(m, &ops[user], op.input0, nn_ld_u16(b + 2), nn_ld_u16(b + 4))) {
            continue;
        }
        ops[i].flags = SP_FOLDED;
        ops[i].off = user; /* the convolution it is folded into */
        ops[user].in0 = ops[i].in0;
        ops[user].pad_top = (uint8_t)(ops[user].pad_top + nn_ld_u16(b + 2));
        ops[user].pad_left = (uint8_t)(ops[user].pad_left + nn_ld_u16(b + 4));
    }
    /* fold RESHAPEs read only by one FULLY_CONNECTED or SOFTMAX (they read bytes, not shapes) */
    for (i = 0; i < n; i++) {
        nn_op_view op;
        uint32_t c, users = 0, user = 0;
        nn_op_read(m->ops + ops[i].rec, &op);
        if (op.opcode != NN_OP_RESHAPE || op.output == m->output_tensor ||
            nn_tensor_zero_point(m, op.input0) != nn_tensor_zero_point(m, op.output)) {
            continue;
        }
        for (c = i + 1; c < n; c++) {
            if (ops[c].in0 == i || ops[c].in1 == i) {
                users++;
                user = c;
            }
        }
        if (users != 1 || ops[user].in1 != SP_NONE ||
            (ops[user].opcode != NN_OP_FULLY_CONNECTED && ops[user].opcode != NN_OP_SOFTMAX)) {
            continue;
        }
        ops[i].flags = SP_FOLDED;
        ops[i].off = user;
        ops[user].in0 = ops[i].in0;
    }
    for (i = 0; i < n; i++) {
        nn_op_view op;
        nn_op_read(m->ops + ops[i].rec, &op);
        ops[i].last_use = op.output == m->output_tensor ? (uint16_t)n : (uint16_t)i;
    }
    for (i = 0; i < n; i++) {
        if (ops[i].flags & SP_FOLDED) {
            continue;
        }
        if (ops[i].in0 != SP_INPUT && ops[ops[i].in0].last_use < i) {
            ops[ops[i].in0].last_use = (uint16_t)i;
        }
        if (ops[i].in1 != SP_INPUT && ops[i].in1 != SP_NONE && ops[ops[i].in1].last_use < i) {
            ops[ops[i].in1].last_use = (uint16_t)i;
        }
    }
    /* planning caches, valid until the plan is built: a non-folded op's `off` holds its whole
     * output's aligned bytes (the DP reads it for every candidate; building the plan overwrites
     * it), SP_STREAMOK marks the ops sp_streamable accepts (cleared in the finished plan) */
    for (i = 0; i < n; i++) {
        if (!(ops[i].flags & SP_FOLDED)) {
            ops[i].off = sp_align(out_elements(m, ops, i));
            if (sp_streamable(m, ops, i)) {
                ops[i].flags |= SP_STREAMOK;
            }
        }
    }
}

static uint32_t quant_bytes_of(const nn_model *m, const sp_header *h, const sp_op *ops, uint32_t a, uint32_t b)
{
    uint32_t i, c = 0;
    for (i = a; i <= b; i++) {
        const uint8_t oc = ops[i].opcode;
        if (!(ops[i].flags & SP_FOLDED) &&
            (oc == NN_OP_CONV_2D || oc == NN_OP_DEPTHWISE_CONV_2D || oc == NN_OP_FULLY_CONNECTED)) {
            const uint32_t ch = (a == b && (h->group_quant & SP_HQ_GROUP) && sp_grouped_pointwise(m, ops, i)) ? SP_QUANT_GROUP : out_channels(m, ops, i);
            if (ch > c) {
                c = ch;
            }
        }
    }
    return sp_align(c * 12u);
}

/* Marks whole outputs of segment [a, b] and (for a chain) simulates it; returns window bytes. */
static uint32_t segment_windows(const nn_model *m, sp_header *h, sp_op *ops, uint32_t a, uint32_t b)
{
    uint32_t i, sum = 0;
    sp_ctx ctx;
    for (i = a; i <= b; i++) {
        ops[i].flags = (uint8_t)(ops[i].flags & (SP_FOLDED | SP_STREAMOK));
        if (!(ops[i].flags & SP_FOLDED) && (a == b || ops[i].last_use > b)) {
            ops[i].flags |= SP_WHOLE;
        }
    }
    if (a == b) {
        if ((h->group_quant & SP_HQ_INPLACE) && sp_inplace_legal(m, ops, a)) {
            ops[a].flags |= SP_INPLACE;
            return inplace_bytes(m, ops, a);
        }
        return 0;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.m = m;
    ctx.h = h;
    ctx.ops = ops;
    ctx.a = a;
    ctx.b = b;
    ctx.sim = 1;
    if (sp_run_segment(&ctx) != NN_OK) {
        return SP_INF / 4u;
    }
    for (i = a; i <= b; i++) {
        if (!(ops[i].flags & (SP_FOLDED | SP_WHOLE))) {
            sum += sp_align((uint32_t)ops[i].cap * ops[i].rowbytes);
        }
    }
    return sum;
}

/* Whole tensors live during segment [a, b] (excluding its windows); after the DP (sizes in dp_best). */
static uint32_t segment_tensors(const sp_op *ops, uint32_t a, uint32_t b)
{
    uint32_t t, sum = 0;
    for (t = 0; t <= b; t++) {
        if (ops[t].flags & SP_FOLDED) {
            continue;
        }
        if (t == a && a == b && (ops[a].flags & SP_INPLACE)) {
            continue; /* written over its input, which is counted (and no smaller) */
        }
        if ((t < a && ops[t].last_use >= a) || (t >= a && (a == b || ops[t].last_use > b))) {
            sum += ops[t].dp_best;
        }
    }
    return sum;
}

enum { MODE_MIN = 0, MODE_BUDGET = 1 };

/* Aligned bytes of op t's whole output: during the DP, cached in `off` (see init_ops). */
static uint32_t dp_size(const sp_op *ops, uint32_t t)
{
    return ops[t].off;
}

/* Window bytes op o needs in a chain ending at b (0 when its output is whole: read after b). */
static uint32_t dp_window(const sp_op *ops, uint32_t o, uint32_t b)
{
    return ops[o].last_use > b ? 0u : sp_align((uint32_t)ops[o].cap * ops[o].rowbytes);
}

/*
 * Simulates the longest chain ending at b whose simulation can succeed, [cand[j], b] for the
 * largest j < k, and returns that j (0: none). A chain's row schedule restricted to its ops at
 * or after any op o does not depend on where the chain starts: pulling a row only recurses into
 * earlier ops, and an earlier op's rows change no later op's state (its row count, its window).
 * So this one simulation gives every op of [cand[j], b] the cap that the simulation of any
 * shorter chain [cand[i], b], i <= j, would give it: the DP reads each candidate's windows from
 * it instead of simulating every candidate (the same scheduling code the executor runs, once
 * per chain end instead of once per chain).
 * A chain spanning SP_MAX_CHAIN or more op records, or holding an op whose batch is not 1,
 * cannot be simulated (sp_run_segment refuses it, and the same holds for every longer chain).
 */
static uint32_t dp_simulate(const nn_model *m, sp_header *h, sp_op *ops, const uint16_t *cand, uint32_t k, uint32_t b)
{
    uint32_t j = k, t;
    sp_ctx ctx;
    while (j > 1u && b - cand[j - 1u] >= SP_MAX_CHAIN) {
        j--;
    }
    for (;;) {
        if (j <= 1u) {
            return 0;
        }
        j--;
        for (t = cand[j]; t <= b; t++) { /* the flags segment_windows sets for [cand[j], b] */
            ops[t].flags = (uint8_t)(ops[t].flags & (SP_FOLDED | SP_STREAMOK));
            if (!(ops[t].flags & SP_FOLDED) && ops[t].last_use > b) {
                ops[t].flags |= SP_WHOLE;
            }
        }
        memset(&ctx, 0, sizeof(ctx));
        ctx.m = m;
        ctx.h = h;
        ctx.ops = ops;
        ctx.a = cand[j];
        ctx.b = b;
        ctx.sim = 1;
        if (sp_run_segment(&ctx) == NN_OK) {
            return j;
        }
        /* the highest op that cannot be simulated: only chains starting above it can */
        for (t = b;; t--) {
            sp_rowgeo g;
            if (sp_row_geo(m, ops, t, &g) != NN_OK || t == cand[j]) {
                break;
            }
        }
        while (j > 0u && cand[j] <= t) {
            j--;
        }
        j++; /* the loop's j-- makes it the lowest candidate above t */
    }
}

/* Quantisation channels op i adds to a step's scratch (0 for an op without quantisation). */
static uint32_t dp_quant_channels(const nn_model *m, const sp_op *ops, uint32_t i)
{
    const uint8_t oc = ops[i].opcode;
    return (oc == NN_OP_CONV_2D || oc == NN_OP_DEPTHWISE_CONV_2D || oc == NN_OP_FULLY_CONNECTED)
               ? out_channels(m, ops, i)
               : 0u;
}

/* One candidate segment [a, b] of `len` ops (1: a layer step) and `cost` bytes, after the
 * segmentation before it, whose DP values are p1, p2. */
static void dp_consider(int mode, uint32_t limit, uint32_t cost, uint32_t p1, uint32_t p2, uint32_t len, uint32_t a,
                        uint32_t *best1, uint32_t *best2, uint32_t *choice)
{
    uint32_t v1, v2;
    if (mode == MODE_MIN) {
        v1 = cost > p1 ? cost : p1;
        v2 = p2 + (len > 1 ? len : 0u);
    } else {
        if (cost > limit) {
            return;
        }
        v1 = p1 + (len > 1 ? len : 0u);
        v2 = cost > p2 ? cost : p2;
    }
    if (v1 < *best1 || (v1 == *best1 && v2 < *best2)) {
        *best1 = v1;
        *best2 = v2;
        *choice = a;
    }
}

/* Ring of the joint DP's second variant: DP values of the last SP_DP_RING non-folded ops (a
 * candidate's predecessor is at most SP_MAX_CHAIN non-folded ops back). */
#define SP_DP_RING (SP_MAX_CHAIN + 1u)

/*
 * DP over segment ends. Leaves dp_choice (segment start) on each segment's last op.
 * For each end b the candidate starts are b and the streamable ops before it (at most
 * SP_MAX_CHAIN ops a chain), in decreasing order; a step's cost is the sum of
 *   windows:  the caps of one simulation per b (dp_simulate), summed from b down;
 *   tensors:  live(a) + crossing(a, b), where live(a) = whole outputs of ops before a still read
 *             at or after a, and crossing = outputs of [a, b] read after b (every output, for a
 *             layer step, unless in place); both are updated as a moves down, since
 *             live(a') = live(a) - [a' read at or after a] size(a') + the inputs a' reads last;
 *   quant:    the widest quantised op of [a, b] (a running maximum), or for a layer step its own
 *             (64 channels for a grouped pointwise layer).
 * These are exactly segment_windows + segment_tensors + quant_bytes_of of every candidate, and
 * the candidates are compared in the same order, so the choices are the same.
 *
 * joint (smallest plan only): runs the DPs without and with in-place depthwise at once, since
 * they differ only in the layer-step cost of an op that may run in place: the plain variant in
 * dp_best / dp_second / dp_choice, the in-place one in a ring (values) and in `step` (choices).
 * Otherwise the one variant h->group_quant names. Returns bit 0: the first variant has a plan,
 * bit 1: the second has one.
 */
static int plan_dp(const nn_model *m, sp_header *h, sp_op *ops, int mode, uint32_t limit, int joint)
{
    const uint32_t n = m->op_count;
    const int inplace1 = !joint && (h->group_quant & SP_HQ_INPLACE);
    uint32_t ring1[SP_DP_RING], ring2[SP_DP_RING], pos = 0, last2 = SP_INF;
    uint32_t b, i, prev_end = SP_INF; /* the last non-folded op seen */
    for (i = 0; i < n; i++) {
        ops[i].dp_best = SP_INF;
    }
    for (b = 0; b < n; b++) {
        uint16_t cand[SP_MAX_CHAIN];
        uint32_t k = 0, j, a, good, t, below;
        uint32_t best1 = SP_INF, best2 = SP_INF, choice = SP_INF;
        uint32_t jbest1 = SP_INF, jbest2 = SP_INF, jchoice = SP_INF; /* joint: the in-place variant */
        uint32_t live = 0, crossing = 0, windows = 0, channels = 0;
        if (ops[b].flags & SP_FOLDED) {
            continue;
        }
        /* candidate starts: a chain holds only streamable ops, so the first one that is not ends the list */
        cand[k++] = (uint16_t)b;
        below = SP_INF;
        for (a = b; a-- > 0;) {
            if (ops[a].flags & SP_FOLDED) {
                continue;
            }
            if (k >= SP_MAX_CHAIN || !(ops[a].flags & SP_STREAMOK) || !(ops[b].flags & SP_STREAMOK)) {
                below = a; /* the op before the last candidate */
                break;
            }
            cand[k++] = (uint16_t)a;
        }
        good = k > 1u ? dp_simulate(m, h, ops, cand, k, b) : 0u;
        for (t = 0; t < b; t++) {
            if (!(ops[t].flags & SP_FOLDED) && ops[t].last_use >= b) {
                live += dp_size(ops, t);
            }
        }
        for (j = 0; j < k; j++) {
            uint32_t p1 = 0, p2 = 0, q1 = 0, q2 = 0, cost, cost2;
            const uint32_t before = j + 1u < k ? cand[j + 1u] : below;
            a = cand[j];
            if (j == 0) {
                const uint32_t c = dp_quant_channels(m, ops, b);
                const uint32_t quant = sp_align(
                    ((h->group_quant & SP_HQ_GROUP) && c != 0u && sp_grouped_pointwise(m, ops, b) ? SP_QUANT_GROUP : c) *
                    12u);
                const int legal = (inplace1 || joint) && sp_inplace_legal(m, ops, b);
                const uint32_t in_place = legal ? inplace_bytes(m, ops, b) + live + quant : 0u;
                cost = live + dp_size(ops, b) + quant;
                if (inplace1 && legal) {
                    cost = in_place;
                }
                cost2 = joint && legal ? in_place : cost;
                channels = c;
                crossing = ops[b].last_use > b ? dp_size(ops, b) : 0u;
                windows = dp_window(ops, b, b);
            } else {
                uint32_t c;
                const uint16_t ins[2] = {ops[a].in0, ops[a].in1};
                /* live(a) from live(cand[j - 1]) */
                if (ops[a].last_use >= cand[j - 1u]) {
                    live -= dp_size(ops, a);
                }
                for (t = 0; t < 2; t++) {
                    if (ins[t] != SP_INPUT && ins[t] != SP_NONE && (t == 0 || ins[1] != ins[0]) &&
                        ops[ins[t]].last_use == a) {
                        live += dp_size(ops, ins[t]);
                    }
                }
                if (ops[a].last_use > b) {
                    crossing += dp_size(ops, a);
                }
                c = dp_quant_channels(m, ops, a);
                channels = c > channels ? c : channels;
                if (j <= good) {
                    windows += dp_window(ops, a, b);
                }
                cost = (j <= good ? windows : SP_INF / 4u) + live + crossing + sp_align(channels * 12u);
                cost2 = cost;
            }
            if (before != SP_INF) {
                /* the predecessor is j + 1 non-folded ops back: its ring slot */
                const uint32_t slot = pos >= j + 1u ? pos - (j + 1u) : pos + SP_DP_RING - (j + 1u);
                p1 = ops[before].dp_best;
                p2 = ops[before].dp_second;
                if (joint) {
                    q1 = ring1[slot];
                    q2 = ring2[slot];
                }
            }
            if (before == SP_INF || p1 != SP_INF) {
                dp_consider(mode, limit, cost, p1, p2, j + 1u, a, &best1, &best2, &choice);
            }
            if (joint && (before == SP_INF || q1 != SP_INF)) {
                dp_consider(mode, limit, cost2, q1, q2, j + 1u, a, &jbest1, &jbest2, &jchoice);
            }
        }
        ops[b].dp_best = best1;
        ops[b].dp_second = best2;
        ops[b].dp_choice = (uint16_t)(choice == SP_INF ? 0xFFFFu : choice);
        if (joint) {
            ring1[pos] = jbest1;
            ring2[pos] = jbest2;
            ops[b].step = (uint16_t)(jchoice == SP_INF ? 0xFFFFu : jchoice);
            last2 = jbest1;
        }
        pos = pos + 1u < SP_DP_RING ? pos + 1u : 0u;
        prev_end = b;
    }
    return (prev_end != SP_INF && ops[prev_end].dp_best != SP_INF ? 1 : 0) | (joint && last2 != SP_INF ? 2 : 0);
}

/* Block k: k < n is op k's whole output, else step k - n's scratch block. */
typedef struct blk {
    uint32_t size, first, last;
    uint32_t *off;
} blk;

static int get_block(const nn_model *m, sp_header *h, sp_op *ops, sp_step *steps, uint32_t k, blk *bk)
{
    const uint32_t n = m->op_count;
    if (k < n) {
        uint32_t u = k;
        if ((ops[k].flags & SP_FOLDED) || !(ops[k].flags & SP_WHOLE) || (ops[k].flags & SP_INPLACE)) {
            return 0; /* an in-place output shares its input's block */
        }
        bk->size = ops[k].dp_best;
        if (ops[k].last_use < n && (ops[ops[k].last_use].flags & SP_INPLACE) && ops[ops[k].last_use].in0 == k) {
            u = ops[k].last_use; /* the block also holds u's output, from u's step to its last use */
            if (ops[u].dp_best > bk->size) {
                bk->size = ops[u].dp_best;
            }
        }
        bk->first = ops[k].step;
        bk->last = ops[u].last_use >= n ? (uint32_t)h->step_count - 1u : ops[ops[u].last_use].step;
        if (bk->last < ops[u].step) {
            bk->last = ops[u].step;
        }
        bk->off = &ops[k].off;
    } else {
        sp_step *s = &steps[k - n];
        bk->size = s->window_bytes + s->quant_bytes;
        if (bk->size == 0) {
            return 0;
        }
        bk->first = bk->last = k - n;
        bk->off = &s->scratch_off;
    }
    return 1;
}

/* While place() runs, an op's run-state fields (free while planning) cache get_block: produced
 * is 0 (no block), SP_BLK or SP_BLK | SP_BLK_SHARED (the block also holds the in-place output of
 * its last user: the larger size), base is the block's last step. */
#define SP_BLK 1u
#define SP_BLK_SHARED 2u

static uint32_t op_block_size(const sp_op *ops, uint32_t k)
{
    const uint32_t f = ops[k].produced;
    if (f & SP_BLK_SHARED) {
        const uint32_t u = ops[k].last_use;
        return ops[u].dp_best > ops[k].dp_best ? ops[u].dp_best : ops[k].dp_best;
    }
    return f ? ops[k].dp_best : 0u;
}

/* The lowest offset for a block of `size` bytes over steps [first, last]: the first offset from 0
 * that overlaps no placed block alive in one of those steps, moving past each block it overlaps
 * (the result is the lowest such offset among 0 and the placed blocks' ends, whatever the order). */
static uint32_t lowest_fit(const sp_op *ops, const sp_step *steps, uint32_t n, uint32_t step_count, uint32_t size,
                           uint32_t first, uint32_t last)
{
    uint32_t cand = 0, k;
    int moved;
    do {
        moved = 0;
        for (k = 0; k < n; k++) {
            const uint32_t bs = op_block_size(ops, k), off = ops[k].off;
            if (bs == 0 || off == SP_UNPLACED || ops[k].base < first || last < ops[k].step) {
                continue;
            }
            if (cand < off + bs && off < cand + size) {
                cand = off + bs;
                moved = 1;
            }
        }
        for (k = first; k <= last && k < step_count; k++) { /* a step block lives in its own step */
            const uint32_t bs = steps[k].window_bytes + steps[k].quant_bytes, off = steps[k].scratch_off;
            if (bs == 0 || off == SP_UNPLACED) {
                continue;
            }
            if (cand < off + bs && off < cand + size) {
                cand = off + bs;
                moved = 1;
            }
        }
    } while (moved);
    return cand;
}

static uint32_t place(const nn_model *m, sp_header *h, sp_op *ops, sp_step *steps)
{
    const uint32_t n = m->op_count, sc = h->step_count;
    uint32_t k, peak = 0;
    for (k = 0; k < n + sc; k++) {
        blk bk;
        if (k < n) {
            ops[k].produced = 0;
            ops[k].base = 0;
        }
        if (get_block(m, h, ops, steps, k, &bk)) {
            *bk.off = SP_UNPLACED;
            if (k < n) {
                const uint32_t u = ops[k].last_use;
                ops[k].produced =
                    (uint16_t)(SP_BLK | (u < n && (ops[u].flags & SP_INPLACE) && ops[u].in0 == k ? SP_BLK_SHARED : 0u));
                ops[k].base = (uint16_t)bk.last;
            }
        }
    }
    /* largest first (the lowest index among equals), each at its lowest fit */
    for (;;) {
        uint32_t best = SP_INF, best_size = 0, first, last, at;
        for (k = 0; k < n; k++) {
            const uint32_t bs = op_block_size(ops, k);
            if (bs != 0 && ops[k].off == SP_UNPLACED && (best == SP_INF || bs > best_size)) {
                best = k;
                best_size = bs;
            }
        }
        for (k = 0; k < sc; k++) {
            const uint32_t bs = steps[k].window_bytes + steps[k].quant_bytes;
            if (bs != 0 && steps[k].scratch_off == SP_UNPLACED && (best == SP_INF || bs > best_size)) {
                best = n + k;
                best_size = bs;
            }
        }
        if (best == SP_INF) {
            break;
        }
        first = best < n ? ops[best].step : best - n;
        last = best < n ? ops[best].base : best - n;
        at = lowest_fit(ops, steps, n, sc, best_size, first, last);
        if (best < n) {
            ops[best].off = at;
        } else {
            steps[best - n].scratch_off = at;
        }
        if (at + best_size > peak) {
            peak = at + best_size;
        }
    }
    /* arena end per step */
    for (k = 0; k < sc; k++) {
        steps[k].arena_end = steps[k].window_bytes + steps[k].quant_bytes != 0
                                 ? steps[k].scratch_off + steps[k].window_bytes + steps[k].quant_bytes
                                 : 0u;
    }
    for (k = 0; k < n; k++) {
        const uint32_t bs = op_block_size(ops, k);
        uint32_t s;
        for (s = ops[k].step; bs != 0 && s <= ops[k].base && s < sc; s++) {
            if (ops[k].off + bs > steps[s].arena_end) {
                steps[s].arena_end = ops[k].off + bs;
            }
        }
    }
    for (k = 0; k < sc; k++) {
        steps[k].arena_end += SP_SLACK + h->region_off;
    }
    for (k = 0; k < n; k++) {
        ops[k].produced = 0;
        ops[k].base = 0;
    }
    return peak;
}

/*
 * The rows of a streamed step alternate between its ops, and one quantisation scratch of the
 * widest op's channels made each of them decode its quantisation again for every row (2 M
 * instructions a MobileNet v2 run on the lx106, a tenth of them needed). Where a streamed step
 * leaves room below the region's peak for every op's quantisation at once (bytes no block alive
 * in that step overlaps), the step gets that scratch there (sp_step.quant_each, quant_off:
 * behind the windows if free, else the lowest such gap), and the executor decodes each op once a
 * step. Placement is not redone: every block stays where it is, so peak_bytes never changes.
 */
static int gap_free(const nn_model *m, sp_header *h, sp_op *ops, sp_step *steps, uint32_t count, uint32_t s,
                    uint32_t at, uint32_t size)
{
    const uint32_t n = m->op_count;
    uint32_t k;
    if (at + size > h->region_peak) {
        return 0;
    }
    for (k = 0; k < n + count; k++) {
        blk bk;
        if (k == n + s) { /* the step's own block: its windows (its old quant scratch is free) */
            if (at < steps[s].scratch_off + steps[s].window_bytes && steps[s].scratch_off < at + size) {
                return 0;
            }
        } else if (get_block(m, h, ops, steps, k, &bk) && bk.first <= s && s <= bk.last && *bk.off < at + size &&
                   at < *bk.off + bk.size) {
            return 0;
        }
    }
    return 1;
}

static void widen_quant(const nn_model *m, sp_header *h, sp_op *ops, sp_step *steps, uint32_t count)
{
    const uint32_t n = m->op_count;
    uint32_t s, i, k;
    for (s = 0; s < count; s++) {
        sp_step *st = &steps[s];
        uint32_t full = 0, at;
        if (!st->streamed) {
            continue;
        }
        for (i = st->first; i <= st->last; i++) {
            if (sp_quant_op(ops, i)) {
                full += 12u * out_channels(m, ops, i);
            }
        }
        full = sp_align(full);
        at = st->scratch_off + st->window_bytes;
        if (full > st->quant_bytes && !gap_free(m, h, ops, steps, count, s, at, full)) {
            /* the lowest gap: at 0 or at the end of another block alive in the step (the end of
             * the step's own windows was the first try) */
            at = gap_free(m, h, ops, steps, count, s, 0u, full) ? 0u : SP_UNPLACED;
            for (k = 0; k < n + count; k++) {
                blk bk;
                if (k != n + s && get_block(m, h, ops, steps, k, &bk) && bk.first <= s && s <= bk.last) {
                    const uint32_t end = *bk.off + bk.size;
                    if (end < at && gap_free(m, h, ops, steps, count, s, end, full)) {
                        at = end;
                    }
                }
            }
        }
        if (at == SP_UNPLACED || (at & (SP_ALIGN - 1u)) != 0u || at / SP_ALIGN > 0xFFFFu) {
            continue; /* no room, or an offset quant_at16 cannot hold */
        }
        if (full > st->quant_bytes) {
            st->quant_bytes = full;
        }
        st->quant_at16 = (uint16_t)(at / SP_ALIGN);
        st->quant_each = 1;
        if (at + full + SP_SLACK + h->region_off > st->arena_end) {
            st->arena_end = at + full + SP_SLACK + h->region_off;
        }
    }
}

/* Builds the whole plan for a mode; returns NN_OK and sets h->peak_bytes. */
/* Where construct() reads each segment end's chosen start: dp_choice, or step (the second
 * variant of a joint DP, see plan_dp). */
enum { CHOICE_DP = 0, CHOICE_STEP = 1 };

static uint32_t choice_of(const sp_op *ops, uint32_t i, int where)
{
    return where == CHOICE_STEP ? ops[i].step : ops[i].dp_choice;
}

/*
 * Builds the plan from the DP's choices (read from `where`) for h->group_quant: steps, their
 * windows (one simulation per streamed step), tensors and quantisation, placement; sets
 * h->peak_bytes. Depends only on what init_ops set and on the choices, not on what an earlier
 * construct() left behind, so the two variants of a joint DP can be built one after the other.
 */
static nn_status construct(const nn_model *m, void *plan, size_t plan_size, int mode, uint32_t limit, int where)
{
    sp_header *h = (sp_header *)plan;
    sp_op *ops = sp_ops(plan);
    sp_step *steps;
    const uint32_t n = m->op_count;
    uint32_t b, count = 0, s, i;

    /* from here on, a non-folded op's dp_best holds its whole output's aligned bytes:
     * placement reads it for every block it tries */
    for (i = 0; i < n; i++) {
        if (!(ops[i].flags & SP_FOLDED)) {
            ops[i].dp_best = sp_align(out_elements(m, ops, i));
        }
    }
    /* count steps (backwards from the last non-folded op) */
    for (b = n; b-- > 0;) {
        if (!(ops[b].flags & SP_FOLDED)) {
            break;
        }
    }
    for (i = b + 1; i-- > 0;) {
        if (ops[i].flags & SP_FOLDED) {
            continue;
        }
        count++;
        i = choice_of(ops, i, where); /* loop decrement moves before the segment */
    }
    h->step_count = (uint16_t)count;
    h->plan_bytes = (uint32_t)(sizeof(sp_header) + (size_t)n * sizeof(sp_op) + (size_t)count * sizeof(sp_step));
    if (h->plan_bytes > plan_size) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    h->region_off = sp_align(h->plan_bytes);
    steps = sp_steps(plan);
    s = count;
    for (i = b + 1; i-- > 0;) {
        if (ops[i].flags & SP_FOLDED) {
            continue;
        }
        s--;
        memset(&steps[s], 0, sizeof(steps[s]));
        steps[s].first = (uint16_t)choice_of(ops, i, where);
        steps[s].last = (uint16_t)i;
        i = steps[s].first;
    }
    for (s = 0; s < count; s++) {
        sp_step *st = &steps[s];
        uint32_t nonfolded = 0, off = 0;
        for (i = st->first; i <= st->last; i++) {
            if (!(ops[i].flags & SP_FOLDED)) {
                nonfolded++;
            }
            ops[i].step = (uint16_t)s;
        }
        st->streamed = nonfolded > 1 ? 1u : 0u;
        st->window_bytes = segment_windows(m, h, ops, st->first, st->last);
        st->quant_bytes = quant_bytes_of(m, h, ops, st->first, st->last);
        if (!st->streamed && (h->group_quant & SP_HQ_GROUP) && sp_grouped_pointwise(m, ops, st->last)) {
            ops[st->last].flags |= SP_GROUPQ;
        }
        st->tensor_bytes = segment_tensors(ops, st->first, st->last);
        for (i = st->first; i <= st->last; i++) {
            if (!(ops[i].flags & (SP_FOLDED | SP_WHOLE))) {
                ops[i].off = off; /* relative to the scratch block for now */
                off += sp_align((uint32_t)ops[i].cap * ops[i].rowbytes);
            }
        }
    }
    /* folded PADs belong to the step of their consumer */
    for (i = 0; i < n; i++) {
        if (ops[i].flags & SP_FOLDED) {
            ops[i].step = ops[ops[i].off].step;
        }
    }
    h->region_peak = place(m, h, ops, steps);
    if (h->region_peak > 0) {
        /* in place only where it matters (a depthwise layer step is faster whole): a step whose
         * cost without it stays within the largest step cost (smallest plan) or the limit
         * (budget) runs whole, unless that placement ends higher */
        uint32_t worst = 0, cleared = 0;
        for (s = 0; s < count; s++) {
            const uint32_t c = steps[s].tensor_bytes + steps[s].window_bytes + steps[s].quant_bytes;
            worst = c > worst ? c : worst;
        }
        if (mode == MODE_BUDGET) {
            worst = limit;
        }
        for (s = 0; s < count; s++) {
            ops[steps[s].last].dp_second = 0;
        }
        for (s = 0; s < count; s++) {
            sp_step *st = &steps[s];
            if (!st->streamed && (ops[st->last].flags & SP_INPLACE)) {
                const uint32_t out = ops[st->last].dp_best;
                if (st->tensor_bytes + out + st->quant_bytes <= worst) {
                    ops[st->last].flags = (uint8_t)(ops[st->last].flags & ~SP_INPLACE);
                    ops[st->last].dp_second = st->window_bytes; /* to undo */
                    st->tensor_bytes += out;
                    st->window_bytes = 0;
                    cleared++;
                }
            }
        }
        if (cleared > 0) {
            const uint32_t before = h->region_peak;
            h->region_peak = place(m, h, ops, steps);
            if (h->region_peak > before) {
                for (s = 0; s < count; s++) {
                    sp_step *st = &steps[s];
                    if (!st->streamed && ops[st->last].dp_second != 0) {
                        ops[st->last].flags |= SP_INPLACE;
                        st->tensor_bytes -= ops[st->last].dp_best;
                        st->window_bytes = ops[st->last].dp_second;
                    }
                }
                h->region_peak = place(m, h, ops, steps);
            }
        }
    }
    widen_quant(m, h, ops, steps, count);
    for (i = 0; i < n; i++) {
        if (!(ops[i].flags & (SP_FOLDED | SP_WHOLE))) {
            ops[i].off += steps[ops[i].step].scratch_off;
        }
        if (ops[i].flags & SP_INPLACE) {
            ops[i].off = ops[ops[i].in0].off;
        }
    }
    {
        const uint64_t peak = (uint64_t)SP_SLACK + h->region_off + h->region_peak;
        if (peak > 0xFFFFFFFFu) {
            return NN_ERR_BAD_SHAPE;
        }
        h->peak_bytes = (uint32_t)peak;
    }
    return NN_OK;
}

/* Builds the whole plan for a mode (one DP, one construction); returns NN_OK and sets h->peak_bytes. */
static nn_status build(const nn_model *m, void *plan, size_t plan_size, int mode, uint32_t limit, int inplace)
{
    sp_header *h = (sp_header *)plan;
    sp_op *ops = sp_ops(plan);
    init_ops(m, ops);
    /* the smallest plan decodes wide pointwise layers' quantisation in groups (more, smaller
     * kernel calls); a plan for a larger budget keeps one call per layer */
    h->group_quant = (mode == MODE_MIN ? SP_HQ_GROUP : 0u) | (inplace ? SP_HQ_INPLACE : 0u);
    if (!(plan_dp(m, h, ops, mode, limit, 0) & 1)) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    return construct(m, plan, plan_size, mode, limit, CHOICE_DP);
}

/* Streamed (non-folded) ops of a built plan: the budget mode's objective. */
static uint32_t streamed_ops(void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    const sp_op *ops = sp_ops(plan);
    const sp_step *steps = sp_steps(plan);
    uint32_t s, i, c = 0;
    for (s = 0; s < h->step_count; s++) {
        for (i = steps[s].first; steps[s].streamed && i <= steps[s].last; i++) {
            c += (ops[i].flags & SP_FOLDED) ? 0u : 1u;
        }
    }
    return c;
}

/* The smallest plan: with in-place depthwise only if that lowers peak_bytes. */
static nn_status build_min(const nn_model *m, void *plan, size_t plan_size)
{
    /* The smallest plan without and with in-place depthwise; in-place is kept only when strictly
     * smaller. One joint DP gives both segmentations (plan_dp). The in-place plan is constructed
     * first (its choices, in `step`, do not survive a construction) so that the usual outcome
     * (the plain plan wins or ties) ends with the plain plan already in the buffer; when in-place
     * wins, it is built again from scratch. */
    sp_header *h = (sp_header *)plan;
    sp_op *ops = sp_ops(plan);
    nn_status in_place = NN_ERR_ARENA_TOO_SMALL, plain = NN_ERR_ARENA_TOO_SMALL;
    uint32_t in_place_peak;
    int found;
    init_ops(m, ops);
    h->group_quant = SP_HQ_GROUP;
    found = plan_dp(m, h, ops, MODE_MIN, 0, 1);
    if (found & 2) {
        h->group_quant = SP_HQ_GROUP | SP_HQ_INPLACE;
        in_place = construct(m, plan, plan_size, MODE_MIN, 0, CHOICE_STEP);
    }
    in_place_peak = h->peak_bytes;
    if (found & 1) {
        h->group_quant = SP_HQ_GROUP;
        plain = construct(m, plan, plan_size, MODE_MIN, 0, CHOICE_DP);
    }
    if (plain != NN_OK || in_place != NN_OK || h->peak_bytes <= in_place_peak) {
        return plain;
    }
    return build(m, plan, plan_size, MODE_MIN, 0, 1);
}

size_t nn_plan_buffer_size(const nn_model *model)
{
    if (model == NULL || model->ops == NULL || model->op_count == 0) {
        return 0;
    }
    return sizeof(sp_header) + (size_t)model->op_count * (sizeof(sp_op) + sizeof(sp_step));
}

static nn_status plan_create(const nn_model *model, uint32_t budget, void *plan, size_t plan_size,
                             uint32_t *peak_bytes, uint32_t *min_budget)
{
    sp_header *h = (sp_header *)plan;
    uint32_t min_peak, attempt, limit;
    nn_status st;
    if (model == NULL || model->ops == NULL || model->op_count == 0 || plan == NULL || peak_bytes == NULL ||
        ((uintptr_t)plan & 3u) != 0) {
        return plan != NULL && ((uintptr_t)plan & 3u) != 0 ? NN_ERR_BAD_ALIGNMENT : NN_ERR_NULL_ARGUMENT;
    }
    *peak_bytes = 0;
    if (min_budget != NULL) {
        *min_budget = 0;
    }
    if (plan_size < sizeof(sp_header) + (size_t)model->op_count * sizeof(sp_op)) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    h->magic = SP_MAGIC;
    h->op_count = model->op_count;
    st = build_min(model, plan, plan_size);
    if (st != NN_OK) {
        return st;
    }
    min_peak = h->peak_bytes;
    h->min_budget = min_peak;
    if (min_budget != NULL) {
        *min_budget = min_peak;
    }
    if (budget == NN_PLAN_BUDGET_MIN) {
        *peak_bytes = min_peak;
        return NN_OK;
    }
    if (budget < min_peak) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    /* as few streamed ops as fit: the step costs are a lower bound of the placement, so shrink
     * the limit by any excess and retry; fall back to the smallest plan */
    limit = budget - SP_SLACK - sp_align((uint32_t)nn_plan_buffer_size(model));
    if (budget > SP_SLACK + sp_align((uint32_t)nn_plan_buffer_size(model))) {
        /* without and with in-place depthwise: keep the plan that streams fewer ops (then the
         * lower peak; on a tie, without) */
        const uint32_t limit0 = limit;
        uint32_t best_limit = 0, best_streamed = SP_INF, best_peak = SP_INF;
        int inplace, best_inplace = -1;
        for (inplace = 0; inplace < 2; inplace++) {
            limit = limit0;
            for (attempt = 0; attempt < 8; attempt++) {
                st = build(model, plan, plan_size, MODE_BUDGET, limit, inplace);
                if (st == NN_OK && h->peak_bytes <= budget) {
                    const uint32_t so = streamed_ops(plan);
                    if (so < best_streamed || (so == best_streamed && h->peak_bytes < best_peak)) {
                        best_streamed = so;
                        best_peak = h->peak_bytes;
                        best_limit = limit;
                        best_inplace = inplace;
                    }
                    break;
                }
                if (st != NN_OK || h->peak_bytes - budget >= limit) {
                    break;
                }
                limit -= h->peak_bytes - budget;
            }
        }
        if (best_inplace >= 0) {
            st = build(model, plan, plan_size, MODE_BUDGET, best_limit, best_inplace);
            if (st == NN_OK && h->peak_bytes <= budget) {
                h->min_budget = min_peak;
                *peak_bytes = h->peak_bytes;
                return NN_OK;
            }
        }
    }
    st = build_min(model, plan, plan_size);
    h->min_budget = min_peak;
    *peak_bytes = h->peak_bytes;
    return st;
}

nn_status nn_plan_create(const nn_model *model, uint32_t budget, void *plan, size_t plan_size,
                         uint32_t *peak_bytes, uint32_t *min_budget)
{
    const nn_status st = plan_create(model, budget, plan, plan_size, peak_bytes, min_budget);
    if (st == NN_OK) {
        sp_header *h = (sp_header *)plan;
        sp_op *ops = sp_ops(plan);
        uint32_t i;
        for (i = 0; i < h->op_count; i++) {
            /* a cap means something only for a windowed op: elsewhere it would be whatever the
             * last planning simulation left, so it is zeroed (the plan depends on its decisions only) */
            if (ops[i].flags & (SP_FOLDED | SP_WHOLE)) {
                ops[i].cap = 0;
            }
            ops[i].flags = (uint8_t)(ops[i].flags & ~SP_STREAMOK);
            ops[i].produced = 0;
            ops[i].base = 0;
            ops[i].dp_best = 0;
            ops[i].dp_second = 0;
            ops[i].dp_choice = 0;
        }
        h->budget = budget;
        h->model_crc = nn_ld_u32(model->blob + NN_H_CRC32);
        h->model_size = model->size;
        h->plan_crc = 0;
        h->plan_crc = sp_plan_crc(plan);
    }
    return st;
}

uint32_t sp_plan_crc(const void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    const uint8_t *p = (const uint8_t *)plan;
    const size_t at = offsetof(sp_header, plan_crc);
    const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t state = nn_crc32_update(0xFFFFFFFFu, p, at);
    state = nn_crc32_update(state, zero, 4);
    state = nn_crc32_update(state, p + at + 4, h->plan_bytes - at - 4);
    return state ^ 0xFFFFFFFFu;
}

uint32_t nn_plan_step_count(const void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    return h != NULL && h->magic == SP_MAGIC ? h->step_count : 0u;
}

nn_status nn_plan_get_step(const void *plan, uint32_t index, nn_plan_step *step)
{
    const sp_header *h = (const sp_header *)plan;
    const sp_step *s;
    const sp_op *ops;
    uint32_t i;
    if (h == NULL || step == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (h->magic != SP_MAGIC || index >= h->step_count) {
        return NN_ERR_BAD_PARAM;
    }
    s = sp_steps((void *)(uintptr_t)plan) + index;
    ops = sp_ops((void *)(uintptr_t)plan);
    memset(step, 0, sizeof(*step));
    step->first_op = s->first;
    step->last_op = s->last;
    for (i = 0; i < h->op_count; i++) {
        if ((ops[i].flags & SP_FOLDED) && ops[i].step == index) {
            step->folded_pads++;
            if (i < step->first_op) {
                step->first_op = (uint16_t)i;
            }
        }
    }
    step->streamed = s->streamed;
    step->opcode = ops[s->last].opcode;
    step->tensor_bytes = s->tensor_bytes;
    step->window_bytes = s->window_bytes;
    step->quant_bytes = s->quant_bytes;
    step->arena_end = s->arena_end;
    return NN_OK;
}

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
        ops[i].flags = (uint8_t)(ops[i].flags & SP_FOLDED);
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

/* Whole tensors live during segment [a, b] (excluding its windows). */
static uint32_t segment_tensors(const nn_model *m, const sp_op *ops, uint32_t a, uint32_t b)
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
            sum += sp_align(out_elements(m, ops, t));
        }
    }
    return sum;
}

enum { MODE_MIN = 0, MODE_BUDGET = 1 };

/* DP over segment ends. Leaves dp_choice (segment start) on each segment's last op. */
static int plan_dp(const nn_model *m, sp_header *h, sp_op *ops, int mode, uint32_t limit)
{
    const uint32_t n = m->op_count;
    uint32_t b, prev_end = SP_INF; /* the last non-folded op seen */
    for (b = 0; b < n; b++) {
        uint32_t a, len = 0, best1 = SP_INF, best2 = SP_INF, choice = SP_INF;
        if (ops[b].flags & SP_FOLDED) {
            continue;
        }
        for (a = b + 1; a-- > 0;) {
            uint32_t p1 = 0, p2 = 0, cost, v1, v2, before;
            if (ops[a].flags & SP_FOLDED) {
                continue;
            }
            len++;
            if (len > 1 && (!sp_streamable(m, ops, a) || !sp_streamable(m, ops, b) || len > SP_MAX_CHAIN)) {
                break; /* a chain holds only streamable ops: no longer chain ending at b can either */
            }
            /* previous segment end: the last non-folded op before a */
            before = SP_INF;
            {
                uint32_t j;
                for (j = a; j-- > 0;) {
                    if (!(ops[j].flags & SP_FOLDED)) {
                        before = j;
                        break;
                    }
                }
            }
            if (before != SP_INF) {
                if (ops[before].dp_best == SP_INF) {
                    continue;
                }
                p1 = ops[before].dp_best;
                p2 = ops[before].dp_second;
            }
            cost = segment_windows(m, h, ops, a, b); /* first: it sets the flags segment_tensors reads */
            cost += segment_tensors(m, ops, a, b);
            cost += quant_bytes_of(m, h, ops, a, b);
            if (mode == MODE_MIN) {
                v1 = cost > p1 ? cost : p1;
                v2 = p2 + (len > 1 ? len : 0u);
            } else {
                if (cost > limit) {
                    continue;
                }
                v1 = p1 + (len > 1 ? len : 0u);
                v2 = cost > p2 ? cost : p2;
            }
            if (v1 < best1 || (v1 == best1 && v2 < best2)) {
                best1 = v1;
                best2 = v2;
                choice = a;
            }
        }
        ops[b].dp_best = best1;
        ops[b].dp_second = best2;
        ops[b].dp_choice = (uint16_t)(choice == SP_INF ? 0xFFFFu : choice);
        prev_end = b;
    }
    return prev_end != SP_INF && ops[prev_end].dp_best != SP_INF;
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
        bk->size = sp_align(out_elements(m, ops, k));
        if (ops[k].last_use < n && (ops[ops[k].last_use].flags & SP_INPLACE) && ops[ops[k].last_use].in0 == k) {
            u = ops[k].last_use; /* the block also holds u's output, from u's step to its last use */
            if (sp_align(out_elements(m, ops, u)) > bk->size) {
                bk->size = sp_align(out_elements(m, ops, u));
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

static uint32_t place(const nn_model *m, sp_header *h, sp_op *ops, sp_step *steps)
{
    const uint32_t total = (uint32_t)m->op_count + h->step_count;
    uint32_t k, placed, peak = 0;
    for (k = 0; k < total; k++) {
        blk bk;
        if (get_block(m, h, ops, steps, k, &bk)) {
            *bk.off = SP_UNPLACED;
        }
    }
    for (placed = 0;; placed++) {
        uint32_t best = SP_INF, best_size = 0, cand = 0;
        int moved;
        blk bb;
        for (k = 0; k < total; k++) {
            blk bk;
            if (get_block(m, h, ops, steps, k, &bk) && *bk.off == SP_UNPLACED && (best == SP_INF || bk.size > best_size)) {
                best = k;
                best_size = bk.size;
            }
        }
        if (best == SP_INF) {
            break;
        }
        get_block(m, h, ops, steps, best, &bb);
        do {
            moved = 0;
            for (k = 0; k < total; k++) {
                blk bk;
                if (!get_block(m, h, ops, steps, k, &bk) || *bk.off == SP_UNPLACED || bk.last < bb.first ||
                    bb.last < bk.first) {
                    continue;
                }
                if (cand < *bk.off + bk.size && *bk.off < cand + bb.size) {
                    cand = *bk.off + bk.size;
                    moved = 1;
                }
            }
        } while (moved);
        *bb.off = cand;
        if (cand + bb.size > peak) {
            peak = cand + bb.size;
        }
    }
    /* arena end per step */
    for (k = 0; k < h->step_count; k++) {
        uint32_t j, end = 0;
        for (j = 0; j < total; j++) {
            blk bk;
            if (get_block(m, h, ops, steps, j, &bk) && bk.first <= k && k <= bk.last && *bk.off + bk.size > end) {
                end = *bk.off + bk.size;
            }
        }
        steps[k].arena_end = SP_SLACK + h->region_off + end;
    }
    return peak;
}

/* Builds the whole plan for a mode; returns NN_OK and sets h->peak_bytes. */
static nn_status build(const nn_model *m, void *plan, size_t plan_size, int mode, uint32_t limit, int inplace)
{
    sp_header *h = (sp_header *)plan;
    sp_op *ops = sp_ops(plan);
    sp_step *steps;
    const uint32_t n = m->op_count;
    uint32_t b, count = 0, s, i;

    init_ops(m, ops);
    /* the smallest plan decodes wide pointwise layers' quantisation in groups (more, smaller
     * kernel calls); a plan for a larger budget keeps one call per layer */
    h->group_quant = (mode == MODE_MIN ? SP_HQ_GROUP : 0u) | (inplace ? SP_HQ_INPLACE : 0u);
    for (i = 0; i < n; i++) {
        ops[i].dp_best = SP_INF;
    }
    if (!plan_dp(m, h, ops, mode, limit)) {
        return NN_ERR_ARENA_TOO_SMALL;
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
        i = ops[i].dp_choice; /* loop decrement moves before the segment */
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
        steps[s].first = ops[i].dp_choice;
        steps[s].last = (uint16_t)i;
        i = ops[i].dp_choice;
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
        st->tensor_bytes = segment_tensors(m, ops, st->first, st->last);
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
                const uint32_t out = sp_align(out_elements(m, ops, st->last));
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
                        st->tensor_bytes -= sp_align(out_elements(m, ops, st->last));
                        st->window_bytes = ops[st->last].dp_second;
                    }
                }
                h->region_peak = place(m, h, ops, steps);
            }
        }
    }
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
     * smaller. The in-place variant is built first so that the usual outcome (the plain plan wins
     * or ties) ends with the plain plan already in the buffer: two builds instead of three. */
    sp_header *h = (sp_header *)plan;
    const nn_status in_place = build(m, plan, plan_size, MODE_MIN, 0, 1);
    const uint32_t in_place_peak = h->peak_bytes;
    const nn_status plain = build(m, plan, plan_size, MODE_MIN, 0, 0);
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

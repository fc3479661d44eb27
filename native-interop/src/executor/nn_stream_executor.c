/*
 * nn_stream_executor.c - runs a plan of nn_planner.h: layer steps with whole tensors, streamed
 * steps one output row at a time over row windows.
 *
 * Row windows: a tensor produced and consumed inside a streamed step keeps `cap` rows in a
 * linear buffer; slot 0 holds absolute row `base`. Before row r is written, if it does not fit,
 * the rows still needed ([low, r), low = the lowest row any consumer still needs) are moved to
 * the front. Every kernel call covers one output row: a convolution reads the rows its taps
 * reach (clipped to the tensor) with pad_top set so that taps above row 0 add zero, exactly as
 * the whole-tensor call would, so outputs are bit-identical and no row is computed twice.
 * The planner runs the same code with ctx->sim set to learn each window's size, so the run
 * never needs more rows than were planned.
 */
#include <string.h>

#include "../planner/nn_plan_internal.h"
#include "nn_op_params.h"

#if defined(__GNUC__)
#define SP_NOINLINE __attribute__((noinline))
#define SP_INLINE inline __attribute__((always_inline))
#else
#define SP_NOINLINE
#define SP_INLINE inline
#endif

/* Stack bytes of output a grouped pointwise layer step computes per kernel call (at least
 * SP_GROUP_CALL; 1 KiB: 20 pixels of 48 channels; a board short of stack may define less). */
#ifndef SP_GROUP_TMP
#define SP_GROUP_TMP (16u * SP_QUANT_GROUP)
#endif

/* Output channels of one such call (at most SP_QUANT_GROUP, whose quantisation the plan
 * reserves): 48, a multiple of 3 and 16, suits the fast pointwise kernel's channel blocks. */
#ifndef SP_GROUP_CALL
#define SP_GROUP_CALL 48u
#endif
typedef char sp_group_call_fits[SP_GROUP_CALL >= 1u && SP_GROUP_CALL <= SP_QUANT_GROUP && SP_GROUP_TMP >= SP_GROUP_CALL ? 1 : -1];

static const int8_t *whole_ptr(const sp_ctx *c, uint32_t t)
{
    if (t == SP_INPUT) {
        return c->input;
    }
    return (const int8_t *)(c->region + c->ops[t].off);
}

static int in_segment(const sp_ctx *c, uint32_t t)
{
    return t != SP_INPUT && t >= c->a && t <= c->b;
}

/* Conv geometry of op i (effective pads). */
typedef struct conv_geo {
    int32_t kh, kw, sh, sw, dh, dw, pt, pl;
} conv_geo;

static void conv_read(const sp_op *o, const uint8_t *b, conv_geo *g)
{
    g->kh = (int32_t)nn_ld_u8(b + 0);
    g->kw = (int32_t)nn_ld_u8(b + 1);
    g->sh = (int32_t)nn_ld_u8(b + 2);
    g->sw = (int32_t)nn_ld_u8(b + 3);
    g->dh = (int32_t)nn_ld_u8(b + 4);
    g->dw = (int32_t)nn_ld_u8(b + 5);
    g->pt = (int32_t)o->pad_top;
    g->pl = (int32_t)o->pad_left;
}

/* Rows [lo, hi] of op c's effective inputs needed for its output row y, clipped to the input. */
static void need_rows(const sp_ctx *ctx, uint32_t c, uint32_t y, int32_t *lo, int32_t *hi)
{
    const sp_rowgeo *g = &ctx->geo[c - ctx->a];
    const int32_t l = (int32_t)y * (int32_t)g->sh - (int32_t)g->pt;
    const int32_t h = l + (int32_t)g->span;
    *lo = l < 0 ? 0 : l;
    *hi = h > (int32_t)g->in_h - 1 ? (int32_t)g->in_h - 1 : h;
}

/* Lowest row of tensor t any consumer in the segment still needs (or `none`). */
static uint32_t low_of(const sp_ctx *ctx, uint32_t t, uint32_t none)
{
    uint32_t c, low = none;
    const uint32_t end = ctx->ops[t].last_use < ctx->b ? ctx->ops[t].last_use : ctx->b;
    for (c = t + 1; c <= end; c++) {
        const sp_op *o = &ctx->ops[c];
        int32_t lo, hi;
        if ((o->flags & SP_FOLDED) || (o->in0 != t && o->in1 != t)) {
            continue;
        }
        if (o->produced >= ctx->geo[c - ctx->a].out_h) {
            continue;
        }
        need_rows(ctx, c, o->produced, &lo, &hi);
        if ((uint32_t)lo < low) {
            low = (uint32_t)lo;
        }
    }
    return low;
}

static nn_status compute_row(sp_ctx *ctx, uint32_t o, uint32_t y);

static nn_status pull(sp_ctx *ctx, uint32_t t, int32_t upto)
{
    while ((int32_t)ctx->ops[t].produced <= upto) {
        const nn_status s = compute_row(ctx, t, ctx->ops[t].produced);
        if (s != NN_OK) {
            return s;
        }
    }
    return NN_OK;
}

/* Pointer to row `row` of producer t as held now (whole tensor or window). */
static const int8_t *row_ptr(const sp_ctx *ctx, uint32_t t, int32_t row, uint32_t rowbytes)
{
    if (t == SP_INPUT || !in_segment(ctx, t) || (ctx->ops[t].flags & SP_WHOLE)) {
        return whole_ptr(ctx, t) + (size_t)row * rowbytes;
    }
    return (const int8_t *)(ctx->region + ctx->ops[t].off) + (size_t)(row - (int32_t)ctx->ops[t].base) * rowbytes;
}

static void decode_quant(sp_ctx *ctx, const uint8_t *block, uint32_t channels, nn_channel_quant *q, int32_t **bias)
{
    *bias = ctx->quant;
    q->multiplier = ctx->quant + channels;
    q->shift = ctx->quant + 2u * channels;
    nn_quant_decode(block, ctx->quant, ctx->quant + channels, ctx->quant + 2u * channels);
}

/* The kernel call for output row y of op o (kept out of the recursive compute_row so that each
 * level of the row pull costs little stack: chains are at most SP_MAX_CHAIN ops deep). */
static SP_NOINLINE nn_status row_kernel(sp_ctx *ctx, uint32_t o, uint32_t y, int32_t lo0, int32_t hi0, int8_t *dst)
{
    const sp_op *op_rec = &ctx->ops[o];
    const sp_rowgeo *geo = &ctx->geo[o - ctx->a];
    nn_op_view op;
    nn_dims in_dims, out_dims;
    nn_op_read(ctx->m->ops + op_rec->rec, &op);
    out_dims.n = 1; /* streamed ops have batch 1 (sp_streamable) */
    out_dims.h = geo->out_h;
    out_dims.w = geo->out_w;
    out_dims.c = geo->out_c;
    in_dims.n = 1;
    in_dims.h = geo->in_h;
    in_dims.w = geo->in_w;
    in_dims.c = geo->in_c;
    {
        const uint8_t *b = op.body;
        const int32_t zp_in = geo->zp_in, zp_out = geo->zp_out;
        if (op.opcode == NN_OP_CONV_2D || op.opcode == NN_OP_DEPTHWISE_CONV_2D) {
            nn_conv_params p;
            nn_channel_quant q;
            nn_dims f, band, orow;
            int32_t *bias;
            conv_geo g;
            const int depthwise = op.opcode == NN_OP_DEPTHWISE_CONV_2D;
            conv_read(op_rec, b, &g);
            p.stride_h = g.sh;
            p.stride_w = g.sw;
            p.dilation_h = g.dh;
            p.dilation_w = g.dw;
            p.pad_top = lo0 - ((int32_t)y * g.sh - g.pt);
            p.pad_left = g.pl;
            p.depth_multiplier = (int32_t)nn_ld_u16(b + 8);
            p.input_offset = -zp_in;
            p.output_offset = zp_out;
            p.act_min = nn_ld_i8(b + 12);
            p.act_max = nn_ld_i8(b + 13);
            if (ctx->qoff != NULL) { /* every op's own slot, decoded at the step's start */
                int32_t *const slot = ctx->quant + ctx->qoff[o - ctx->a];
                bias = slot;
                q.multiplier = slot + out_dims.c;
                q.shift = slot + 2 * out_dims.c;
            } else if (ctx->quant_op != o) { /* rows of one op in a row reuse the decoded block */
                decode_quant(ctx, ctx->m->blob + nn_ld_u32(b + 20), (uint32_t)out_dims.c, &q, &bias);
                ctx->quant_op = o;
            } else {
                bias = ctx->quant;
                q.multiplier = ctx->quant + out_dims.c;
                q.shift = ctx->quant + 2 * out_dims.c;
            }
            f.n = depthwise ? 1 : out_dims.c;
            f.h = g.kh;
            f.w = g.kw;
            f.c = depthwise ? out_dims.c : in_dims.c;
            band = in_dims;
            band.h = hi0 - lo0 + 1;
            orow = out_dims;
            orow.h = 1;
            if (depthwise) {
                nn_op_depthwise_call(ctx->kt, ctx->m, o, &p, &q, &band,
                                     row_ptr(ctx, op_rec->in0, lo0, (uint32_t)(in_dims.w * in_dims.c)), &f,
                                     (const int8_t *)(ctx->m->blob + nn_ld_u32(b + 16)), bias, &orow, dst);
                if (ctx->stats) {
                    ctx->stats->macs += (uint64_t)orow.w * (uint64_t)orow.c * (uint64_t)(g.kh * g.kw);
                }
            } else {
                nn_op_conv_call(ctx->kt, ctx->m, o, &p, &q, &band,
                                row_ptr(ctx, op_rec->in0, lo0, (uint32_t)(in_dims.w * in_dims.c)), &f,
                                (const int8_t *)(ctx->m->blob + nn_ld_u32(b + 16)), 0, bias, &orow, dst);
                if (ctx->stats) {
                    ctx->stats->macs +=
                        (uint64_t)orow.w * (uint64_t)orow.c * (uint64_t)(g.kh * g.kw) * (uint64_t)in_dims.c;
                }
            }
        } else if (op.opcode == NN_OP_ADD) {
            nn_add_params p;
            nn_op_add_params(b, zp_in, geo->zp_in1, zp_out, &p);
            ctx->kt->add(&p, (int32_t)op_rec->rowbytes, row_ptr(ctx, op_rec->in0, (int32_t)y, op_rec->rowbytes),
                         row_ptr(ctx, op_rec->in1, (int32_t)y, op_rec->rowbytes), dst);
        } else {
            return NN_ERR_INTERNAL;
        }
        if (ctx->stats) {
            ctx->stats->kernel_calls++;
        }
    }
    return NN_OK;
}

/* memmove(w, w + by, len) for by > 0, as memcpy calls of at most `by` bytes from the front: each
 * chunk's source lies above every byte written before it, and its destination, `by` bytes lower,
 * does not overlap it. A libc's memcpy is usually much faster than its memmove (on the emulated
 * lx106, picolibc's memmove moves a byte at a time), and a window moves up to cap - 1 rows per row. */
static void shift_down(uint8_t *w, size_t by, size_t len)
{
#if UINTPTR_MAX > 0xFFFFFFFFu
    memmove(w, w + by, len); /* 64-bit hosts: their libc's memmove is as fast as memcpy */
#else
    size_t i;
    for (i = 0; i < len; i += by) {
        memcpy(w + i, w + i + by, len - i < by ? len - i : by);
    }
#endif
}

static nn_status compute_row(sp_ctx *ctx, uint32_t o, uint32_t y)
{
    sp_op *op_rec = &ctx->ops[o];
    int32_t lo0 = 0, hi0 = 0;
    int8_t *dst = NULL;
    const uint32_t ins[2] = {op_rec->in0, op_rec->in1};
    uint32_t k;

    if (op_rec->in0 != SP_INPUT && (ctx->ops[op_rec->in0].flags & SP_FOLDED)) {
        return NN_ERR_INTERNAL;
    }
    for (k = 0; k < 2; k++) {
        int32_t lo, hi;
        if (ins[k] == SP_NONE) {
            continue;
        }
        need_rows(ctx, o, y, &lo, &hi);
        if (k == 0) {
            lo0 = lo;
            hi0 = hi;
        }
        if (ins[k] != SP_INPUT && in_segment(ctx, ins[k])) {
            const nn_status s = pull(ctx, ins[k], hi);
            if (s != NN_OK) {
                return s;
            }
        }
    }

    /* place the output row */
    if (op_rec->flags & SP_WHOLE) {
        if (!ctx->sim) {
            dst = (int8_t *)(ctx->region + op_rec->off) + (size_t)y * op_rec->rowbytes;
        }
    } else {
        uint32_t low = low_of(ctx, o, 0xFFFFu);
        if (low > y) {
            low = y;
        }
        if (ctx->sim) {
            if (y - low + 1u > op_rec->cap) {
                op_rec->cap = (uint16_t)(y - low + 1u);
            }
        } else {
            uint8_t *w = ctx->region + op_rec->off;
            if (y - op_rec->base >= op_rec->cap) {
                if (low < op_rec->base || y - low >= op_rec->cap) {
                    return NN_ERR_INTERNAL;
                }
                shift_down(w, (size_t)(low - op_rec->base) * op_rec->rowbytes, (size_t)(y - low) * op_rec->rowbytes);
                op_rec->base = (uint16_t)low;
            }
            dst = (int8_t *)w + (size_t)(y - op_rec->base) * op_rec->rowbytes;
        }
    }

    if (!ctx->sim) {
        const nn_status s = row_kernel(ctx, o, y, lo0, hi0, dst);
        if (s != NN_OK) {
            return s;
        }
    }
    op_rec->produced = (uint16_t)(y + 1u);
    return NN_OK;
}

/* The row geometry of op t. producer: the geometry of op t's effective input's producer when the
 * caller has it (a streamed segment computes its ops in order), else NULL. */
static SP_INLINE nn_status row_geo(const nn_model *m, const sp_op *ops, uint32_t t, sp_rowgeo *g,
                                   const sp_rowgeo *producer)
{
    const sp_op *o = &ops[t];
    nn_op_view op;
    nn_dims d;
    nn_op_read(m->ops + o->rec, &op);
    nn_tensor_nhwc(m, op.output, &d);
    if (d.n != 1) {
        return NN_ERR_INTERNAL; /* never planned: streamed ops have batch 1 */
    }
    g->out_h = (uint16_t)d.h;
    g->out_w = (uint16_t)d.w;
    g->out_c = (uint16_t)d.c;
    /* the effective input (a conv reading a folded PAD reads the PAD's input) */
    if (producer != NULL) {
        d.n = 1;
        d.h = producer->out_h;
        d.w = producer->out_w;
        d.c = producer->out_c;
    } else if (o->in0 == SP_INPUT) {
        nn_tensor_nhwc(m, m->input_tensor, &d);
    } else if (o->in0 == SP_NONE) {
        d.n = 1;
        d.h = d.w = d.c = 0;
    } else {
        nn_op_view pin;
        nn_op_read(m->ops + ops[o->in0].rec, &pin);
        nn_tensor_nhwc(m, pin.output, &d);
    }
    if (o->in0 != SP_NONE && d.n != 1) {
        return NN_ERR_INTERNAL;
    }
    g->in_h = (uint16_t)d.h;
    g->in_w = (uint16_t)d.w;
    g->in_c = (uint16_t)d.c;
    if (o->opcode == NN_OP_CONV_2D || o->opcode == NN_OP_DEPTHWISE_CONV_2D) {
        conv_geo cg;
        conv_read(o, op.body, &cg);
        g->sh = (uint16_t)cg.sh;
        g->pt = (uint16_t)cg.pt;
        g->span = (uint16_t)((cg.kh - 1) * cg.dh);
    } else { /* ADD: row for row */
        g->sh = 1;
        g->pt = 0;
        g->span = 0;
    }
    return NN_OK;
}

nn_status sp_row_geo(const nn_model *m, const sp_op *ops, uint32_t t, sp_rowgeo *g)
{
    return row_geo(m, ops, t, g, NULL);
}

nn_status sp_run_segment(sp_ctx *ctx)
{
    sp_rowgeo geo[SP_MAX_CHAIN];
    uint32_t qoff[SP_MAX_CHAIN];
    uint32_t t;
    nn_status s;
    if (ctx->b < ctx->a || ctx->b - ctx->a >= SP_MAX_CHAIN) {
        return NN_ERR_INTERNAL;
    }
    for (t = ctx->a; t <= ctx->b; t++) {
        ctx->ops[t].produced = 0;
        ctx->ops[t].base = 0;
        if (ctx->sim) {
            ctx->ops[t].cap = 0;
        }
        { /* an input produced earlier in the segment: its geometry is at hand */
            const uint32_t in0 = ctx->ops[t].in0;
            const int here = in0 != SP_INPUT && in0 != SP_NONE && in0 >= ctx->a && in0 < t;
            s = row_geo(ctx->m, ctx->ops, t, &geo[t - ctx->a], here ? &geo[in0 - ctx->a] : NULL);
        }
        if (s != NN_OK) {
            return s;
        }
    }
    ctx->geo = geo;
    ctx->quant_op = SP_NONE;
    ctx->qoff = NULL;
    if (!ctx->sim) {
        /* once a step: the zero points every row of an op needs, and with quant_each every op's
         * quantisation in its own slot (the planner sized the scratch for all: widen_quant) */
        uint32_t at = 0;
        for (t = ctx->a; t <= ctx->b; t++) {
            nn_op_view op;
            sp_rowgeo *g = &geo[t - ctx->a];
            nn_op_read(ctx->m->ops + ctx->ops[t].rec, &op);
            g->zp_in = (int8_t)nn_tensor_zero_point(ctx->m, ctx->ops[t].in0 == SP_INPUT ? ctx->m->input_tensor : op.input0);
            g->zp_out = (int8_t)nn_tensor_zero_point(ctx->m, op.output);
            g->zp_in1 = (int8_t)(op.opcode == NN_OP_ADD ? nn_tensor_zero_point(ctx->m, op.input1) : 0);
            if (ctx->quant_each && sp_quant_op(ctx->ops, t)) {
                const uint32_t c = g->out_c;
                qoff[t - ctx->a] = at;
                nn_quant_decode(ctx->m->blob + nn_ld_u32(op.body + 20), ctx->quant + at, ctx->quant + at + c,
                                ctx->quant + at + 2u * c);
                at += 3u * c;
            }
        }
        if (ctx->quant_each) {
            ctx->qoff = qoff;
        }
    }
    s = pull(ctx, ctx->b, (int32_t)geo[ctx->b - ctx->a].out_h - 1);
    /* then every row no consumer pulled: whole outputs read by later steps, and rows nothing reads
     * (a VALID convolution may skip its input's last rows): every op runs all its rows, once */
    for (t = ctx->a; s == NN_OK && t < ctx->b; t++) {
        if (!(ctx->ops[t].flags & SP_FOLDED)) {
            s = pull(ctx, t, (int32_t)geo[t - ctx->a].out_h - 1);
        }
    }
    ctx->geo = NULL;
    return s;
}

/* ---------------------------------------------------------------- layer steps */

/* A depthwise layer step in place (SP_INPLACE): its output occupies its input's bytes. Output
 * rows are computed one kernel call each (the band of input rows they read, pad_top adjusted, as
 * in a streamed step: the same arithmetic as the whole call) into a delay buffer of `d` rows,
 * just below the step's quantisation scratch, and row y is copied over the input only once every
 * output row reading an input row its bytes overlap is computed (sp_inplace_wait). */
static nn_status run_inplace(sp_ctx *ctx, uint32_t o, const nn_conv_params *p0, const nn_channel_quant *q,
                             const nn_dims *in_dims, const nn_dims *f, const int8_t *weights, const int32_t *bias,
                             const nn_dims *out_dims, int8_t *io)
{
    const uint32_t irow = (uint32_t)(in_dims->w * in_dims->c), orow = (uint32_t)(out_dims->w * out_dims->c);
    const uint32_t oh = (uint32_t)out_dims->h, sh = (uint32_t)p0->stride_h, pt = (uint32_t)p0->pad_top;
    const int32_t span = (f->h - 1) * p0->dilation_h;
    const uint32_t d = sp_inplace_rows(oh, irow, orow, sh, pt);
    int8_t *buf = (int8_t *)ctx->quant - sp_align(d * orow);
    nn_conv_params p = *p0;
    nn_dims band = *in_dims, one = *out_dims;
    uint32_t y, next = 0;        /* next output row to write back */
    uint32_t slot = 0, nslot = 0; /* y % d and next % d, counted (no division per row) */
    one.h = 1;
    for (y = 0; y < oh; y++, slot = slot + 1u == d ? 0u : slot + 1u) {
        const int32_t l = (int32_t)(y * sh) - (int32_t)pt;
        const int32_t lo = l < 0 ? 0 : l, hi = l + span > in_dims->h - 1 ? in_dims->h - 1 : l + span;
        if (y - next >= d || hi < lo) {
            return NN_ERR_INTERNAL;
        }
        p.pad_top = lo - l;
        band.h = hi - lo + 1;
        nn_op_depthwise_call(ctx->kt, ctx->m, o, &p, q, &band, io + (size_t)lo * irow, f, weights, bias, &one,
                             buf + (size_t)slot * orow);
        if (ctx->stats) {
            ctx->stats->macs += (uint64_t)one.w * (uint64_t)one.c * (uint64_t)(f->h * f->w);
            ctx->stats->kernel_calls++;
        }
        while (next <= y && sp_inplace_wait(next, oh, irow, orow, sh, pt) <= y) {
            memcpy(io + (size_t)next * orow, buf + (size_t)nslot * orow, orow);
            next++;
            nslot = nslot + 1u == d ? 0u : nslot + 1u;
        }
    }
    return next == oh ? NN_OK : NN_ERR_INTERNAL;
}

static nn_status run_whole(sp_ctx *ctx, uint32_t i)
{
    const nn_model *m = ctx->m;
    const sp_op *o = &ctx->ops[i];
    nn_op_view op;
    const uint8_t *b;
    const int8_t *in0, *in1 = NULL;
    int8_t *out;
    nn_dims in_dims, out_dims;
    uint32_t in_tensor, out_elements;
    int32_t zp_in, zp_out;

    nn_op_read(m->ops + o->rec, &op);
    b = op.body;
    in0 = whole_ptr(ctx, o->in0);
    if (o->in1 != SP_NONE) {
        in1 = whole_ptr(ctx, o->in1);
    }
    out = (int8_t *)(ctx->region + o->off);
    if (o->in0 == SP_INPUT) {
        in_tensor = m->input_tensor;
    } else {
        nn_op_view pin;
        nn_op_read(m->ops + ctx->ops[o->in0].rec, &pin);
        in_tensor = pin.output;
    }
    zp_in = nn_tensor_zero_point(m, in_tensor);
    zp_out = nn_tensor_zero_point(m, op.output);
    out_elements = nn_tensor_elements(m, op.output);
    nn_tensor_nhwc(m, in_tensor, &in_dims);
    nn_tensor_nhwc(m, op.output, &out_dims);

    switch (op.opcode) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D: {
        nn_conv_params p;
        nn_channel_quant q;
        nn_dims f;
        int32_t *bias;
        const int depthwise = op.opcode == NN_OP_DEPTHWISE_CONV_2D;
        nn_op_conv_params(b, zp_in, zp_out, &p);
        p.pad_top = o->pad_top; /* includes any folded PAD */
        p.pad_left = o->pad_left;
        nn_op_conv_filter_dims(b, depthwise, &in_dims, &out_dims, &f);
        if (o->flags & SP_GROUPQ) {
            /* SP_GROUP_CALL output channels at a time (the quantisation of one group decoded once),
             * over runs of pixels computed into a small stack buffer and copied to their channel
             * slice: the same arithmetic per output element as the whole call */
            const uint8_t *block = m->blob + nn_ld_u32(b + 20);
            const int8_t *weights = (const int8_t *)(m->blob + nn_ld_u32(b + 16));
            const uint32_t pixels = (uint32_t)(out_dims.n * out_dims.h * out_dims.w);
            int8_t tmp[SP_GROUP_TMP];
            nn_quant_header qh;
            uint32_t c0, px;
            nn_quant_read_header(block, &qh);
            bias = ctx->quant;
            q.multiplier = ctx->quant + SP_QUANT_GROUP;
            q.shift = ctx->quant + 2u * SP_QUANT_GROUP;
            for (c0 = 0; c0 < (uint32_t)out_dims.c; c0 += SP_GROUP_CALL) {
                const uint32_t g = (uint32_t)out_dims.c - c0 < SP_GROUP_CALL ? (uint32_t)out_dims.c - c0 : SP_GROUP_CALL;
                /* an even number of pixels a call (kernels may work on pixel pairs) */
                const uint32_t run = SP_GROUP_TMP / g >= 2u ? (SP_GROUP_TMP / g) & ~1u : 1u;
                nn_dims pin, pf, pout;
                nn_quant_decode_range(block, &qh, c0, g, ctx->quant, ctx->quant + SP_QUANT_GROUP,
                                      ctx->quant + 2u * SP_QUANT_GROUP);
                pin.n = pin.h = 1;
                pin.c = in_dims.c;
                pf.n = (int32_t)g;
                pf.h = pf.w = 1;
                pf.c = in_dims.c;
                pout.n = pout.h = 1;
                pout.c = (int32_t)g;
                for (px = 0; px < pixels; px += run) {
                    const uint32_t np = pixels - px < run ? pixels - px : run;
                    uint32_t k;
                    pin.w = pout.w = (int32_t)np;
                    nn_op_conv_call(ctx->kt, m, i, &p, &q, &pin, in0 + (size_t)px * (size_t)in_dims.c, &pf, weights,
                                    (size_t)c0 * (size_t)in_dims.c, bias, &pout, tmp);
                    for (k = 0; k < np; k++) {
                        memcpy(out + (size_t)(px + k) * (size_t)out_dims.c + c0, tmp + (size_t)k * g, g);
                    }
                    if (ctx->stats) {
                        ctx->stats->macs += (uint64_t)np * (uint64_t)g * (uint64_t)in_dims.c;
                        ctx->stats->kernel_calls++;
                    }
                }
            }
            return NN_OK;
        }
        decode_quant(ctx, m->blob + nn_ld_u32(b + 20), (uint32_t)out_dims.c, &q, &bias);
        if (o->flags & SP_INPLACE) {
            if (!depthwise || out != in0 || out_dims.n != 1) {
                return NN_ERR_INTERNAL;
            }
            return run_inplace(ctx, i, &p, &q, &in_dims, &f, (const int8_t *)(m->blob + nn_ld_u32(b + 16)), bias,
                               &out_dims, out);
        }
        if (depthwise) {
            nn_op_depthwise_call(ctx->kt, m, i, &p, &q, &in_dims, in0, &f,
                                 (const int8_t *)(m->blob + nn_ld_u32(b + 16)), bias, &out_dims, out);
        } else {
            nn_op_conv_call(ctx->kt, m, i, &p, &q, &in_dims, in0, &f, (const int8_t *)(m->blob + nn_ld_u32(b + 16)), 0,
                            bias, &out_dims, out);
        }
        if (ctx->stats) {
            uint64_t v = (uint64_t)out_dims.n * (uint64_t)out_dims.h * (uint64_t)out_dims.w * (uint64_t)out_dims.c *
                         (uint64_t)(f.h * f.w);
            ctx->stats->macs += depthwise ? v : v * (uint64_t)in_dims.c;
        }
        break;
    }
    case NN_OP_FULLY_CONNECTED: {
        nn_fc_params p;
        nn_channel_quant q;
        int32_t *bias;
        const uint32_t out_depth = nn_tensor_last_dim(m, op.output);
        const uint32_t batches = out_elements / out_depth;
        const uint32_t in_depth = nn_tensor_elements(m, in_tensor) / batches;
        nn_op_fc_params(b, zp_in, zp_out, &p);
        decode_quant(ctx, m->blob + nn_ld_u32(b + 8), out_depth, &q, &bias);
        ctx->kt->fully_connected(&p, &q, (int32_t)batches, (int32_t)in_depth, (int32_t)out_depth, in0,
                                 (const int8_t *)(m->blob + nn_ld_u32(b + 4)), bias, out);
        if (ctx->stats) {
            ctx->stats->macs += (uint64_t)nn_tensor_elements(m, in_tensor) * out_depth;
        }
        break;
    }
    case NN_OP_AVERAGE_POOL_2D: {
        nn_pool_params p;
        nn_op_pool_params(b, &p);
        ctx->kt->avg_pool(&p, &in_dims, in0, &out_dims, out);
        break;
    }
    case NN_OP_MEAN: {
        nn_mean_params p;
        nn_op_mean_params(b, zp_in, zp_out, &p);
        ctx->kt->mean_hw(&p, &in_dims, in0, out);
        break;
    }
    case NN_OP_SOFTMAX: {
        nn_softmax_params p;
        const uint32_t depth = nn_tensor_last_dim(m, op.output);
        nn_op_softmax_params(b, &p);
        ctx->kt->softmax(&p, (int32_t)(out_elements / depth), (int32_t)depth, in0, out);
        break;
    }
    case NN_OP_ADD: {
        nn_add_params p;
        nn_op_add_params(b, zp_in, nn_tensor_zero_point(m, op.input1), zp_out, &p);
        ctx->kt->add(&p, (int32_t)out_elements, in0, in1, out);
        break;
    }
    case NN_OP_PAD: {
        nn_pad_params p;
        nn_op_pad_params(b, zp_out, &p);
        ctx->kt->pad(&p, &in_dims, in0, &out_dims, out);
        break;
    }
    case NN_OP_RESHAPE:
        memmove(out, in0, out_elements);
        break;
    default:
        return NN_ERR_INTERNAL;
    }
    if (ctx->stats) {
        ctx->stats->kernel_calls++;
    }
    return NN_OK;
}

nn_status nn_executor_run_planned(const nn_model *model, uint32_t budget,
                                  const int8_t *input, size_t input_size,
                                  int8_t *output, size_t output_size,
                                  uint8_t *arena, size_t arena_size,
                                  nn_tensor_observer observer, void *user,
                                  const struct nn_kernel_table *kernels, nn_run_stats *stats)
{
    const nn_model *m = model;
    uint8_t *base;
    sp_header *h;
    sp_op *ops;
    sp_step *steps;
    sp_ctx ctx;
    uint32_t peak = 0, s, i;
    nn_status st;
    size_t slack;

    if (m == NULL || m->blob == NULL || m->ops == NULL || m->op_count == 0 || input == NULL || output == NULL ||
        arena == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (input_size != nn_tensor_elements(m, m->input_tensor)) {
        return NN_ERR_INPUT_SIZE;
    }
    if (output_size != nn_tensor_elements(m, m->output_tensor)) {
        return NN_ERR_OUTPUT_SIZE;
    }
    if (stats != NULL) {
        memset(stats, 0, sizeof(*stats));
    }
    slack = (size_t)((SP_ALIGN - ((uintptr_t)arena & (SP_ALIGN - 1u))) & (SP_ALIGN - 1u));
    if (arena_size < slack + sizeof(sp_header)) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    base = arena + slack;
    h = (sp_header *)(void *)base;
    if (arena_size - slack >= sizeof(sp_header) && h->magic == SP_MAGIC && h->op_count == m->op_count &&
        h->budget == budget && h->model_crc == nn_ld_u32(m->blob + NN_H_CRC32) && h->model_size == m->size &&
        h->plan_bytes >= sizeof(sp_header) && h->plan_bytes <= arena_size - slack && h->peak_bytes <= arena_size &&
        h->plan_crc == sp_plan_crc(base)) {
        peak = h->peak_bytes; /* the plan of the previous run with this arena: reuse it */
    } else {
        st = nn_plan_create(m, budget, base, arena_size - slack, &peak, NULL);
        if (st != NN_OK) {
            return st;
        }
    }
    if (peak > arena_size) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    h = (sp_header *)(void *)base;
    ops = sp_ops(base);
    steps = sp_steps(base);
    if (stats != NULL) {
        stats->peak_bytes = peak;
    }

    memset(&ctx, 0, sizeof(ctx));
    ctx.m = m;
    ctx.h = h;
    ctx.ops = ops;
    ctx.region = base + h->region_off;
    ctx.input = input;
    ctx.kt = kernels != NULL ? kernels : nn_default_kernels();
    ctx.stats = stats;

    for (s = 0; s < h->step_count; s++) {
        const sp_step *sp = &steps[s];
        ctx.a = sp->first;
        ctx.b = sp->last;
        ctx.quant = (int32_t *)(void *)(ctx.region + sp_quant_off(sp));
        ctx.quant_each = sp->quant_each;
        if (sp->streamed) {
            ctx.sim = 0;
            st = sp_run_segment(&ctx);
        } else {
            st = run_whole(&ctx, sp->first);
        }
        if (st != NN_OK) {
            h->magic = 0; /* never reuse a plan whose run failed */
            return st;
        }
        if (observer != NULL) {
            for (i = sp->first; i <= sp->last; i++) {
                if (!(ops[i].flags & SP_FOLDED) && (ops[i].flags & SP_WHOLE)) {
                    nn_op_view op;
                    nn_op_read(m->ops + ops[i].rec, &op);
                    observer(user, i, op.output, (const int8_t *)(ctx.region + ops[i].off),
                             nn_tensor_elements(m, op.output));
                }
            }
        }
    }
    for (i = 0; i < m->op_count; i++) {
        nn_op_view op;
        nn_op_read(m->ops + ops[i].rec, &op);
        if (op.output == m->output_tensor && !(ops[i].flags & SP_FOLDED)) {
            uint32_t k;
            memcpy(output, ctx.region + ops[i].off, output_size);
            for (k = 0; k < m->op_count; k++) { /* run state back to zero: the plan's CRC holds again */
                ops[k].produced = 0;
                ops[k].base = 0;
            }
            return NN_OK;
        }
    }
    if (m->output_tensor == m->input_tensor) { /* no op writes the output: it is the input */
        memcpy(output, input, output_size);
        return NN_OK;
    }
    return NN_ERR_INTERNAL;
}

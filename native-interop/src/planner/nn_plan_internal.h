/*
 * nn_plan_internal.h - the plan's in-memory layout, shared by the planner (src/planner) and the
 * row-streaming executor (src/executor/nn_stream_executor.c). Not part of the public API.
 *
 * A plan is: sp_header, op_count sp_op records (one per op of the op table, folded PADs
 * included), step_count sp_step records. Everything is naturally aligned when the plan starts
 * on a 4-byte boundary.
 */
#ifndef NANONET_NN_PLAN_INTERNAL_H
#define NANONET_NN_PLAN_INTERNAL_H

#include <stdint.h>

#include "../model/nn_model_internal.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_planner.h"

#define SP_MAGIC 0x4E504C4Eu /* "NLPN" */
#define SP_ALIGN 16u
#define SP_INPUT 0xFFFFu     /* producer "op" of the graph input */
#define SP_NONE 0xFFFEu      /* no second input */
#define SP_UNPLACED 0xFFFFFFFFu

#define SP_FOLDED 1u /* a PAD folded into the convolution that reads it */
#define SP_WHOLE 2u  /* output materialised whole (else a row window) */
#define SP_GROUPQ 4u /* grouped pointwise layer step (see sp_grouped_pointwise) */
#define SP_INPLACE 8u /* depthwise layer step writing its output over its input (sp_inplace_legal) */
#define SP_STREAMOK 16u /* planning only (never in a finished plan): sp_streamable holds for the op */

/* sp_header.group_quant bits */
#define SP_HQ_GROUP 1u   /* wide pointwise layer steps decode quantisation in groups */
#define SP_HQ_INPLACE 2u /* depthwise layer steps may run in place */

typedef struct sp_header {
    uint32_t magic;
    uint16_t op_count;
    uint16_t step_count;
    uint32_t plan_bytes;  /* header + op records + step records */
    uint32_t region_off;  /* offset of the block region from the aligned arena base */
    uint32_t region_peak; /* bytes of the block region */
    uint32_t peak_bytes;  /* whole arena: 15 slack + region_off + region_peak */
    uint32_t min_budget;
    uint32_t group_quant; /* SP_HQ_* bits */
    uint32_t budget;      /* what the plan was made for: budget, model CRC and size */
    uint32_t model_crc;
    uint32_t model_size;
    uint32_t plan_crc;    /* CRC-32 of plan_bytes with this field zero and every run state zero */
} sp_header;

/* CRC of a finished plan (run state fields must be zero). */
uint32_t sp_plan_crc(const void *plan);

typedef struct sp_op {
    uint32_t rec;      /* byte offset of the op record from model->ops */
    uint32_t off;      /* output block offset in the region (whole), or window offset */
    uint32_t rowbytes; /* output W * C */
    uint32_t dp_best;  /* planning scratch */
    uint32_t dp_second;
    uint16_t in0, in1; /* producer op of the effective inputs (SP_INPUT, SP_NONE) */
    uint16_t step;
    uint16_t last_use; /* last op reading the output; op_count for the graph output */
    uint16_t cap;      /* window rows */
    uint16_t produced; /* rows produced (run state) */
    uint16_t base;     /* absolute row held in window slot 0 (run state) */
    uint16_t dp_choice;
    uint8_t opcode, flags;
    uint8_t pad_top, pad_left; /* effective padding (folded PAD included) */
} sp_op;

typedef struct sp_step {
    uint16_t first, last; /* non-folded op range, inclusive */
    uint8_t streamed;
    uint8_t quant_each;  /* streamed: the quant scratch holds every op's quantisation at once (widen_quant) */
    uint16_t quant_at16; /* quant_each: that scratch's region offset / SP_ALIGN (widen_quant) */
    uint32_t tensor_bytes;
    uint32_t window_bytes;
    uint32_t quant_bytes;
    uint32_t scratch_off; /* step scratch block: windows, then quant */
    uint32_t arena_end;
} sp_step;

/* The region offset of step s's quantisation scratch: behind its windows, or where widen_quant put it. */
static inline uint32_t sp_quant_off(const sp_step *s)
{
    return s->quant_each ? (uint32_t)s->quant_at16 * SP_ALIGN : s->scratch_off + s->window_bytes;
}

static inline sp_op *sp_ops(void *plan)
{
    return (sp_op *)(void *)((uint8_t *)plan + sizeof(sp_header));
}

static inline sp_step *sp_steps(void *plan)
{
    const sp_header *h = (const sp_header *)plan;
    return (sp_step *)(void *)((uint8_t *)plan + sizeof(sp_header) + (size_t)h->op_count * sizeof(sp_op));
}

static inline uint32_t sp_align(uint32_t v)
{
    return (v + (SP_ALIGN - 1u)) & ~(SP_ALIGN - 1u);
}

#ifndef SP_MAX_CHAIN
#define SP_MAX_CHAIN 24u /* most ops in one streamed chain (bounds the row pull's recursion depth) */
#endif

/* Row geometry of one op of a segment (sp_run_segment, on its stack): output row y reads rows
 * [y * sh - pt, y * sh - pt + span] of its effective inputs, clipped to [0, in_h - 1]; the
 * effective input is in_h x in_w x in_c, the output out_h x out_w x out_c (batch 1). */
typedef struct sp_rowgeo { /* dims are u16 in the format; pt <= 255 and span <= 255 * 254 */
    uint16_t out_h, in_h, sh, pt, span;
    uint16_t in_w, in_c, out_w, out_c;
    int8_t zp_in, zp_in1, zp_out; /* real runs only (sp_run_segment): the op's zero points, looked up once a step */
} sp_rowgeo;

/* State of one segment run (simulated or real). */
typedef struct sp_ctx {
    const nn_model *m;
    sp_header *h;
    sp_op *ops;
    uint32_t a, b;        /* op range of the segment (inclusive) */
    int sim;              /* 1: only count rows (planning) */
    uint8_t *region;      /* block region (real runs) */
    const int8_t *input;  /* caller's graph input */
    int32_t *quant;       /* quant scratch of the step */
    const nn_kernel_table *kt;
    nn_run_stats *stats;
    const sp_rowgeo *geo; /* geo[i - a]: op i of the segment (set by sp_run_segment) */
    uint32_t quant_op;    /* op whose quantisation ctx->quant holds (SP_NONE: none) */
    int quant_each;       /* the step's sp_step.quant_each (real runs) */
    const uint32_t *qoff; /* quant_each: qoff[i - a], op i's slot in ctx->quant (set by sp_run_segment) */
} sp_ctx;

/* Output rows (H of the NHWC view) of op i. */
static inline uint32_t sp_out_h(const nn_model *m, const sp_op *ops, uint32_t i)
{
    nn_op_view op;
    nn_dims d;
    nn_op_read(m->ops + ops[i].rec, &op);
    nn_tensor_nhwc(m, op.output, &d);
    return (uint32_t)d.h;
}

/* Row geometry of op t as part of a streamed segment; NN_ERR_INTERNAL if its output or its
 * effective input has a batch other than 1 (then no segment holding t can run). */
nn_status sp_row_geo(const nn_model *m, const sp_op *ops, uint32_t t, sp_rowgeo *g);

/* Runs (or simulates) the streamed segment [ctx->a, ctx->b]: every row of every op, once.
 * In simulation, sets cap of each windowed op to the most rows its window ever holds. */
nn_status sp_run_segment(sp_ctx *ctx);

/* Whether op i decodes quantisation in a streamed step: a CONV_2D or DEPTHWISE_CONV_2D (not a folded PAD). */
static inline int sp_quant_op(const sp_op *ops, uint32_t i)
{
    return !(ops[i].flags & SP_FOLDED) && (ops[i].opcode == NN_OP_CONV_2D || ops[i].opcode == NN_OP_DEPTHWISE_CONV_2D);
}

/* Channels of quantisation a grouped pointwise layer step decodes at a time. */
#define SP_QUANT_GROUP 64u

/* A 1x1, stride 1, unpadded CONV_2D wider than SP_QUANT_GROUP: as a layer step it runs one
 * pixel and SP_QUANT_GROUP output channels per kernel call, so its decoded quantisation
 * never needs more than SP_QUANT_GROUP channels of arena. */
int sp_grouped_pointwise(const nn_model *m, const sp_op *ops, uint32_t i);

/* Whether op i, run as a layer step, may write its output over its input: a DEPTHWISE_CONV_2D
 * with depth multiplier 1, batch 1, output no larger than its input in H and W, whose input is
 * the whole output of an earlier non-depthwise op read by nothing after op i (not the graph input). */
int sp_inplace_legal(const nn_model *m, const sp_op *ops, uint32_t i);

/* Output row y of an in-place depthwise step (out_h rows of orow bytes over input rows of irow
 * bytes, stride sh, pad top pt) may be written over the input once output rows [0, result] are
 * computed: every output row that reads an input row overlapping row y's destination bytes. */
static inline uint32_t sp_inplace_wait(uint32_t y, uint32_t out_h, uint32_t irow, uint32_t orow, uint32_t sh,
                                       uint32_t pt)
{
    /* last input row overlapped; (y + 1) * orow <= the output's bytes <= NN_MAX_TENSOR_ELEMENTS
     * (the reader's bound), so 32 bits hold it (a 64-bit division is a long library call on the board) */
    const uint32_t r_hi = ((y + 1u) * orow - 1u) / irow;
    const uint32_t last = (r_hi + pt) / sh; /* last output row whose first tap row is <= r_hi */
    return last < out_h - 1u ? (last < y ? y : last) : out_h - 1u;
}

/* Rows of the delay buffer an in-place depthwise step needs. */
static inline uint32_t sp_inplace_rows(uint32_t out_h, uint32_t irow, uint32_t orow, uint32_t sh, uint32_t pt)
{
    uint32_t y, d = 1;
    for (y = 0; y < out_h; y++) {
        const uint32_t r = sp_inplace_wait(y, out_h, irow, orow, sh, pt) - y + 1u;
        if (r > d) {
            d = r;
        }
    }
    return d;
}

/* nn_quant_decode_range's path for 32-bit cores (nn_quant_block.c; bias 1..31 bits, shift 0..24),
 * which the streaming executor runs once per row: declared here so that a 64-bit host's tests
 * can hold it to the records too. */
void nn_quant_decode_range32(const uint8_t *block, const nn_quant_header *h, uint32_t first, uint32_t count,
                             int32_t *bias, int32_t *multiplier, int32_t *shift);

/* Whether op i can be part of a streamed chain (needs its effective inputs set). */
int sp_streamable(const nn_model *m, const sp_op *ops, uint32_t i);

#endif

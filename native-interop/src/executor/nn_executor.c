/*
 * nn_executor.c - the layer-by-layer executor.
 *
 * Arena layout (all regions 16-aligned; the caller's pointer is aligned up first):
 *   [plan records: (op_count + 1) x 16 B][quant: max_channels x (bias, multiplier, shift) int32]
 *   [activations: peak bytes]
 * Plan record k describes one placed tensor: k = 0 is the graph input, k = i + 1 the output of
 * op i (each op writes exactly one tensor, and no tensor twice, so this covers every tensor
 * that ever holds data). Its lifetime is [first write, last read] in op steps (the graph input
 * is live from step 0, the graph output to the end). Tensors are placed largest first, each at
 * the lowest 16-aligned offset that does not overlap a placed tensor with an overlapping
 * lifetime (first fit).
 *
 * nn_executor_arena_size() must know the peak before any arena exists: it plans on the stack
 * for models of up to NN_PLAN_STACK_RECORDS placed tensors (the same algorithm, so the same
 * peak) and otherwise returns the no-reuse bound (sum of all tensor sizes), which first fit
 * never exceeds.
 */
#include <string.h>

#include "../model/nn_model_internal.h"
#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_kernel_table.h"
#include "nn_op_params.h"

#ifndef NN_PLAN_STACK_RECORDS
#define NN_PLAN_STACK_RECORDS 96u /* 96 x 16 B = 1.5 KiB of stack */
#endif

#define NN_ALIGN 16u
#define NN_UNPLACED 0xFFFFFFFFu

typedef struct plan_rec {
    uint32_t offset; /* within the activation region, or NN_UNPLACED */
    uint32_t size;   /* bytes, rounded up to NN_ALIGN */
    uint16_t tensor;
    uint16_t first;
    uint16_t last;
    uint16_t pad_;
} plan_rec;

static uint64_t align_up(uint64_t v)
{
    return (v + (NN_ALIGN - 1u)) & ~(uint64_t)(NN_ALIGN - 1u);
}

/* Fill the records' tensor, size and lifetime; returns the record count (op_count + 1). */
static uint32_t plan_lifetimes(const nn_model *m, plan_rec *r)
{
    const uint32_t n = (uint32_t)m->op_count + 1u;
    const uint8_t *rec = m->ops;
    uint32_t i, k;

    r[0].tensor = m->input_tensor;
    r[0].first = 0;
    r[0].last = 0;
    for (i = 0; i < m->op_count; i++) {
        nn_op_view op;
        nn_op_read(rec, &op);
        r[i + 1].tensor = (uint16_t)op.output;
        r[i + 1].first = (uint16_t)i;
        r[i + 1].last = (uint16_t)i;
        rec += op.record_size;
    }
    rec = m->ops;
    for (i = 0; i < m->op_count; i++) {
        nn_op_view op;
        nn_op_read(rec, &op);
        /* inputs were produced before op i, so their records are 0 .. i */
        for (k = 0; k <= i; k++) {
            if (r[k].tensor == op.input0 || (op.input1 != NN_NO_TENSOR && r[k].tensor == op.input1)) {
                r[k].last = (uint16_t)i;
            }
        }
        rec += op.record_size;
    }
    for (k = 0; k < n; k++) {
        r[k].size = (uint32_t)align_up(nn_tensor_elements(m, r[k].tensor));
        r[k].offset = NN_UNPLACED;
        r[k].pad_ = 0;
        if (r[k].tensor == m->output_tensor) {
            r[k].last = m->op_count; /* live until copied out */
        }
    }
    return n;
}

/* Largest first, first fit. Returns the peak (end of the highest placed tensor). */
static uint64_t plan_place(plan_rec *r, uint32_t n)
{
    uint64_t peak = 0;
    uint32_t placed;
    for (placed = 0; placed < n; placed++) {
        uint32_t best = NN_UNPLACED, k, j;
        uint64_t cand = 0;
        int moved;
        for (k = 0; k < n; k++) {
            if (r[k].offset == NN_UNPLACED && (best == NN_UNPLACED || r[k].size > r[best].size)) {
                best = k;
            }
        }
        /* Every bump moves cand past a block that overlaps every position in [cand, its end),
         * so the first position that survives a full pass is the lowest feasible one. */
        do {
            moved = 0;
            for (j = 0; j < n; j++) {
                if (r[j].offset == NN_UNPLACED || r[j].last < r[best].first || r[best].last < r[j].first) {
                    continue;
                }
                if (cand < (uint64_t)r[j].offset + r[j].size && (uint64_t)r[j].offset < cand + r[best].size) {
                    cand = (uint64_t)r[j].offset + r[j].size;
                    moved = 1;
                }
            }
        } while (moved);
        r[best].offset = (uint32_t)cand; /* cand <= sum of sizes <= 1025 * 4 MiB < 2^32 */
        if (cand + r[best].size > peak) {
            peak = cand + r[best].size;
        }
    }
    return peak;
}

static uint64_t plan_bytes(const nn_model *m)
{
    return align_up(((uint64_t)m->op_count + 1u) * sizeof(plan_rec));
}

static uint64_t quant_bytes(const nn_model *m)
{
    return align_up((uint64_t)m->max_channels * 3u * sizeof(int32_t));
}

/* Peak activation bytes as nn_executor_arena_size() budgets them. */
static uint64_t activation_budget(const nn_model *m)
{
    const uint32_t n = (uint32_t)m->op_count + 1u;
    if (n <= NN_PLAN_STACK_RECORDS) {
        plan_rec r[NN_PLAN_STACK_RECORDS];
        plan_lifetimes(m, r);
        return plan_place(r, n);
    } else {
        uint64_t sum = align_up(nn_tensor_elements(m, m->input_tensor));
        const uint8_t *rec = m->ops;
        uint32_t i;
        for (i = 0; i < m->op_count; i++) {
            nn_op_view op;
            nn_op_read(rec, &op);
            sum += align_up(nn_tensor_elements(m, op.output));
            rec += op.record_size;
        }
        return sum;
    }
}

static int model_ok(const nn_model *m)
{
    return m != NULL && m->blob != NULL && m->ops != NULL && m->tensors != NULL && m->op_count > 0;
}

size_t nn_executor_arena_size(const nn_model *model)
{
    uint64_t total;
    if (!model_ok(model)) {
        return 0;
    }
    total = (NN_ALIGN - 1u) + plan_bytes(model) + quant_bytes(model) + activation_budget(model);
    if (total > (uint64_t)(size_t)-1) {
        return 0;
    }
    return (size_t)total;
}

static int8_t *tensor_ptr(const plan_rec *r, uint32_t n, uint8_t *activations, uint32_t tensor)
{
    uint32_t k;
    for (k = 0; k < n; k++) {
        if (r[k].tensor == tensor) {
            return (int8_t *)(activations + r[k].offset);
        }
    }
    return NULL;
}

nn_status nn_executor_run(const nn_model *model,
                          const int8_t *input, size_t input_size,
                          int8_t *output, size_t output_size,
                          uint8_t *arena, size_t arena_size,
                          nn_tensor_observer observer, void *user)
{
    return nn_executor_run_with_kernels(model, input, input_size, output, output_size, arena, arena_size,
                                        observer, user, NULL);
}

nn_status nn_executor_run_with_kernels(const nn_model *model,
                                       const int8_t *input, size_t input_size,
                                       int8_t *output, size_t output_size,
                                       uint8_t *arena, size_t arena_size,
                                       nn_tensor_observer observer, void *user,
                                       const nn_kernel_table *kernels)
{
    const nn_kernel_table *kt = kernels != NULL ? kernels : nn_default_kernels();
    const nn_model *m = model;
    size_t need, slack;
    uint8_t *base, *activations;
    plan_rec *plan;
    int32_t *q_bias, *q_mult, *q_shift;
    uint32_t n, i;
    uint64_t peak;
    const uint8_t *rec;

    if (!model_ok(m) || input == NULL || output == NULL || arena == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (input_size != nn_tensor_elements(m, m->input_tensor)) {
        return NN_ERR_INPUT_SIZE;
    }
    if (output_size != nn_tensor_elements(m, m->output_tensor)) {
        return NN_ERR_OUTPUT_SIZE;
    }
    need = nn_executor_arena_size(m);
    if (need == 0 || arena_size < need) { /* 0: the arena would not fit in size_t */
        return NN_ERR_ARENA_TOO_SMALL;
    }
    slack = (size_t)((NN_ALIGN - ((uintptr_t)arena & (NN_ALIGN - 1u))) & (NN_ALIGN - 1u));
    base = arena + slack;
    plan = (plan_rec *)(void *)base;
    q_bias = (int32_t *)(void *)(base + plan_bytes(m));
    q_mult = q_bias + m->max_channels;
    q_shift = q_mult + m->max_channels;
    activations = base + plan_bytes(m) + quant_bytes(m);

    n = plan_lifetimes(m, plan);
    peak = plan_place(plan, n);
    if ((uint64_t)(size_t)(activations - arena) + peak > (uint64_t)arena_size) { /* cannot happen */
        return NN_ERR_INTERNAL;
    }

    memcpy(tensor_ptr(plan, n, activations, m->input_tensor), input, input_size);

    rec = m->ops;
    for (i = 0; i < m->op_count; i++) {
        nn_op_view op;
        const uint8_t *b;
        const int8_t *in0, *in1 = NULL;
        int8_t *out;
        nn_dims in_dims, out_dims;
        int32_t zp_in, zp_out;
        uint32_t out_elements;

        nn_op_read(rec, &op);
        b = op.body;
        in0 = tensor_ptr(plan, n, activations, op.input0);
        if (op.input1 != NN_NO_TENSOR) {
            in1 = tensor_ptr(plan, n, activations, op.input1);
        }
        out = tensor_ptr(plan, n, activations, op.output);
        if (in0 == NULL || out == NULL || (op.opcode == NN_OP_ADD && in1 == NULL)) {
            return NN_ERR_INTERNAL;
        }
        zp_in = nn_tensor_zero_point(m, op.input0);
        zp_out = nn_tensor_zero_point(m, op.output);
        out_elements = nn_tensor_elements(m, op.output);
        nn_tensor_nhwc(m, op.input0, &in_dims);
        nn_tensor_nhwc(m, op.output, &out_dims);

        switch (op.opcode) {
        case NN_OP_CONV_2D:
        case NN_OP_DEPTHWISE_CONV_2D: {
            nn_conv_params p;
            nn_channel_quant q;
            nn_dims f;
            const int8_t *weights = (const int8_t *)(m->blob + nn_ld_u32(b + 16));
            const int depthwise = op.opcode == NN_OP_DEPTHWISE_CONV_2D;
            nn_op_conv_params(b, zp_in, zp_out, &p);
            nn_quant_decode(m->blob + nn_ld_u32(b + 20), q_bias, q_mult, q_shift);
            q.multiplier = q_mult;
            q.shift = q_shift;
            nn_op_conv_filter_dims(b, depthwise, &in_dims, &out_dims, &f);
            if (depthwise) {
                nn_op_depthwise_call(kt, m, i, &p, &q, &in_dims, in0, &f, weights, q_bias, &out_dims, out);
            } else {
                nn_op_conv_call(kt, m, i, &p, &q, &in_dims, in0, &f, weights, 0, q_bias, &out_dims, out);
            }
            break;
        }
        case NN_OP_FULLY_CONNECTED: {
            nn_fc_params p;
            nn_channel_quant q;
            const uint32_t out_depth = nn_tensor_last_dim(m, op.output);
            const uint32_t batches = out_elements / out_depth;
            const uint32_t in_depth = nn_tensor_elements(m, op.input0) / batches;
            nn_op_fc_params(b, zp_in, zp_out, &p);
            nn_quant_decode(m->blob + nn_ld_u32(b + 8), q_bias, q_mult, q_shift);
            q.multiplier = q_mult;
            q.shift = q_shift;
            kt->fully_connected(&p, &q, (int32_t)batches, (int32_t)in_depth, (int32_t)out_depth, in0,
                                (const int8_t *)(m->blob + nn_ld_u32(b + 4)), q_bias, out);
            break;
        }
        case NN_OP_AVERAGE_POOL_2D: {
            nn_pool_params p;
            nn_op_pool_params(b, &p);
            kt->avg_pool(&p, &in_dims, in0, &out_dims, out);
            break;
        }
        case NN_OP_MEAN: {
            nn_mean_params p;
            nn_op_mean_params(b, zp_in, zp_out, &p);
            kt->mean_hw(&p, &in_dims, in0, out);
            break;
        }
        case NN_OP_SOFTMAX: {
            nn_softmax_params p;
            const uint32_t depth = nn_tensor_last_dim(m, op.output);
            nn_op_softmax_params(b, &p);
            kt->softmax(&p, (int32_t)(out_elements / depth), (int32_t)depth, in0, out);
            break;
        }
        case NN_OP_ADD: {
            nn_add_params p;
            nn_op_add_params(b, zp_in, nn_tensor_zero_point(m, op.input1), zp_out, &p);
            kt->add(&p, (int32_t)out_elements, in0, in1, out);
            break;
        }
        case NN_OP_PAD: {
            nn_pad_params p;
            nn_op_pad_params(b, zp_out, &p);
            kt->pad(&p, &in_dims, in0, &out_dims, out);
            break;
        }
        case NN_OP_RESHAPE:
            memmove(out, in0, out_elements);
            break;
        default:
            return NN_ERR_INTERNAL;
        }

        if (observer != NULL) {
            observer(user, i, op.output, out, out_elements);
        }
        rec += op.record_size;
    }

    memcpy(output, tensor_ptr(plan, n, activations, m->output_tensor), output_size);
    return NN_OK;
}

uint64_t nn_model_macs(const nn_model *model)
{
    const uint8_t *rec;
    uint64_t macs = 0;
    uint32_t i;
    if (!model_ok(model)) {
        return 0;
    }
    rec = model->ops;
    for (i = 0; i < model->op_count; i++) {
        nn_op_view op;
        nn_dims in, out;
        nn_op_read(rec, &op);
        nn_tensor_nhwc(model, op.input0, &in);
        nn_tensor_nhwc(model, op.output, &out);
        if (op.opcode == NN_OP_CONV_2D || op.opcode == NN_OP_DEPTHWISE_CONV_2D) {
            const uint64_t k = (uint64_t)nn_ld_u8(op.body + 0) * nn_ld_u8(op.body + 1);
            uint64_t v = (uint64_t)out.n * (uint64_t)out.h * (uint64_t)out.w * (uint64_t)out.c * k;
            if (op.opcode == NN_OP_CONV_2D) {
                v *= (uint64_t)in.c;
            }
            macs += v;
        } else if (op.opcode == NN_OP_FULLY_CONNECTED) {
            /* batches * in_depth * out_depth == input elements * out_depth */
            macs += (uint64_t)nn_tensor_elements(model, op.input0) * nn_tensor_last_dim(model, op.output);
        }
        rec += op.record_size;
    }
    return macs;
}

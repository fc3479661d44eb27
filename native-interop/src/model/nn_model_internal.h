/*
 * nn_model_internal.h - private helpers shared by the model reader and the executor:
 * explicit little-endian loads, the op record view, tensor views and the channel
 * quantisation block decoder. Not part of the public API.
 *
 * Everything here trusts its arguments: callers either validated the bytes first
 * (the reader checks ranges before calling a loader) or run on a model that
 * nn_model_parse() accepted.
 */
#ifndef NANONET_NN_MODEL_INTERNAL_H
#define NANONET_NN_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nanonet/nn_format.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_model.h"

/* ---- little-endian loads (no struct casts, no alignment assumptions) ---- */

static inline uint32_t nn_ld_u8(const uint8_t *p)
{
    return (uint32_t)p[0];
}

static inline int32_t nn_ld_i8(const uint8_t *p)
{
    const int32_t v = (int32_t)p[0];
    return v >= 128 ? v - 256 : v;
}

static inline uint32_t nn_ld_u16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static inline uint32_t nn_ld_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Two's complement int32 from four little-endian bytes, without implementation-defined casts. */
static inline int32_t nn_ld_i32(const uint8_t *p)
{
    const uint32_t u = nn_ld_u32(p);
    if (u & 0x80000000u) {
        return (int32_t)(u - 0x80000000u) - (int32_t)0x40000000 - (int32_t)0x40000000;
    }
    return (int32_t)u;
}

/* ---- header field offsets ---- */
#define NN_H_MAGIC 0u
#define NN_H_VERSION 4u
#define NN_H_HEADER_SIZE 6u
#define NN_H_TOTAL_SIZE 8u
#define NN_H_CRC32 12u
#define NN_H_FLAGS 16u
#define NN_H_TENSOR_COUNT 20u
#define NN_H_OP_COUNT 22u
#define NN_H_INPUT_SPEC_OFFSET 24u
#define NN_H_TENSORS_OFFSET 28u
#define NN_H_OPS_OFFSET 32u
#define NN_H_OPS_SIZE 36u
#define NN_H_LABELS_OFFSET 40u
#define NN_H_LABEL_COUNT 44u
#define NN_H_INPUT_TENSOR 46u
#define NN_H_OUTPUT_TENSOR 48u
#define NN_H_RESERVED0 50u
#define NN_H_DATA_OFFSET 52u
#define NN_H_DATA_SIZE 56u
#define NN_H_RESERVED1 60u

/* ---- op records ---- */

typedef struct nn_op_view {
    uint32_t opcode;
    uint32_t record_size;
    uint32_t input0;
    uint32_t input1;
    uint32_t output;
    const uint8_t *body;
} nn_op_view;

/* Body size of a known opcode, or -1 for an unknown one. */
static inline int32_t nn_op_body_size(uint32_t opcode)
{
    switch (opcode) {
    case NN_OP_CONV_2D:
    case NN_OP_DEPTHWISE_CONV_2D: return (int32_t)NN_CONV_BODY_SIZE;
    case NN_OP_AVERAGE_POOL_2D: return (int32_t)NN_POOL_BODY_SIZE;
    case NN_OP_MEAN: return (int32_t)NN_MEAN_BODY_SIZE;
    case NN_OP_FULLY_CONNECTED: return (int32_t)NN_FC_BODY_SIZE;
    case NN_OP_RESHAPE: return (int32_t)NN_RESHAPE_BODY_SIZE;
    case NN_OP_SOFTMAX: return (int32_t)NN_SOFTMAX_BODY_SIZE;
    case NN_OP_ADD: return (int32_t)NN_ADD_BODY_SIZE;
    case NN_OP_PAD: return (int32_t)NN_PAD_BODY_SIZE;
    default: return -1;
    }
}

/* Decode the op record at rec (which must hold at least NN_OP_HEADER_SIZE bytes). */
static inline void nn_op_read(const uint8_t *rec, nn_op_view *op)
{
    op->opcode = nn_ld_u8(rec + 0);
    op->record_size = nn_ld_u16(rec + 2);
    op->input0 = nn_ld_u16(rec + 4);
    op->input1 = nn_ld_u16(rec + 6);
    op->output = nn_ld_u16(rec + 8);
    op->body = rec + NN_OP_HEADER_SIZE;
}

/* ---- tensors (validated model only) ---- */

static inline const uint8_t *nn_tensor_entry(const nn_model *m, uint32_t t)
{
    return m->tensors + (size_t)t * NN_TENSOR_ENTRY_SIZE;
}

static inline uint32_t nn_tensor_elements(const nn_model *m, uint32_t t)
{
    const uint8_t *e = nn_tensor_entry(m, t);
    const uint32_t rank = nn_ld_u8(e + 1);
    uint32_t n = 1, d;
    for (d = 0; d < rank; d++) {
        n *= nn_ld_u16(e + 4 + 2 * d);
    }
    return n;
}

static inline int32_t nn_tensor_zero_point(const nn_model *m, uint32_t t)
{
    return nn_ld_i32(nn_tensor_entry(m, t) + 16);
}

static inline uint32_t nn_tensor_last_dim(const nn_model *m, uint32_t t)
{
    const uint8_t *e = nn_tensor_entry(m, t);
    const uint32_t rank = nn_ld_u8(e + 1);
    return nn_ld_u16(e + 4 + 2 * (rank - 1));
}

/* NHWC view: a rank < 4 tensor is [1, 1, ..., dims] padded on the left with ones. */
static inline void nn_tensor_nhwc(const nn_model *m, uint32_t t, nn_dims *dims)
{
    const uint8_t *e = nn_tensor_entry(m, t);
    const uint32_t rank = nn_ld_u8(e + 1);
    int32_t v[4] = {1, 1, 1, 1};
    uint32_t d;
    for (d = 0; d < rank && d < 4; d++) {
        v[4 - rank + d] = (int32_t)nn_ld_u16(e + 4 + 2 * d);
    }
    dims->n = v[0];
    dims->h = v[1];
    dims->w = v[2];
    dims->c = v[3];
}

/* ---- channel quantisation block (nn_quant_block.c) ---- */

typedef struct nn_quant_header {
    uint32_t encoding;
    uint32_t bias_bits;
    uint32_t mult_bits;
    uint32_t shift_bits;
    int32_t shift_base;
    uint32_t reserved;       /* bytes 5..7 and 10..11 OR-ed together: must be 0 */
    uint32_t channel_count;
} nn_quant_header;

/*
 * The convolution and pooling output-size rule of the format (nn_format.h), shared by the reader
 * and by the planner, which must only ever fold a PAD into a convolution when the folded op still
 * satisfies every rule the reader proves for a convolution:
 * out == (in + pad_before + pad_after - eff_k) / stride + 1 for some pad_after in [0, eff_k - 1],
 * with a non-negative numerator.
 */
static inline int nn_out_size_ok(uint32_t in, uint32_t pad_before, uint32_t eff_k, uint32_t stride, uint32_t out)
{
    const int64_t lo = (int64_t)in + (int64_t)pad_before - (int64_t)eff_k;
    const int64_t hi = (int64_t)in + (int64_t)pad_before - 1;
    const int64_t q_min = (lo > 0 ? lo : 0) / (int64_t)stride;
    const int64_t q_max = hi / (int64_t)stride;
    if (out < 1 || hi < 0) {
        return 0;
    }
    return (int64_t)out - 1 >= q_min && (int64_t)out - 1 <= q_max;
}

/* Same NHWC view (N, H, W and C equal). */
static inline int nn_dims_equal(const nn_dims *a, const nn_dims *b)
{
    return a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c;
}

/* Read the 12-byte header at block. */
void nn_quant_read_header(const uint8_t *block, nn_quant_header *h);

/* Whole block size in bytes: 12 + ceil(channel_count * record_bits / 8). Needs bits within limits. */
uint32_t nn_quant_block_size(const nn_quant_header *h);

/* Decode record `index` (the block must be in bounds and the header valid). */
void nn_quant_record(const uint8_t *block, const nn_quant_header *h, uint32_t index,
                     int32_t *bias, int32_t *multiplier, int32_t *shift);

/* Decode records [first, first + count) into the three arrays (count entries each; the block
 * must be in bounds and the header valid): the same values as nn_quant_record, read sequentially. */
void nn_quant_decode_range(const uint8_t *block, const nn_quant_header *h, uint32_t first, uint32_t count,
                           int32_t *bias, int32_t *multiplier, int32_t *shift);

/* Decode every channel into the three arrays (channel_count entries each). Returns channel_count. */
uint32_t nn_quant_decode(const uint8_t *block, int32_t *bias, int32_t *multiplier, int32_t *shift);

/* CRC update over a buffer (state is the non-inverted running value; start with 0xFFFFFFFF). */
uint32_t nn_crc32_update(uint32_t state, const uint8_t *data, size_t size);

#endif

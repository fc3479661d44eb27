/*
 * nn_model.c - the packed model reader: validates every field of a .nnb blob (nn_format.h)
 * before anything uses it.
 *
 * Order of checks (each step only reads bytes the previous steps proved to be in bounds):
 *   1. magic (on the bytes present), header length, version, header_size, total_size == size
 *   2. CRC32 over the whole blob
 *   3. flags, reserved fields, counts
 *   4. section offsets: ordering, sizes (64-bit sums, never wrapping), alignment
 *   5. input spec, 6. tensor table, 7. input spec against the input tensor
 *   8. op table, record by record: opcode, record size, tensor references and order,
 *      then the op's parameters, shapes, weights range and quantisation block
 *   9. graph output produced, 10. label table
 * All arithmetic on values read from the blob is done in uint64_t or checked before use.
 * On error, *diag receives the status, the op / tensor index and the byte offset of the field.
 */
#include <string.h>

#include "nn_model_internal.h"

typedef struct parse_ctx {
    const uint8_t *blob;
    uint64_t size;
    uint64_t data_begin;
    uint64_t data_end;
    uint32_t tensor_count;
    nn_diag *diag;
    int32_t op_index;
    uint32_t max_channels;
} parse_ctx;

static nn_status fail(parse_ctx *c, nn_status status, int32_t tensor_index, uint64_t byte_offset)
{
    if (c->diag != NULL) {
        c->diag->status = (int32_t)status;
        c->diag->op_index = c->op_index;
        c->diag->tensor_index = tensor_index;
        c->diag->byte_offset = byte_offset <= 0x7FFFFFFFu ? (int32_t)byte_offset : -1;
    }
    return status;
}

#define NO_OFFSET ((uint64_t)0xFFFFFFFFFFFFFFFFu)
#define FAIL(c, status, tensor, offset) return fail((c), (status), (tensor), (offset))

/* ---------------------------------------------------------------- helpers */

/* [offset, offset + size) inside the data section. */
static int in_data(const parse_ctx *c, uint64_t offset, uint64_t size)
{
    return offset >= c->data_begin && offset <= c->data_end && size <= c->data_end - offset;
}

static nn_status check_weights(parse_ctx *c, uint64_t field, uint64_t size)
{
    const uint64_t offset = nn_ld_u32(c->blob + field);
    if (!in_data(c, offset, size)) {
        FAIL(c, NN_ERR_BAD_OFFSET, -1, field);
    }
    if (offset % NN_WEIGHTS_ALIGNMENT != 0) {
        FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, field);
    }
    return NN_OK;
}

/*
 * Largest |value| an int32 may reach before the final "+ output_offset" (|offset| <= 128):
 * the reader only accepts parameters for which the kernels' int32 arithmetic is exact.
 */
#define NN_ACC_LIMIT ((int64_t)0x7FFFFFFF - 128)
/* |w * (x + input_offset)| <= 128 * 255 */
#define NN_MAX_PRODUCT 32640

/* |acc| <= bound, shifted left by max(shift, 0), stays within NN_ACC_LIMIT. */
static int requant_exact(int64_t bound, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    return bound <= (NN_ACC_LIMIT >> left);
}

/*
 * The channel quantisation block whose offset is stored at `field`, for `channels` outputs,
 * each accumulating `taps` products: besides the format rules, every channel must satisfy
 * (taps * 32640 + |bias|) * 2^max(shift, 0) <= 2^31 - 1 - 128, which proves the int32
 * accumulation, MultiplyByQuantizedMultiplier's left shift and the output offset exact.
 */
static nn_status check_quant(parse_ctx *c, uint64_t field, uint32_t channels, uint64_t taps)
{
    const uint64_t q = nn_ld_u32(c->blob + field);
    const uint8_t *block;
    nn_quant_header h;
    uint32_t i;

    if (!in_data(c, q, NN_QUANT_HEADER_SIZE)) {
        FAIL(c, NN_ERR_BAD_OFFSET, -1, field);
    }
    if (q % NN_BLOCK_ALIGNMENT != 0) {
        FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, field);
    }
    block = c->blob + q;
    nn_quant_read_header(block, &h);
    if (h.encoding != NN_QUANT_PACKED) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 0);
    }
    if (h.bias_bits > 32u) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 1);
    }
    if (h.mult_bits < 1u || h.mult_bits > 31u) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 2);
    }
    if (h.shift_bits > 6u) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 3);
    }
    if (h.reserved != 0) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 5);
    }
    if (h.channel_count != channels || channels > NN_MAX_CHANNELS) {
        FAIL(c, NN_ERR_BAD_QUANT, -1, q + 8);
    }
    if (!in_data(c, q, nn_quant_block_size(&h))) {
        FAIL(c, NN_ERR_BAD_OFFSET, -1, q + 8);
    }
    for (i = 0; i < h.channel_count; i++) {
        int32_t bias, mult, shift;
        const uint64_t record_byte = q + NN_QUANT_HEADER_SIZE +
                                     ((uint64_t)i * (h.bias_bits + h.mult_bits + h.shift_bits)) / 8u;
        nn_quant_record(block, &h, i, &bias, &mult, &shift);
        if (mult != 0 && mult < (int32_t)0x40000000) {
            FAIL(c, NN_ERR_BAD_QUANT, -1, record_byte);
        }
        if (shift < NN_MIN_SHIFT || shift > NN_MAX_SHIFT) {
            FAIL(c, NN_ERR_BAD_QUANT, -1, record_byte);
        }
        if (taps > (uint64_t)NN_ACC_LIMIT ||
            !requant_exact((int64_t)taps * NN_MAX_PRODUCT + (bias < 0 ? -(int64_t)bias : (int64_t)bias), shift)) {
            FAIL(c, NN_ERR_BAD_QUANT, -1, record_byte);
        }
    }
    if (h.channel_count > c->max_channels) {
        c->max_channels = h.channel_count;
    }
    return NN_OK;
}

/* Tensor fields read straight from the (already validated) tensor table. */
static uint32_t t_elements(const parse_ctx *c, const nn_model *m, uint32_t t)
{
    (void)c;
    return nn_tensor_elements(m, t);
}

/* ---------------------------------------------------------------- op bodies */

static nn_status check_conv(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body, int depthwise)
{
    const uint8_t *b = c->blob + body;
    const uint32_t kh = nn_ld_u8(b + 0), kw = nn_ld_u8(b + 1);
    const uint32_t sh = nn_ld_u8(b + 2), sw = nn_ld_u8(b + 3);
    const uint32_t dh = nn_ld_u8(b + 4), dw = nn_ld_u8(b + 5);
    const uint32_t pt = nn_ld_u8(b + 6), pl = nn_ld_u8(b + 7);
    const uint32_t dm = nn_ld_u16(b + 8);
    const int32_t act_min = nn_ld_i8(b + 12), act_max = nn_ld_i8(b + 13);
    nn_dims in, out;
    uint64_t weights_size;
    nn_status s;

    if (kh < 1 || kh > NN_MAX_KERNEL) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    if (kw < 1 || kw > NN_MAX_KERNEL) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 1);
    if (sh < 1 || sh > NN_MAX_STRIDE) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 2);
    if (sw < 1 || sw > NN_MAX_STRIDE) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 3);
    if (dh < 1 || dh > NN_MAX_DILATION) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4);
    if (dw < 1 || dw > NN_MAX_DILATION) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 5);
    if (pt > (kh - 1) * dh) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 6);
    if (pl > (kw - 1) * dw) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 7);
    if (depthwise ? (dm < 1) : (dm != 1)) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 8);
    if (nn_ld_u16(b + 10) != 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 10);
    if (act_min > act_max) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 12);
    if (nn_ld_u16(b + 14) != 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 14);

    nn_tensor_nhwc(m, op->input0, &in);
    nn_tensor_nhwc(m, op->output, &out);
    if (out.n != in.n) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    if (depthwise && (uint64_t)out.c != (uint64_t)in.c * dm) {
        FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    }
    if (!nn_out_size_ok((uint32_t)in.h, pt, (kh - 1) * dh + 1, sh, (uint32_t)out.h) ||
        !nn_out_size_ok((uint32_t)in.w, pl, (kw - 1) * dw + 1, sw, (uint32_t)out.w)) {
        FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    }
    weights_size = (uint64_t)kh * kw * (uint64_t)out.c * (depthwise ? 1u : (uint64_t)in.c);
    s = check_weights(c, body + 16, weights_size);
    if (s != NN_OK) return s;
    return check_quant(c, body + 20, (uint32_t)out.c,
                       (uint64_t)kh * kw * (depthwise ? 1u : (uint64_t)in.c));
}

static nn_status check_fc(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    const int32_t act_min = nn_ld_i8(b + 0), act_max = nn_ld_i8(b + 1);
    const uint32_t out_depth = nn_tensor_last_dim(m, op->output);
    const uint32_t out_elements = t_elements(c, m, op->output);
    const uint32_t in_elements = t_elements(c, m, op->input0);
    uint32_t batches, in_depth;
    nn_status s;

    if (act_min > act_max) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    if (nn_ld_u8(b + 2) > 1u) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 2);
    if (nn_ld_u8(b + 3) != 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 3);
    batches = out_elements / out_depth; /* out_depth is a dim of the output: exact */
    if (in_elements % batches != 0) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->input0, NO_OFFSET);
    in_depth = in_elements / batches;
    s = check_weights(c, body + 4, (uint64_t)out_depth * in_depth);
    if (s != NN_OK) return s;
    return check_quant(c, body + 8, out_depth, in_depth);
}

static nn_status check_pool(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    const uint32_t fh = nn_ld_u8(b + 0), fw = nn_ld_u8(b + 1);
    const uint32_t sh = nn_ld_u8(b + 2), sw = nn_ld_u8(b + 3);
    const uint32_t pt = nn_ld_u8(b + 4), pl = nn_ld_u8(b + 5);
    const int32_t act_min = nn_ld_i8(b + 6), act_max = nn_ld_i8(b + 7);
    nn_dims in, out;

    if (fh < 1) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    if (fw < 1) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 1);
    if (sh < 1) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 2);
    if (sw < 1) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 3);
    /* pad_before < filter (and the output size rule) guarantee every window has an in-bounds tap */
    if (pt >= fh) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4);
    if (pl >= fw) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 5);
    if (act_min > act_max) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 6);
    if (nn_tensor_zero_point(m, op->input0) != nn_tensor_zero_point(m, op->output)) {
        FAIL(c, NN_ERR_BAD_PARAM, (int32_t)op->output, NO_OFFSET);
    }
    nn_tensor_nhwc(m, op->input0, &in);
    nn_tensor_nhwc(m, op->output, &out);
    if (out.n != in.n || out.c != in.c ||
        !nn_out_size_ok((uint32_t)in.h, pt, fh, sh, (uint32_t)out.h) ||
        !nn_out_size_ok((uint32_t)in.w, pl, fw, sw, (uint32_t)out.w)) {
        FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    }
    return NN_OK;
}

static nn_status check_mean(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    const int32_t multiplier = nn_ld_i32(b + 0);
    const int32_t shift = nn_ld_i8(b + 4);
    nn_dims in;
    int64_t n;
    int32_t s = 0, folded_shift;

    if (multiplier != 0 && multiplier < (int32_t)0x40000000) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    if (shift < NN_MIN_SHIFT || shift > NN_MAX_SHIFT) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4);
    if ((nn_ld_u8(b + 5) | nn_ld_u8(b + 6) | nn_ld_u8(b + 7)) != 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 5);
    nn_tensor_nhwc(m, op->input0, &in);
    /* The kernel folds 1/N (N = H*W) into the multiplier with s = min(floor(log2 N), 32, 31 + shift)
     * and requantises |sum - zp * N| <= 255 * N with shift - s: that must be exact. */
    n = (int64_t)in.h * in.w;
    while ((n >> (s + 1)) > 0) {
        s++;
    }
    if (s > 31 + shift) {
        s = 31 + shift;
    }
    folded_shift = shift - s;
    if (!requant_exact(255 * n, folded_shift)) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4);
    if ((uint64_t)t_elements(c, m, op->output) != (uint64_t)in.n * (uint64_t)in.c ||
        nn_tensor_last_dim(m, op->output) != (uint32_t)in.c) {
        FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    }
    return NN_OK;
}

static nn_status check_softmax(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    const int32_t multiplier = nn_ld_i32(b + 0);
    const int32_t left_shift = nn_ld_i32(b + 4);
    const int32_t diff_min = nn_ld_i32(b + 8);

    if (multiplier != 0 && multiplier < (int32_t)0x40000000) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    if (left_shift < 0 || left_shift > 31) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4);
    /* diff_min <= 0 and every accepted difference d >= diff_min has |d| * 2^left_shift < 2^31
     * (TFLM's diff_min = -floor(31 * 2^26 / 2^left_shift) satisfies this). */
    if (diff_min > 0 || ((uint64_t)(-(int64_t)diff_min) << left_shift) > 0x7FFFFFFFu) {
        FAIL(c, NN_ERR_BAD_PARAM, -1, body + 8);
    }
    if (t_elements(c, m, op->input0) != t_elements(c, m, op->output) ||
        nn_tensor_last_dim(m, op->input0) != nn_tensor_last_dim(m, op->output)) {
        FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, NO_OFFSET);
    }
    if (nn_tensor_zero_point(m, op->output) != -128) {
        FAIL(c, NN_ERR_BAD_PARAM, (int32_t)op->output, NO_OFFSET);
    }
    return NN_OK;
}

/* ADD parameters are TFLM's: left_shift 20 for int8 and every real multiplier below one, so the
 * reader accepts left_shift 0..22 and shifts <= 0; this keeps the kernel's int32 sums exact
 * (2 * 255 * 2^22 < 2^31). */
#define NN_ADD_MAX_LEFT_SHIFT 22

static nn_status check_add(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    const int32_t left_shift = nn_ld_i32(b + 0);
    nn_dims d0, d1, dout;
    uint32_t k;

    if (left_shift < 0 || left_shift > NN_ADD_MAX_LEFT_SHIFT) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 0);
    for (k = 0; k < 3; k++) {
        const int32_t mult = nn_ld_i32(b + 4 + 8 * k);
        const int32_t shift = nn_ld_i32(b + 8 + 8 * k);
        if (mult < 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 4 + 8 * k);
        if (shift < NN_MIN_SHIFT || shift > 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 8 + 8 * k);
    }
    if (nn_ld_i8(b + 28) > nn_ld_i8(b + 29)) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 28);
    if (nn_ld_u16(b + 30) != 0) FAIL(c, NN_ERR_BAD_PARAM, -1, body + 30);
    /* Same shapes (the NHWC views of both inputs equal the output's), no broadcast: the
     * row-streaming executor reads both inputs with the output's row geometry. */
    nn_tensor_nhwc(m, op->input0, &d0);
    nn_tensor_nhwc(m, op->input1, &d1);
    nn_tensor_nhwc(m, op->output, &dout);
    if (!nn_dims_equal(&d0, &dout)) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->input0, NO_OFFSET);
    if (!nn_dims_equal(&d1, &dout)) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->input1, NO_OFFSET);
    return NN_OK;
}

static nn_status check_pad(parse_ctx *c, const nn_model *m, const nn_op_view *op, uint64_t body)
{
    const uint8_t *b = c->blob + body;
    nn_dims in, out;
    int32_t iv[4], ov[4];
    uint32_t k;

    nn_tensor_nhwc(m, op->input0, &in);
    nn_tensor_nhwc(m, op->output, &out);
    iv[0] = in.n; iv[1] = in.h; iv[2] = in.w; iv[3] = in.c;
    ov[0] = out.n; ov[1] = out.h; ov[2] = out.w; ov[3] = out.c;
    for (k = 0; k < 4; k++) {
        const uint32_t before = nn_ld_u16(b + 2 * k);
        const uint32_t after = nn_ld_u16(b + 8 + 2 * k);
        if ((uint64_t)iv[k] + before + after != (uint64_t)ov[k]) {
            FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)op->output, body + 2 * k);
        }
    }
    return NN_OK;
}

/* ---------------------------------------------------------------- sections */

static nn_status check_tensors(parse_ctx *c, uint64_t tensors_offset)
{
    uint32_t t, d;
    for (t = 0; t < c->tensor_count; t++) {
        const uint64_t base = tensors_offset + (uint64_t)t * NN_TENSOR_ENTRY_SIZE;
        const uint8_t *e = c->blob + base;
        const uint32_t rank = nn_ld_u8(e + 1);
        const int32_t zp = nn_ld_i32(e + 16);
        uint64_t elements = 1;
        if (nn_ld_u8(e + 0) != NN_TYPE_INT8) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)t, base + 0);
        if (rank < 1 || rank > 4) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)t, base + 1);
        for (d = 0; d < 4; d++) {
            const uint32_t v = nn_ld_u16(e + 4 + 2 * d);
            if (d < rank) {
                if (v < 1 || v > NN_MAX_DIM) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)t, base + 4 + 2 * d);
                elements *= v;
            } else if (v != 0) {
                FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)t, base + 4 + 2 * d);
            }
        }
        if (elements > NN_MAX_TENSOR_ELEMENTS) FAIL(c, NN_ERR_BAD_SHAPE, (int32_t)t, base + 4);
        if (zp < -128 || zp > 127) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)t, base + 16);
    }
    return NN_OK;
}

static nn_status check_ops(parse_ctx *c, const nn_model *m, uint64_t ops_offset, uint64_t ops_size,
                           uint32_t op_count, uint32_t input_tensor, uint32_t output_tensor)
{
    uint8_t defined[(NN_MAX_TENSORS + 7u) / 8u];
    const uint64_t end = ops_offset + ops_size;
    uint64_t pos = ops_offset;
    uint32_t i;
    nn_status s = NN_OK;

    memset(defined, 0, sizeof(defined));
    defined[input_tensor >> 3] |= (uint8_t)(1u << (input_tensor & 7u));

    for (i = 0; i < op_count; i++) {
        nn_op_view op;
        int32_t body_size;
        const uint64_t body = pos + NN_OP_HEADER_SIZE;
        c->op_index = (int32_t)i;
        if (end - pos < NN_OP_HEADER_SIZE) FAIL(c, NN_ERR_BAD_OP, -1, pos);
        nn_op_read(c->blob + pos, &op);
        body_size = nn_op_body_size(op.opcode);
        if (body_size < 0) FAIL(c, NN_ERR_UNKNOWN_OP, -1, pos + 0);
        if (nn_ld_u8(c->blob + pos + 1) != 0) FAIL(c, NN_ERR_BAD_OP, -1, pos + 1);
        if (op.record_size != NN_OP_HEADER_SIZE + (uint32_t)body_size) FAIL(c, NN_ERR_BAD_OP, -1, pos + 2);
        if (end - pos < op.record_size) FAIL(c, NN_ERR_BAD_OP, -1, pos + 2);

        /* tensor references: in range, defined before use, single writer */
        if (op.input0 >= c->tensor_count) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)op.input0, pos + 4);
        if (op.opcode == NN_OP_ADD) {
            if (op.input1 >= c->tensor_count) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)op.input1, pos + 6);
        } else if (op.input1 != NN_NO_TENSOR) {
            FAIL(c, NN_ERR_BAD_OP, -1, pos + 6);
        }
        if (op.output >= c->tensor_count) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)op.output, pos + 8);
        if (!(defined[op.input0 >> 3] & (1u << (op.input0 & 7u)))) {
            FAIL(c, NN_ERR_BAD_OP, (int32_t)op.input0, pos + 4);
        }
        if (op.opcode == NN_OP_ADD && !(defined[op.input1 >> 3] & (1u << (op.input1 & 7u)))) {
            FAIL(c, NN_ERR_BAD_OP, (int32_t)op.input1, pos + 6);
        }
        if (defined[op.output >> 3] & (1u << (op.output & 7u))) {
            FAIL(c, NN_ERR_BAD_OP, (int32_t)op.output, pos + 8);
        }

        switch (op.opcode) {
        case NN_OP_CONV_2D: s = check_conv(c, m, &op, body, 0); break;
        case NN_OP_DEPTHWISE_CONV_2D: s = check_conv(c, m, &op, body, 1); break;
        case NN_OP_AVERAGE_POOL_2D: s = check_pool(c, m, &op, body); break;
        case NN_OP_MEAN: s = check_mean(c, m, &op, body); break;
        case NN_OP_FULLY_CONNECTED: s = check_fc(c, m, &op, body); break;
        case NN_OP_SOFTMAX: s = check_softmax(c, m, &op, body); break;
        case NN_OP_ADD: s = check_add(c, m, &op, body); break;
        case NN_OP_PAD: s = check_pad(c, m, &op, body); break;
        case NN_OP_RESHAPE:
            if (t_elements(c, m, op.input0) != t_elements(c, m, op.output)) {
                s = fail(c, NN_ERR_BAD_SHAPE, (int32_t)op.output, NO_OFFSET);
            }
            break;
        default: s = fail(c, NN_ERR_INTERNAL, -1, pos); break;
        }
        if (s != NN_OK) return s;

        defined[op.output >> 3] |= (uint8_t)(1u << (op.output & 7u));
        pos += op.record_size;
    }
    c->op_index = -1;
    if (pos != end) FAIL(c, NN_ERR_BAD_OP, -1, pos); /* bytes left over in the op table */
    if (output_tensor == input_tensor || !(defined[output_tensor >> 3] & (1u << (output_tensor & 7u)))) {
        FAIL(c, NN_ERR_BAD_OP, (int32_t)output_tensor, NN_H_OUTPUT_TENSOR);
    }
    return NN_OK;
}

/* ---------------------------------------------------------------- entry */

nn_status nn_model_parse(const uint8_t *blob, size_t size, nn_model *model, nn_diag *diag)
{
    static const uint8_t magic[4] = {NN_MAGIC_0, NN_MAGIC_1, NN_MAGIC_2, NN_MAGIC_3};
    parse_ctx ctx;
    parse_ctx *c = &ctx;
    uint64_t total, spec_off, tensors_off, ops_off, ops_size, labels_off, data_off, data_size, spec_size;
    uint32_t i, tensor_count, op_count, label_count, input_tensor, output_tensor, layout, lut_count;
    uint32_t crc;
    nn_dims in_dims;
    nn_status s;

    memset(&ctx, 0, sizeof(ctx));
    ctx.diag = diag;
    ctx.op_index = -1;
    if (diag != NULL) {
        diag->status = NN_OK;
        diag->op_index = -1;
        diag->tensor_index = -1;
        diag->byte_offset = -1;
    }
    if (blob == NULL || model == NULL) FAIL(c, NN_ERR_NULL_ARGUMENT, -1, NO_OFFSET);
    memset(model, 0, sizeof(*model));
    ctx.blob = blob;
    ctx.size = (uint64_t)size;

    /* 1. header */
    for (i = 0; i < 4 && i < size; i++) {
        if (blob[i] != magic[i]) FAIL(c, NN_ERR_BAD_MAGIC, -1, i);
    }
    if (size < NN_HEADER_SIZE) FAIL(c, NN_ERR_TRUNCATED, -1, NO_OFFSET);
    if (nn_ld_u16(blob + NN_H_VERSION) != NN_FORMAT_VERSION) FAIL(c, NN_ERR_BAD_VERSION, -1, NN_H_VERSION);
    if (nn_ld_u16(blob + NN_H_HEADER_SIZE) != NN_HEADER_SIZE) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_HEADER_SIZE);
    total = nn_ld_u32(blob + NN_H_TOTAL_SIZE);
    if (total < NN_HEADER_SIZE) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_TOTAL_SIZE);
    if (total > ctx.size) FAIL(c, NN_ERR_TRUNCATED, -1, NN_H_TOTAL_SIZE);
    if (total != ctx.size) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_TOTAL_SIZE); /* trailing bytes */

    /* 2. CRC over the whole blob with the crc32 field taken as zero */
    {
        static const uint8_t zeros[4] = {0, 0, 0, 0};
        uint32_t state = nn_crc32_update(0xFFFFFFFFu, blob, NN_H_CRC32);
        state = nn_crc32_update(state, zeros, 4);
        state = nn_crc32_update(state, blob + NN_H_CRC32 + 4, size - (NN_H_CRC32 + 4));
        crc = state ^ 0xFFFFFFFFu;
    }
    if (crc != nn_ld_u32(blob + NN_H_CRC32)) FAIL(c, NN_ERR_BAD_CRC, -1, NN_H_CRC32);

    /* 3. flags, reserved, counts */
    if (nn_ld_u32(blob + NN_H_FLAGS) != 0) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_FLAGS);
    if (nn_ld_u16(blob + NN_H_RESERVED0) != 0) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_RESERVED0);
    if (nn_ld_u32(blob + NN_H_RESERVED1) != 0) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_RESERVED1);
    tensor_count = nn_ld_u16(blob + NN_H_TENSOR_COUNT);
    op_count = nn_ld_u16(blob + NN_H_OP_COUNT);
    label_count = nn_ld_u16(blob + NN_H_LABEL_COUNT);
    input_tensor = nn_ld_u16(blob + NN_H_INPUT_TENSOR);
    output_tensor = nn_ld_u16(blob + NN_H_OUTPUT_TENSOR);
    if (tensor_count < 1 || tensor_count > NN_MAX_TENSORS) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_TENSOR_COUNT);
    if (op_count < 1 || op_count > NN_MAX_OPS) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_OP_COUNT);
    if (label_count > NN_MAX_LABELS) FAIL(c, NN_ERR_BAD_HEADER, -1, NN_H_LABEL_COUNT);
    if (input_tensor >= tensor_count) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)input_tensor, NN_H_INPUT_TENSOR);
    if (output_tensor >= tensor_count) FAIL(c, NN_ERR_BAD_TENSOR, (int32_t)output_tensor, NN_H_OUTPUT_TENSOR);
    ctx.tensor_count = tensor_count;

    /* 4. sections: in order, non-overlapping, inside the blob (64-bit sums cannot wrap) */
    spec_off = nn_ld_u32(blob + NN_H_INPUT_SPEC_OFFSET);
    tensors_off = nn_ld_u32(blob + NN_H_TENSORS_OFFSET);
    ops_off = nn_ld_u32(blob + NN_H_OPS_OFFSET);
    ops_size = nn_ld_u32(blob + NN_H_OPS_SIZE);
    labels_off = nn_ld_u32(blob + NN_H_LABELS_OFFSET);
    data_off = nn_ld_u32(blob + NN_H_DATA_OFFSET);
    data_size = nn_ld_u32(blob + NN_H_DATA_SIZE);
    if (spec_off > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_INPUT_SPEC_OFFSET);
    if (tensors_off > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_TENSORS_OFFSET);
    if (ops_off > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_OPS_OFFSET);
    if (ops_size > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_OPS_SIZE);
    if (labels_off > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_LABELS_OFFSET);
    if (data_off > total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_DATA_OFFSET);
    if (data_off + data_size != total) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_DATA_SIZE);
    if (spec_off < NN_HEADER_SIZE) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_INPUT_SPEC_OFFSET);
    if (tensors_off < spec_off + NN_INPUT_SPEC_HEADER_SIZE) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_TENSORS_OFFSET);
    if (ops_off < tensors_off + (uint64_t)tensor_count * NN_TENSOR_ENTRY_SIZE) {
        FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_OPS_OFFSET);
    }
    if (labels_off < ops_off + ops_size) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_OPS_SIZE);
    if (data_off < labels_off) FAIL(c, NN_ERR_BAD_OFFSET, -1, NN_H_LABELS_OFFSET);
    if (spec_off % NN_BLOCK_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_INPUT_SPEC_OFFSET);
    if (tensors_off % NN_BLOCK_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_TENSORS_OFFSET);
    if (ops_off % NN_BLOCK_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_OPS_OFFSET);
    if (ops_size % NN_BLOCK_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_OPS_SIZE);
    if (labels_off % NN_BLOCK_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_LABELS_OFFSET);
    if (data_off % NN_WEIGHTS_ALIGNMENT) FAIL(c, NN_ERR_BAD_ALIGNMENT, -1, NN_H_DATA_OFFSET);
    ctx.data_begin = data_off;
    ctx.data_end = total;

    /* 5. input spec */
    layout = nn_ld_u8(blob + spec_off + 0);
    lut_count = nn_ld_u8(blob + spec_off + 1);
    if (layout > NN_COLOUR_RGB888) FAIL(c, NN_ERR_BAD_INPUT_SPEC, -1, spec_off + 0);
    if (!((layout == NN_COLOUR_RAW && lut_count == 0) || (layout == NN_COLOUR_GRAY8 && lut_count == 1) ||
          (layout == NN_COLOUR_RGB888 && (lut_count == 1 || lut_count == 3)))) {
        FAIL(c, NN_ERR_BAD_INPUT_SPEC, -1, spec_off + 1);
    }
    if (nn_ld_u16(blob + spec_off + 2) != 0) FAIL(c, NN_ERR_BAD_INPUT_SPEC, -1, spec_off + 2);
    spec_size = NN_INPUT_SPEC_HEADER_SIZE + 256u * (uint64_t)lut_count;
    if (spec_off + spec_size > tensors_off) FAIL(c, NN_ERR_BAD_OFFSET, -1, spec_off + 1);

    /* 6. tensors */
    s = check_tensors(c, tensors_off);
    if (s != NN_OK) return s;

    model->blob = blob;
    model->size = (uint32_t)total;
    model->tensor_count = (uint16_t)tensor_count;
    model->op_count = (uint16_t)op_count;
    model->label_count = (uint16_t)label_count;
    model->input_tensor = (uint16_t)input_tensor;
    model->output_tensor = (uint16_t)output_tensor;
    model->colour_layout = (uint8_t)layout;
    model->lut_count = (uint8_t)lut_count;
    model->pixel_lut = lut_count ? (const int8_t *)(blob + spec_off + NN_INPUT_SPEC_HEADER_SIZE) : NULL;
    model->tensors = blob + tensors_off;
    model->ops = blob + ops_off;
    model->ops_size = (uint32_t)ops_size;
    model->labels = blob + labels_off;

    /* 7. input spec against the input tensor */
    nn_tensor_nhwc(model, input_tensor, &in_dims);
    if ((layout == NN_COLOUR_GRAY8 && in_dims.c != 1) || (layout == NN_COLOUR_RGB888 && in_dims.c != 3)) {
        s = fail(c, NN_ERR_BAD_INPUT_SPEC, (int32_t)input_tensor, spec_off + 0);
        goto out;
    }

    /* 8-9. ops */
    s = check_ops(c, model, ops_off, ops_size, op_count, input_tensor, output_tensor);
    if (s != NN_OK) goto out;
    model->max_channels = ctx.max_channels;

    /* 10. labels: every length byte and every label inside [labels_offset, data_offset) */
    {
        uint64_t pos = labels_off;
        for (i = 0; i < label_count; i++) {
            uint32_t len;
            if (pos >= data_off) {
                s = fail(c, NN_ERR_BAD_LABELS, -1, pos);
                goto out;
            }
            len = nn_ld_u8(blob + pos);
            if (pos + 1u + len > data_off) {
                s = fail(c, NN_ERR_BAD_LABELS, -1, pos);
                goto out;
            }
            pos += 1u + len;
        }
    }
    return NN_OK;

out:
    memset(model, 0, sizeof(*model));
    return s;
}

/* ---------------------------------------------------------------- accessors */

nn_status nn_model_tensor(const nn_model *model, uint32_t index, nn_tensor_info *info)
{
    const uint8_t *e;
    uint32_t d;
    if (model == NULL || info == NULL || model->tensors == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (index >= model->tensor_count) {
        return NN_ERR_BAD_TENSOR;
    }
    e = nn_tensor_entry(model, index);
    info->rank = (int32_t)nn_ld_u8(e + 1);
    for (d = 0; d < 4; d++) {
        info->dims[d] = (int32_t)nn_ld_u16(e + 4 + 2 * d);
    }
    info->zero_point = nn_ld_i32(e + 16);
    info->element_count = nn_tensor_elements(model, index);
    info->source_index = (uint16_t)nn_ld_u16(e + 2);
    return NN_OK;
}

nn_status nn_model_label(const nn_model *model, uint32_t index, const char **text, uint32_t *length)
{
    const uint8_t *p;
    uint32_t i;
    if (model == NULL || text == NULL || length == NULL || model->labels == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (index >= model->label_count) {
        return NN_ERR_BAD_LABELS;
    }
    p = model->labels;
    for (i = 0; i < index; i++) {
        p += 1u + p[0];
    }
    *length = p[0];
    *text = (const char *)(p + 1);
    return NN_OK;
}

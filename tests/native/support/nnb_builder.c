/* nnb_builder.c - see nnb_builder.h. Test support: allocates, aborts on out-of-memory. */
#include "nnb_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_model.h"

/* ---------------------------------------------------------------- buffers */

static void buf_reserve(nnb_buf *buf, size_t extra)
{
    if (buf->size + extra > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 256u;
        uint8_t *p;
        while (cap < buf->size + extra) {
            cap *= 2u;
        }
        p = (uint8_t *)realloc(buf->p, cap);
        if (p == NULL) {
            fprintf(stderr, "nnb_builder: out of memory\n");
            abort();
        }
        memset(p + buf->cap, 0, cap - buf->cap);
        buf->p = p;
        buf->cap = cap;
    }
}

static size_t buf_append(nnb_buf *buf, const void *bytes, size_t size)
{
    const size_t at = buf->size;
    buf_reserve(buf, size);
    if (bytes != NULL && size > 0) {
        memcpy(buf->p + at, bytes, size);
    } else if (size > 0) {
        memset(buf->p + at, 0, size);
    }
    buf->size += size;
    return at;
}

static void buf_align(nnb_buf *buf, uint32_t alignment)
{
    while (buf->size % alignment) {
        buf_append(buf, NULL, 1);
    }
}

void nnb_put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
}

void nnb_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)((v >> 8) & 0xFFu);
    p[2] = (uint8_t)((v >> 16) & 0xFFu);
    p[3] = (uint8_t)((v >> 24) & 0xFFu);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---------------------------------------------------------------- builder */

void nnb_init(nnb_builder *b)
{
    memset(b, 0, sizeof(*b));
    b->colour_layout = NN_COLOUR_RAW;
    b->lut_count = 0;
}

void nnb_free(nnb_builder *b)
{
    free(b->tensors.p);
    free(b->ops.p);
    free(b->relocs.p);
    free(b->labels.p);
    free(b->data.p);
    memset(b, 0, sizeof(*b));
}

uint16_t nnb_tensor(nnb_builder *b, uint32_t rank, const uint32_t *dims, int32_t zero_point)
{
    uint8_t e[NN_TENSOR_ENTRY_SIZE];
    uint32_t d;
    memset(e, 0, sizeof(e));
    e[0] = NN_TYPE_INT8;
    e[1] = (uint8_t)rank;
    nnb_put_u16(e + 2, b->tensor_count); /* source index: just the index */
    for (d = 0; d < rank && d < 4; d++) {
        nnb_put_u16(e + 4 + 2 * d, dims[d]);
    }
    nnb_put_u32(e + 12, 0x3C000000u); /* scale 1/128, informational */
    nnb_put_u32(e + 16, (uint32_t)zero_point);
    buf_append(&b->tensors, e, sizeof(e));
    return (uint16_t)b->tensor_count++;
}

uint16_t nnb_tensor4(nnb_builder *b, uint32_t n, uint32_t h, uint32_t w, uint32_t c, int32_t zero_point)
{
    const uint32_t dims[4] = {n, h, w, c};
    return nnb_tensor(b, 4, dims, zero_point);
}

uint16_t nnb_tensor2(nnb_builder *b, uint32_t d0, uint32_t d1, int32_t zero_point)
{
    const uint32_t dims[2] = {d0, d1};
    return nnb_tensor(b, 2, dims, zero_point);
}

void nnb_io(nnb_builder *b, uint16_t input, uint16_t output)
{
    b->input_tensor = input;
    b->output_tensor = output;
}

void nnb_input_spec(nnb_builder *b, uint8_t colour_layout, uint8_t lut_count, const int8_t *luts)
{
    uint32_t k, i;
    b->colour_layout = colour_layout;
    b->lut_count = lut_count;
    for (k = 0; k < lut_count && k < 3; k++) {
        for (i = 0; i < 256; i++) {
            b->luts[k][i] = luts ? luts[k * 256 + i] : (int8_t)((int32_t)i - 128);
        }
    }
}

uint32_t nnb_data(nnb_builder *b, const void *bytes, size_t size, uint32_t alignment)
{
    buf_align(&b->data, alignment);
    return (uint32_t)buf_append(&b->data, bytes, size);
}

uint32_t nnb_weights(nnb_builder *b, const int8_t *weights, size_t size)
{
    return nnb_data(b, weights, size, NN_WEIGHTS_ALIGNMENT);
}

uint32_t nnb_quant_bits(nnb_builder *b, uint32_t channels, uint32_t bias_bits, uint32_t mult_bits,
                        uint32_t shift_bits, int32_t shift_base, const int32_t *bias,
                        const int32_t *multiplier, const int32_t *shift)
{
    const uint32_t record_bits = bias_bits + mult_bits + shift_bits;
    const size_t stream_bytes = ((size_t)channels * record_bits + 7u) / 8u;
    uint8_t *block = (uint8_t *)calloc(NN_QUANT_HEADER_SIZE + stream_bytes + 1u, 1);
    uint64_t pos = 0;
    uint32_t c, k;
    uint32_t at;
    if (block == NULL) {
        abort();
    }
    block[0] = NN_QUANT_PACKED;
    block[1] = (uint8_t)bias_bits;
    block[2] = (uint8_t)mult_bits;
    block[3] = (uint8_t)shift_bits;
    block[4] = (uint8_t)(shift_base & 0xFF);
    nnb_put_u16(block + 8, channels);
    for (c = 0; c < channels; c++) {
        const uint32_t fields[3] = {
            (uint32_t)bias[c],
            mult_bits >= 1 && mult_bits <= 31 ? ((uint32_t)multiplier[c] >> (31u - mult_bits)) : 0u,
            (uint32_t)(shift[c] - shift_base),
        };
        const uint32_t widths[3] = {bias_bits, mult_bits, shift_bits};
        for (k = 0; k < 3; k++) {
            uint32_t i;
            for (i = 0; i < widths[k]; i++, pos++) {
                const uint32_t bit = i < 32 ? (fields[k] >> i) & 1u : 0u;
                block[NN_QUANT_HEADER_SIZE + pos / 8u] |= (uint8_t)(bit << (pos % 8u));
            }
        }
    }
    at = nnb_data(b, block, NN_QUANT_HEADER_SIZE + stream_bytes, NN_BLOCK_ALIGNMENT);
    free(block);
    return at;
}

uint32_t nnb_quant(nnb_builder *b, uint32_t channels, const int32_t *bias, const int32_t *multiplier,
                   const int32_t *shift)
{
    uint32_t bias_bits = 0, mult_bits = 1, shift_bits = 0, c;
    int32_t smin = 0, smax = 0;
    for (c = 0; c < channels; c++) {
        const int64_t v = bias[c];
        uint32_t bits = 0;
        if (v != 0) {
            bits = 1;
            while (!(v >= -((int64_t)1 << (bits - 1)) && v < ((int64_t)1 << (bits - 1)))) {
                bits++;
            }
        }
        if (bits > bias_bits) {
            bias_bits = bits;
        }
        if (multiplier[c] != 0) {
            uint32_t tz = 0;
            while (tz < 30 && !(((uint32_t)multiplier[c] >> tz) & 1u)) {
                tz++;
            }
            if (31u - tz > mult_bits) {
                mult_bits = 31u - tz;
            }
        }
        if (c == 0 || shift[c] < smin) {
            smin = shift[c];
        }
        if (c == 0 || shift[c] > smax) {
            smax = shift[c];
        }
    }
    while (((int64_t)1 << shift_bits) <= (int64_t)smax - smin) {
        shift_bits++;
    }
    return nnb_quant_bits(b, channels, bias_bits, mult_bits, shift_bits, smin, bias, multiplier, shift);
}

uint32_t nnb_op_raw(nnb_builder *b, uint32_t opcode, uint32_t input0, uint32_t input1, uint32_t output,
                    const uint8_t *body, uint32_t body_size, const uint32_t *reloc_body_positions,
                    uint32_t reloc_count)
{
    uint8_t h[NN_OP_HEADER_SIZE];
    size_t at;
    uint32_t k;
    memset(h, 0, sizeof(h));
    h[0] = (uint8_t)opcode;
    nnb_put_u16(h + 2, NN_OP_HEADER_SIZE + body_size);
    nnb_put_u16(h + 4, input0);
    nnb_put_u16(h + 6, input1);
    nnb_put_u16(h + 8, output);
    nnb_put_u16(h + 10, b->op_count);
    at = buf_append(&b->ops, h, sizeof(h));
    buf_append(&b->ops, body, body_size);
    for (k = 0; k < reloc_count; k++) {
        uint8_t pos[4];
        nnb_put_u32(pos, (uint32_t)(at + NN_OP_HEADER_SIZE + reloc_body_positions[k]));
        buf_append(&b->relocs, pos, 4);
    }
    return b->op_count++;
}

uint32_t nnb_conv(nnb_builder *b, uint32_t opcode, uint16_t in, uint16_t out, const nnb_conv_opts *o,
                  uint32_t weights, uint32_t quant)
{
    static const uint32_t relocs[2] = {16, 20};
    uint8_t body[NN_CONV_BODY_SIZE];
    memset(body, 0, sizeof(body));
    body[0] = o->kh;
    body[1] = o->kw;
    body[2] = o->sh;
    body[3] = o->sw;
    body[4] = o->dh;
    body[5] = o->dw;
    body[6] = o->pt;
    body[7] = o->pl;
    nnb_put_u16(body + 8, o->depth_multiplier);
    body[12] = (uint8_t)o->act_min;
    body[13] = (uint8_t)o->act_max;
    nnb_put_u32(body + 16, weights);
    nnb_put_u32(body + 20, quant);
    return nnb_op_raw(b, opcode, in, NN_NO_TENSOR, out, body, sizeof(body), relocs, 2);
}

uint32_t nnb_fc(nnb_builder *b, uint16_t in, uint16_t out, int8_t act_min, int8_t act_max, uint32_t weights,
                uint32_t quant)
{
    static const uint32_t relocs[2] = {4, 8};
    uint8_t body[NN_FC_BODY_SIZE];
    memset(body, 0, sizeof(body));
    body[0] = (uint8_t)act_min;
    body[1] = (uint8_t)act_max;
    body[2] = 1;
    nnb_put_u32(body + 4, weights);
    nnb_put_u32(body + 8, quant);
    return nnb_op_raw(b, NN_OP_FULLY_CONNECTED, in, NN_NO_TENSOR, out, body, sizeof(body), relocs, 2);
}

uint32_t nnb_pool(nnb_builder *b, uint16_t in, uint16_t out, uint8_t fh, uint8_t fw, uint8_t sh, uint8_t sw,
                  uint8_t pt, uint8_t pl, int8_t act_min, int8_t act_max)
{
    uint8_t body[NN_POOL_BODY_SIZE];
    body[0] = fh;
    body[1] = fw;
    body[2] = sh;
    body[3] = sw;
    body[4] = pt;
    body[5] = pl;
    body[6] = (uint8_t)act_min;
    body[7] = (uint8_t)act_max;
    return nnb_op_raw(b, NN_OP_AVERAGE_POOL_2D, in, NN_NO_TENSOR, out, body, sizeof(body), NULL, 0);
}

uint32_t nnb_mean(nnb_builder *b, uint16_t in, uint16_t out, int32_t multiplier, int32_t shift)
{
    uint8_t body[NN_MEAN_BODY_SIZE];
    memset(body, 0, sizeof(body));
    nnb_put_u32(body + 0, (uint32_t)multiplier);
    body[4] = (uint8_t)(shift & 0xFF);
    return nnb_op_raw(b, NN_OP_MEAN, in, NN_NO_TENSOR, out, body, sizeof(body), NULL, 0);
}

uint32_t nnb_softmax(nnb_builder *b, uint16_t in, uint16_t out, int32_t multiplier, int32_t left_shift,
                     int32_t diff_min)
{
    uint8_t body[NN_SOFTMAX_BODY_SIZE];
    nnb_put_u32(body + 0, (uint32_t)multiplier);
    nnb_put_u32(body + 4, (uint32_t)left_shift);
    nnb_put_u32(body + 8, (uint32_t)diff_min);
    return nnb_op_raw(b, NN_OP_SOFTMAX, in, NN_NO_TENSOR, out, body, sizeof(body), NULL, 0);
}

uint32_t nnb_add(nnb_builder *b, uint16_t in0, uint16_t in1, uint16_t out, const int32_t p[7], int8_t act_min,
                 int8_t act_max)
{
    uint8_t body[NN_ADD_BODY_SIZE];
    uint32_t k;
    memset(body, 0, sizeof(body));
    for (k = 0; k < 7; k++) {
        nnb_put_u32(body + 4 * k, (uint32_t)p[k]);
    }
    body[28] = (uint8_t)act_min;
    body[29] = (uint8_t)act_max;
    return nnb_op_raw(b, NN_OP_ADD, in0, in1, out, body, sizeof(body), NULL, 0);
}

uint32_t nnb_pad(nnb_builder *b, uint16_t in, uint16_t out, const uint16_t before[4], const uint16_t after[4])
{
    uint8_t body[NN_PAD_BODY_SIZE];
    uint32_t k;
    for (k = 0; k < 4; k++) {
        nnb_put_u16(body + 2 * k, before[k]);
        nnb_put_u16(body + 8 + 2 * k, after[k]);
    }
    return nnb_op_raw(b, NN_OP_PAD, in, NN_NO_TENSOR, out, body, sizeof(body), NULL, 0);
}

uint32_t nnb_reshape(nnb_builder *b, uint16_t in, uint16_t out)
{
    return nnb_op_raw(b, NN_OP_RESHAPE, in, NN_NO_TENSOR, out, NULL, 0, NULL, 0);
}

void nnb_label(nnb_builder *b, const char *text)
{
    const size_t len = strlen(text);
    const uint8_t n = (uint8_t)(len > 255 ? 255 : len);
    buf_append(&b->labels, &n, 1);
    buf_append(&b->labels, text, n);
    b->label_count++;
}

static uint32_t align_u32(uint32_t v, uint32_t a)
{
    return (v + a - 1u) / a * a;
}

uint8_t *nnb_finish(const nnb_builder *b, size_t *size, nnb_layout *layout)
{
    nnb_layout l;
    uint8_t *blob;
    uint32_t k;
    size_t pos;

    memset(&l, 0, sizeof(l));
    l.input_spec_offset = NN_HEADER_SIZE;
    l.tensors_offset = align_u32(l.input_spec_offset + NN_INPUT_SPEC_HEADER_SIZE + 256u * b->lut_count, 4);
    l.ops_offset = align_u32(l.tensors_offset + (uint32_t)b->tensors.size, 4);
    l.ops_size = (uint32_t)b->ops.size;
    l.labels_offset = align_u32(l.ops_offset + l.ops_size, 4);
    l.data_offset = align_u32(l.labels_offset + (uint32_t)b->labels.size, NN_WEIGHTS_ALIGNMENT);
    l.data_size = align_u32((uint32_t)b->data.size, 4);
    l.total_size = l.data_offset + l.data_size;
    l.op_count = b->op_count;

    blob = (uint8_t *)calloc(l.total_size ? l.total_size : 1u, 1);
    if (blob == NULL) {
        abort();
    }
    memcpy(blob, "NNET", 4);
    nnb_put_u16(blob + 4, NN_FORMAT_VERSION);
    nnb_put_u16(blob + 6, NN_HEADER_SIZE);
    nnb_put_u32(blob + 8, l.total_size);
    nnb_put_u16(blob + 20, b->tensor_count);
    nnb_put_u16(blob + 22, b->op_count);
    nnb_put_u32(blob + 24, l.input_spec_offset);
    nnb_put_u32(blob + 28, l.tensors_offset);
    nnb_put_u32(blob + 32, l.ops_offset);
    nnb_put_u32(blob + 36, l.ops_size);
    nnb_put_u32(blob + 40, l.labels_offset);
    nnb_put_u16(blob + 44, b->label_count);
    nnb_put_u16(blob + 46, b->input_tensor);
    nnb_put_u16(blob + 48, b->output_tensor);
    nnb_put_u32(blob + 52, l.data_offset);
    nnb_put_u32(blob + 56, l.data_size);

    blob[l.input_spec_offset + 0] = b->colour_layout;
    blob[l.input_spec_offset + 1] = b->lut_count;
    for (k = 0; k < b->lut_count && k < 3; k++) {
        memcpy(blob + l.input_spec_offset + NN_INPUT_SPEC_HEADER_SIZE + 256u * k, b->luts[k], 256);
    }
    if (b->tensors.size) {
        memcpy(blob + l.tensors_offset, b->tensors.p, b->tensors.size);
    }
    if (b->ops.size) {
        memcpy(blob + l.ops_offset, b->ops.p, b->ops.size);
    }
    for (k = 0; k < b->relocs.size / 4u; k++) {
        uint8_t *field = blob + l.ops_offset + get_u32(b->relocs.p + 4u * k);
        nnb_put_u32(field, get_u32(field) + l.data_offset);
    }
    if (b->labels.size) {
        memcpy(blob + l.labels_offset, b->labels.p, b->labels.size);
    }
    if (b->data.size) {
        memcpy(blob + l.data_offset, b->data.p, b->data.size);
    }
    /* op record starts */
    pos = 0;
    for (k = 0; k < b->op_count && pos + 4 <= b->ops.size; k++) {
        if (k < NNB_MAX_LAYOUT_OPS) {
            l.op_offset[k] = l.ops_offset + (uint32_t)pos;
        }
        pos += (size_t)b->ops.p[pos + 2] | ((size_t)b->ops.p[pos + 3] << 8);
    }
    nnb_fix_crc(blob, l.total_size);
    if (size) {
        *size = l.total_size;
    }
    if (layout) {
        *layout = l;
    }
    return blob;
}

void nnb_fix_crc(uint8_t *blob, size_t size)
{
    if (size < 16) {
        return;
    }
    nnb_put_u32(blob + 12, 0);
    nnb_put_u32(blob + 12, nn_crc32(blob, size));
}

/* ---------------------------------------------------------------- sample models */

static uint32_t sample_rand(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x12345678u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

static void fill_weights(int8_t *w, size_t n, uint32_t *s)
{
    size_t i;
    for (i = 0; i < n; i++) {
        w[i] = (int8_t)((int32_t)(sample_rand(s) % 255u) - 127);
    }
}

/* Random per-channel quantisation: multiplier in [2^30, 2^31) (some with trailing zero bits),
 * shift in [shift_lo, shift_hi], bias in [-bias_range, bias_range]. */
static uint32_t sample_quant(nnb_builder *b, uint32_t channels, int32_t shift_lo, int32_t shift_hi,
                             int32_t bias_range, uint32_t *s)
{
    int32_t bias[64], mult[64], shift[64];
    uint32_t c;
    for (c = 0; c < channels && c < 64; c++) {
        uint32_t m = 0x40000000u | (sample_rand(s) & 0x3FFFFFFFu);
        if (c % 3 == 1) {
            m &= 0xFFFF0000u; /* fewer significant bits: exercises narrower mult_bits */
        }
        mult[c] = (int32_t)m;
        shift[c] = shift_lo + (int32_t)(sample_rand(s) % (uint32_t)(shift_hi - shift_lo + 1));
        bias[c] = bias_range ? (int32_t)(sample_rand(s) % (uint32_t)(2 * bias_range + 1)) - bias_range : 0;
    }
    return nnb_quant(b, channels, bias, mult, shift);
}

uint8_t *nnb_sample_model(uint32_t variant, size_t *size, nnb_layout *layout)
{
    nnb_builder b;
    uint8_t *blob;
    uint32_t seed = 0xC0FFEEu + variant;
    int8_t w[4096];
    nnb_init(&b);

    if (variant == 0) {
        static const uint16_t before[4] = {0, 0, 0, 0}, after[4] = {0, 1, 1, 0};
        const int32_t add_p[7] = {20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -18};
        nnb_conv_opts o;
        uint32_t wq, q;
        const uint16_t t0 = nnb_tensor4(&b, 1, 8, 8, 3, -128);
        const uint16_t t1 = nnb_tensor4(&b, 1, 9, 9, 3, -128);
        const uint16_t t2 = nnb_tensor4(&b, 1, 4, 4, 8, -5);
        const uint16_t t3 = nnb_tensor4(&b, 1, 4, 4, 8, 3);
        const uint16_t t4 = nnb_tensor4(&b, 1, 4, 4, 8, -2);
        const uint16_t t5 = nnb_tensor4(&b, 1, 4, 4, 16, -128);
        const uint16_t t6 = nnb_tensor4(&b, 1, 1, 1, 16, -128);
        const uint16_t t7 = nnb_tensor2(&b, 1, 16, -128);
        const uint16_t t8 = nnb_tensor2(&b, 1, 4, 10);
        const uint16_t t9 = nnb_tensor2(&b, 1, 4, -128);
        nnb_input_spec(&b, NN_COLOUR_RGB888, 3, NULL);
        nnb_pad(&b, t0, t1, before, after);
        memset(&o, 0, sizeof(o));
        o.kh = o.kw = 3; o.sh = o.sw = 2; o.dh = o.dw = 1; o.depth_multiplier = 1;
        o.act_min = -128; o.act_max = 127;
        fill_weights(w, 8 * 3 * 3 * 3, &seed);
        wq = nnb_weights(&b, w, 8 * 3 * 3 * 3);
        q = sample_quant(&b, 8, -10, -8, 2000, &seed);
        nnb_conv(&b, NN_OP_CONV_2D, t1, t2, &o, wq, q);
        o.sh = o.sw = 1; o.pt = o.pl = 1; o.act_min = -100; o.act_max = 100;
        fill_weights(w, 3 * 3 * 8, &seed);
        wq = nnb_weights(&b, w, 3 * 3 * 8);
        q = sample_quant(&b, 8, -8, -6, 500, &seed);
        nnb_conv(&b, NN_OP_DEPTHWISE_CONV_2D, t2, t3, &o, wq, q);
        nnb_add(&b, t2, t3, t4, add_p, -128, 127);
        o.kh = o.kw = 1; o.pt = o.pl = 0; o.act_min = -128; o.act_max = 127;
        fill_weights(w, 16 * 8, &seed);
        wq = nnb_weights(&b, w, 16 * 8);
        q = sample_quant(&b, 16, -9, -7, 1000, &seed);
        nnb_conv(&b, NN_OP_CONV_2D, t4, t5, &o, wq, q);
        nnb_pool(&b, t5, t6, 4, 4, 4, 4, 0, 0, -128, 127);
        nnb_reshape(&b, t6, t7);
        fill_weights(w, 4 * 16, &seed);
        wq = nnb_weights(&b, w, 4 * 16);
        q = sample_quant(&b, 4, -9, -8, 3000, &seed);
        nnb_fc(&b, t7, t8, -128, 127, wq, q);
        /* input scale 0.1, beta 1: real = 0.1 * 2^26 -> (1717986918, 23); diff_min = -248 */
        nnb_softmax(&b, t8, t9, 1717986918, 23, -248);
        nnb_io(&b, t0, t9);
        nnb_label(&b, "cat");
        nnb_label(&b, "dog");
        nnb_label(&b, "person");
        nnb_label(&b, "");
    } else if (variant == 1) {
        nnb_conv_opts o;
        uint32_t wq, q;
        const uint16_t t0 = nnb_tensor4(&b, 1, 6, 6, 1, -1);
        const uint16_t t1 = nnb_tensor4(&b, 1, 3, 3, 4, 7);
        const uint16_t t2 = nnb_tensor2(&b, 1, 4, -3);
        const uint16_t t3 = nnb_tensor2(&b, 1, 2, 0);
        const uint16_t t4 = nnb_tensor2(&b, 1, 2, -128);
        nnb_input_spec(&b, NN_COLOUR_GRAY8, 1, NULL);
        memset(&o, 0, sizeof(o));
        o.kh = o.kw = 3; o.sh = o.sw = 2; o.dh = o.dw = 2; o.pt = o.pl = 1; o.depth_multiplier = 4;
        o.act_min = -128; o.act_max = 127;
        fill_weights(w, 3 * 3 * 4, &seed);
        wq = nnb_weights(&b, w, 3 * 3 * 4);
        q = sample_quant(&b, 4, -7, -5, 100, &seed);
        nnb_conv(&b, NN_OP_DEPTHWISE_CONV_2D, t0, t1, &o, wq, q);
        nnb_mean(&b, t1, t2, 1500000000, 0);
        fill_weights(w, 2 * 4, &seed);
        wq = nnb_weights(&b, w, 2 * 4);
        q = sample_quant(&b, 2, -7, -7, 0, &seed);
        nnb_fc(&b, t2, t3, -128, 127, wq, q);
        nnb_softmax(&b, t3, t4, 1717986918, 23, -248);
        nnb_io(&b, t0, t4);
        nnb_label(&b, "no");
        nnb_label(&b, "yes");
    } else {
        nnb_conv_opts o;
        int32_t bias[2] = {0, 0}, mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 1};
        int8_t ident[4] = {1, 0, 0, 1};
        uint32_t wq, q;
        const uint32_t flat[1] = {32};
        const uint16_t t0 = nnb_tensor4(&b, 1, 4, 4, 2, 0);
        const uint16_t t1 = nnb_tensor4(&b, 1, 4, 4, 2, 0);
        const uint16_t t2 = nnb_tensor(&b, 1, flat, 0);
        memset(&o, 0, sizeof(o));
        o.kh = o.kw = 1; o.sh = o.sw = 1; o.dh = o.dw = 1; o.depth_multiplier = 1;
        o.act_min = -128; o.act_max = 127;
        wq = nnb_weights(&b, ident, 4);
        q = nnb_quant(&b, 2, bias, mult, shift);
        nnb_conv(&b, NN_OP_CONV_2D, t0, t1, &o, wq, q);
        nnb_reshape(&b, t1, t2);
        nnb_io(&b, t0, t2);
    }
    blob = nnb_finish(&b, size, layout);
    nnb_free(&b);
    return blob;
}

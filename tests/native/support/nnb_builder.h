/*
 * nnb_builder.h - builds packed model blobs (.nnb v1, nn_format.h) in C, for tests and for the
 * fuzzer's seed corpus. Test support only: it allocates freely and aborts on out-of-memory.
 *
 * Usage:
 *   nnb_builder b; nnb_init(&b);
 *   t0 = nnb_tensor4(&b, 1, 8, 8, 3, -128); ...         tensors
 *   w = nnb_weights(&b, w, n); q = nnb_quant(&b, ...);   data section (offsets relative to it)
 *   nnb_conv(&b, NN_OP_CONV_2D, t0, t1, &opts, w, q);    ops (data offsets relocated at finish)
 *   nnb_io(&b, t0, t_out); nnb_label(&b, "person");
 *   blob = nnb_finish(&b, &size, &layout);              malloc'd blob with a correct CRC
 *   nnb_free(&b);
 */
#ifndef NANONET_NNB_BUILDER_H
#define NANONET_NNB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "nanonet/nn_format.h"

#define NNB_MAX_LAYOUT_OPS 256u

typedef struct nnb_buf {
    uint8_t *p;
    size_t size;
    size_t cap;
} nnb_buf;

typedef struct nnb_builder {
    uint8_t colour_layout;
    uint8_t lut_count;
    int8_t luts[3][256];
    nnb_buf tensors;      /* NN_TENSOR_ENTRY_SIZE each */
    uint32_t tensor_count;
    nnb_buf ops;          /* records; data offsets relative to the data section */
    uint32_t op_count;
    nnb_buf relocs;       /* uint32 positions in `ops` of u32 fields to relocate */
    nnb_buf labels;
    uint32_t label_count;
    nnb_buf data;
    uint16_t input_tensor;
    uint16_t output_tensor;
} nnb_builder;

/* Where everything went in the finished blob (absolute offsets). */
typedef struct nnb_layout {
    uint32_t input_spec_offset;
    uint32_t tensors_offset;
    uint32_t ops_offset;
    uint32_t ops_size;
    uint32_t labels_offset;
    uint32_t data_offset;
    uint32_t data_size;
    uint32_t total_size;
    uint32_t op_count;
    uint32_t op_offset[NNB_MAX_LAYOUT_OPS]; /* start of each op record (first 256 ops) */
} nnb_layout;

typedef struct nnb_conv_opts {
    uint8_t kh, kw, sh, sw, dh, dw, pt, pl;
    uint16_t depth_multiplier;
    int8_t act_min, act_max;
} nnb_conv_opts;

void nnb_init(nnb_builder *b);
void nnb_free(nnb_builder *b);

/* Tensors: return the index. dims beyond rank are stored as 0. */
uint16_t nnb_tensor(nnb_builder *b, uint32_t rank, const uint32_t *dims, int32_t zero_point);
uint16_t nnb_tensor4(nnb_builder *b, uint32_t n, uint32_t h, uint32_t w, uint32_t c, int32_t zero_point);
uint16_t nnb_tensor2(nnb_builder *b, uint32_t d0, uint32_t d1, int32_t zero_point);
void nnb_io(nnb_builder *b, uint16_t input, uint16_t output);

/* Input spec. luts: lut_count * 256 bytes, or NULL for "pixel - 128" tables. */
void nnb_input_spec(nnb_builder *b, uint8_t colour_layout, uint8_t lut_count, const int8_t *luts);

/* Data section: bytes appended at the given alignment; returns the offset RELATIVE to the data section. */
uint32_t nnb_data(nnb_builder *b, const void *bytes, size_t size, uint32_t alignment);
uint32_t nnb_weights(nnb_builder *b, const int8_t *weights, size_t size);
/* Quantisation block with the smallest bit widths that hold the values exactly. */
uint32_t nnb_quant(nnb_builder *b, uint32_t channels, const int32_t *bias, const int32_t *multiplier,
                   const int32_t *shift);
/* Quantisation block with explicit widths (values are truncated to them: for corrupt blocks too). */
uint32_t nnb_quant_bits(nnb_builder *b, uint32_t channels, uint32_t bias_bits, uint32_t mult_bits,
                        uint32_t shift_bits, int32_t shift_base, const int32_t *bias,
                        const int32_t *multiplier, const int32_t *shift);

/* Ops: return the op index. Weights and quant offsets are data-relative (from nnb_weights/nnb_quant). */
uint32_t nnb_op_raw(nnb_builder *b, uint32_t opcode, uint32_t input0, uint32_t input1, uint32_t output,
                    const uint8_t *body, uint32_t body_size, const uint32_t *reloc_body_positions,
                    uint32_t reloc_count);
uint32_t nnb_conv(nnb_builder *b, uint32_t opcode, uint16_t in, uint16_t out, const nnb_conv_opts *o,
                  uint32_t weights, uint32_t quant);
uint32_t nnb_fc(nnb_builder *b, uint16_t in, uint16_t out, int8_t act_min, int8_t act_max, uint32_t weights,
                uint32_t quant);
uint32_t nnb_pool(nnb_builder *b, uint16_t in, uint16_t out, uint8_t fh, uint8_t fw, uint8_t sh, uint8_t sw,
                  uint8_t pt, uint8_t pl, int8_t act_min, int8_t act_max);
uint32_t nnb_mean(nnb_builder *b, uint16_t in, uint16_t out, int32_t multiplier, int32_t shift);
uint32_t nnb_softmax(nnb_builder *b, uint16_t in, uint16_t out, int32_t multiplier, int32_t left_shift,
                     int32_t diff_min);
/* p = {left_shift, m1, s1, m2, s2, m_out, s_out} */
uint32_t nnb_add(nnb_builder *b, uint16_t in0, uint16_t in1, uint16_t out, const int32_t p[7], int8_t act_min,
                 int8_t act_max);
uint32_t nnb_pad(nnb_builder *b, uint16_t in, uint16_t out, const uint16_t before[4], const uint16_t after[4]);
uint32_t nnb_reshape(nnb_builder *b, uint16_t in, uint16_t out);

void nnb_label(nnb_builder *b, const char *text);

/* Lay out the sections, write the header and the CRC. Returns a malloc'd blob (free() it). */
uint8_t *nnb_finish(const nnb_builder *b, size_t *size, nnb_layout *layout);

/* Recompute and store the CRC of a blob (after a test modified it). */
void nnb_fix_crc(uint8_t *blob, size_t size);

/* Little-endian stores, for tests that patch fields. */
void nnb_put_u16(uint8_t *p, uint32_t v);
void nnb_put_u32(uint8_t *p, uint32_t v);

/*
 * Ready-made valid models (malloc'd), used by the tests and the fuzz seed generator:
 *  0: RGB 9x9x3 -> PAD -> CONV 3x3 s2 -> DEPTHWISE 3x3 (SAME) -> ADD -> CONV 1x1 -> AVG_POOL
 *     -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX, 4 labels
 *  1: gray 6x6x1 -> DEPTHWISE 3x3 s2 mult 4 (dilation 1) -> MEAN -> FULLY_CONNECTED -> SOFTMAX, 2 labels
 *  2: raw 4x4x2 -> CONV 1x1 identity (multiplier 2^30, shift 1) -> RESHAPE, no labels
 */
#define NNB_SAMPLE_COUNT 3u
uint8_t *nnb_sample_model(uint32_t variant, size_t *size, nnb_layout *layout);

#endif

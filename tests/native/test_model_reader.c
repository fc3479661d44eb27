/*
 * test_model_reader.c - robustness of nn_model_parse: valid blobs from nnb_builder parse;
 * truncation at every length, every single-byte change (with and without the CRC fixed up),
 * random mutations and specific corruptions are rejected with their status, never with a
 * crash or an out-of-bounds read (run under ASan+UBSan with -DNANONET_SANITIZE=ON).
 * Every blob handed to the parser lives in its own exact-size malloc block, so any read past
 * its end is an ASan error.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_executor.h"
#include "nanonet/nn_model.h"
#include "nn_test.h"
#include "nnb_builder.h"

static uint8_t *dup_blob(const uint8_t *blob, size_t size)
{
    uint8_t *p = (uint8_t *)malloc(size ? size : 1u);
    if (p != NULL && size) {
        memcpy(p, blob, size);
    }
    return p;
}

static nn_status parse_copy(const uint8_t *blob, size_t size, nn_diag *diag)
{
    nn_model m;
    uint8_t *p = dup_blob(blob, size);
    nn_status s = nn_model_parse(p, size, &m, diag);
    free(p);
    return s;
}

/* Parse; if it parses, also run it with zero input (the executor must cope with anything valid). */
static nn_status parse_and_run(uint8_t *blob, size_t size)
{
    nn_model m;
    nn_status s = nn_model_parse(blob, size, &m, NULL);
    if (s == NN_OK) {
        nn_tensor_info in, out;
        const size_t need = nn_executor_arena_size(&m);
        NN_CHECK(need > 0);
        nn_model_tensor(&m, m.input_tensor, &in);
        nn_model_tensor(&m, m.output_tensor, &out);
        if (need < ((size_t)16 << 20) && nn_model_macs(&m) < 2000000u) {
            int8_t *x = (int8_t *)calloc(in.element_count, 1);
            int8_t *y = (int8_t *)calloc(out.element_count, 1);
            uint8_t *arena = (uint8_t *)malloc(need);
            NN_CHECK_EQ_INT(nn_executor_run(&m, x, in.element_count, y, out.element_count, arena, need, NULL, NULL),
                            NN_OK);
            free(x);
            free(y);
            free(arena);
        }
    }
    return s;
}

/* ---------------------------------------------------------------- valid blobs */

static void test_samples_parse(void)
{
    uint32_t v;
    for (v = 0; v < NNB_SAMPLE_COUNT; v++) {
        size_t size;
        nnb_layout l;
        uint8_t *blob = nnb_sample_model(v, &size, &l);
        nn_model m;
        nn_diag d;
        NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, &d), NN_OK);
        NN_CHECK_EQ_INT(d.status, NN_OK);
        NN_CHECK_EQ_INT(d.op_index, -1);
        NN_CHECK_EQ_INT(m.size, size);
        NN_CHECK_EQ_INT(m.op_count, l.op_count);
        NN_CHECK(m.blob == blob);
        free(blob);
    }
}

static void test_sample0_fields(void)
{
    size_t size;
    nnb_layout l;
    uint8_t *blob = nnb_sample_model(0, &size, &l);
    nn_model m;
    nn_tensor_info t;
    const char *text;
    uint32_t len;
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    NN_CHECK_EQ_INT(m.tensor_count, 10);
    NN_CHECK_EQ_INT(m.op_count, 9);
    NN_CHECK_EQ_INT(m.label_count, 4);
    NN_CHECK_EQ_INT(m.input_tensor, 0);
    NN_CHECK_EQ_INT(m.output_tensor, 9);
    NN_CHECK_EQ_INT(m.colour_layout, NN_COLOUR_RGB888);
    NN_CHECK_EQ_INT(m.lut_count, 3);
    NN_CHECK(m.pixel_lut == (const int8_t *)(blob + 68));
    NN_CHECK_EQ_INT(m.pixel_lut[0], -128);
    NN_CHECK_EQ_INT(m.pixel_lut[2 * 256 + 255], 127);
    NN_CHECK_EQ_INT(m.max_channels, 16);
    NN_CHECK_EQ_INT(nn_model_tensor(&m, 5, &t), NN_OK);
    NN_CHECK_EQ_INT(t.rank, 4);
    NN_CHECK_EQ_INT(t.dims[3], 16);
    NN_CHECK_EQ_INT(t.element_count, 256);
    NN_CHECK_EQ_INT(t.zero_point, -128);
    NN_CHECK_EQ_INT(t.source_index, 5);
    NN_CHECK_EQ_INT(nn_model_tensor(&m, 10, &t), NN_ERR_BAD_TENSOR);
    NN_CHECK_EQ_INT(nn_model_label(&m, 2, &text, &len), NN_OK);
    NN_CHECK_EQ_INT(len, 6);
    NN_CHECK(memcmp(text, "person", 6) == 0);
    NN_CHECK_EQ_INT(nn_model_label(&m, 3, &text, &len), NN_OK);
    NN_CHECK_EQ_INT(len, 0);
    NN_CHECK_EQ_INT(nn_model_label(&m, 4, &text, &len), NN_ERR_BAD_LABELS);
    /* MACs: conv 4*4*8*27 + dw 4*4*8*9 + pw 4*4*16*8 + fc 16*4 */
    NN_CHECK_EQ_INT(nn_model_macs(&m), 4 * 4 * 8 * 27 + 4 * 4 * 8 * 9 + 4 * 4 * 16 * 8 + 16 * 4);
    free(blob);
}

static void test_crc32_known_value(void)
{
    const uint8_t check[9] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    NN_CHECK_EQ_INT(nn_crc32(check, 9), 0xCBF43926u);
    NN_CHECK_EQ_INT(nn_crc32(check, 0), 0);
}

static void test_status_strings(void)
{
    int s;
    for (s = 0; s < (int)NN_STATUS_COUNT_; s++) {
        NN_CHECK(nn_status_name(s) != NULL && strncmp(nn_status_name(s), "NN_", 3) == 0);
        NN_CHECK(nn_status_message(s) != NULL && strlen(nn_status_message(s)) > 5);
    }
    NN_CHECK(strcmp(nn_status_name(NN_ERR_BAD_CRC), "NN_ERR_BAD_CRC") == 0);
    NN_CHECK(strcmp(nn_status_name(-1), "NN_ERR_UNKNOWN_STATUS") == 0);
    NN_CHECK(strcmp(nn_status_name(NN_STATUS_COUNT_), "NN_ERR_UNKNOWN_STATUS") == 0);
}

static void test_null_arguments(void)
{
    size_t size;
    uint8_t *blob = nnb_sample_model(2, &size, NULL);
    nn_model m;
    nn_diag d;
    NN_CHECK_EQ_INT(nn_model_parse(NULL, size, &m, &d), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(d.status, NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, NULL, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_model_tensor(NULL, 0, NULL), NN_ERR_NULL_ARGUMENT);
    free(blob);
}

/* ---------------------------------------------------------------- truncation and flips */

static void test_truncation_every_length(void)
{
    uint32_t v;
    for (v = 0; v < NNB_SAMPLE_COUNT; v++) {
        size_t size, len;
        uint8_t *blob = nnb_sample_model(v, &size, NULL);
        for (len = 0; len < size; len++) {
            nn_diag d;
            const nn_status s = parse_copy(blob, len, &d);
            if (s != NN_ERR_TRUNCATED) {
                printf("  len %u -> %s\n", (unsigned)len, nn_status_name(s));
            }
            NN_CHECK_EQ_INT(s, NN_ERR_TRUNCATED);
            NN_CHECK_EQ_INT(d.status, NN_ERR_TRUNCATED);
        }
        /* one trailing byte: not allowed */
        {
            uint8_t *longer = (uint8_t *)calloc(size + 1, 1);
            memcpy(longer, blob, size);
            NN_CHECK_EQ_INT(parse_copy(longer, size + 1, NULL), NN_ERR_BAD_HEADER);
            free(longer);
        }
        free(blob);
    }
}

static void test_every_byte_flip(void)
{
    static const uint8_t masks[3] = {0x01, 0x80, 0xFF};
    uint32_t v;
    for (v = 0; v < NNB_SAMPLE_COUNT; v++) {
        size_t size, i;
        uint32_t k, parsed = 0, rejected = 0;
        uint8_t *blob = nnb_sample_model(v, &size, NULL);
        for (i = 0; i < size; i++) {
            for (k = 0; k < 3; k++) {
                uint8_t *p = dup_blob(blob, size);
                nn_status s;
                p[i] ^= masks[k];
                /* without fix-up: the CRC (or a header check before it) rejects it */
                s = parse_copy(p, size, NULL);
                if (s == NN_OK) {
                    printf("  flip %u^%02x accepted without CRC fix\n", (unsigned)i, masks[k]);
                }
                NN_CHECK(s != NN_OK);
                if (i >= 16) {
                    NN_CHECK_EQ_INT(s, NN_ERR_BAD_CRC);
                }
                /* with the CRC recomputed: parse or reject, never crash (ASan/UBSan watch) */
                nnb_fix_crc(p, size);
                s = parse_and_run(p, size);
                if (s == NN_OK) {
                    parsed++;
                } else {
                    rejected++;
                }
                free(p);
            }
        }
        printf("  sample %u: %u flips parsed, %u rejected after CRC fix-up\n", v, parsed, rejected);
        NN_CHECK(rejected > 0);
        free(blob);
    }
}

static void test_random_mutations(void)
{
    uint32_t seed = 0xBADC0DEu, it, parsed = 0;
    for (it = 0; it < 30000; it++) {
        size_t size;
        const uint32_t v = it % NNB_SAMPLE_COUNT;
        uint8_t *blob = nnb_sample_model(v, &size, NULL);
        const uint32_t edits = 1 + nn_test_rand(&seed) % 8u;
        uint32_t e;
        for (e = 0; e < edits; e++) {
            const size_t at = nn_test_rand(&seed) % size;
            switch (nn_test_rand(&seed) % 4u) {
            case 0: blob[at] = (uint8_t)nn_test_rand(&seed); break;
            case 1: blob[at] ^= (uint8_t)(1u << (nn_test_rand(&seed) % 8u)); break;
            case 2: blob[at] = (uint8_t)(blob[at] + 1u); break;
            default: /* an "interesting" 16-bit value */
                if (at + 1 < size) {
                    static const uint16_t vals[6] = {0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x1000};
                    nnb_put_u16(blob + at, vals[nn_test_rand(&seed) % 6u]);
                }
                break;
            }
        }
        nnb_fix_crc(blob, size);
        if (parse_and_run(blob, size) == NN_OK) {
            parsed++;
        }
        free(blob);
    }
    printf("  %u of 30000 mutants parsed (and ran)\n", parsed);
}

static void test_random_garbage(void)
{
    uint32_t seed = 77u, it;
    for (it = 0; it < 3000; it++) {
        const size_t size = 64 + nn_test_rand(&seed) % 600u;
        uint8_t *p = (uint8_t *)malloc(size);
        size_t i;
        nn_model m;
        for (i = 0; i < size; i++) {
            p[i] = (uint8_t)nn_test_rand(&seed);
        }
        memcpy(p, "NNET", 4);
        nnb_put_u16(p + 4, 1);
        nnb_put_u16(p + 6, 64);
        nnb_put_u32(p + 8, (uint32_t)size);
        nnb_fix_crc(p, size);
        NN_CHECK(nn_model_parse(p, size, &m, NULL) != NN_OK);
        free(p);
    }
}

/* ---------------------------------------------------------------- specific corruptions */

typedef void (*corrupt_fn)(uint8_t *blob, const nnb_layout *l);

/* Corrupt sample `variant`, fix the CRC, expect `status`. Returns the diag. */
static nn_diag expect_corrupt(uint32_t variant, corrupt_fn fn, nn_status status, const char *what)
{
    size_t size;
    nnb_layout l;
    uint8_t *blob = nnb_sample_model(variant, &size, &l);
    nn_diag d;
    nn_status s;
    fn(blob, &l);
    nnb_fix_crc(blob, size);
    s = parse_copy(blob, size, &d);
    if (s != status) {
        printf("  %s: got %s, expected %s\n", what, nn_status_name(s), nn_status_name(status));
    }
    NN_CHECK_EQ_INT(s, status);
    NN_CHECK_EQ_INT(d.status, status);
    free(blob);
    return d;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* sample 0: op 1 is the CONV 3x3 (body at op_offset + 12), op 7 the FC, op 8 the SOFTMAX */
#define CONV_BODY(l) ((l)->op_offset[1] + NN_OP_HEADER_SIZE)
#define QUANT_OF_CONV(b, l) rd32((b) + CONV_BODY(l) + 20)

static void c_magic(uint8_t *b, const nnb_layout *l) { (void)l; b[3] = 'X'; }
static void c_version(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 4, 2); }
static void c_header_size(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 6, 68); }
static void c_flags(uint8_t *b, const nnb_layout *l) { (void)l; b[16] = 1; }
static void c_reserved(uint8_t *b, const nnb_layout *l) { (void)l; b[61] = 1; }
static void c_total_small(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u32(b + 8, 12); }
static void c_tensor_count0(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 20, 0); }
static void c_op_count_big(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 22, 2000); }
static void c_data_size(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 56, l->data_size - 16); }
static void c_data_offset(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 52, 0xFFFFFFF0u); (void)l; }
static void c_tensors_offset(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 28, l->total_size + 64); }
static void c_tensors_misaligned(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 28, l->tensors_offset - 2); }
static void c_ops_size(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 36, 0xFFFFFFF0u); (void)l; }
static void c_ops_size_short(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + 36, l->ops_size - 4); }
static void c_input_tensor(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 46, 10); }
static void c_output_is_input(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 48, 0); }
static void c_layout(uint8_t *b, const nnb_layout *l) { b[l->input_spec_offset] = 3; }
static void c_lut_count(uint8_t *b, const nnb_layout *l) { b[l->input_spec_offset + 1] = 2; }
static void c_lut_gray(uint8_t *b, const nnb_layout *l) { b[l->input_spec_offset] = NN_COLOUR_GRAY8; b[l->input_spec_offset + 1] = 1; }
static void c_spec_reserved(uint8_t *b, const nnb_layout *l) { b[l->input_spec_offset + 3] = 9; }
static void c_tensor_type(uint8_t *b, const nnb_layout *l) { b[l->tensors_offset + 20 * 3] = 2; }
static void c_tensor_rank(uint8_t *b, const nnb_layout *l) { b[l->tensors_offset + 20 * 3 + 1] = 5; }
static void c_tensor_rank0(uint8_t *b, const nnb_layout *l) { b[l->tensors_offset + 20 * 3 + 1] = 0; }
static void c_tensor_dim_absurd(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u16(b + l->tensors_offset + 20 * 5 + 6, 65535);
    nnb_put_u16(b + l->tensors_offset + 20 * 5 + 8, 65535);
}
static void c_tensor_elements(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u16(b + l->tensors_offset + 20 * 5 + 4, 4096);
    nnb_put_u16(b + l->tensors_offset + 20 * 5 + 6, 4096);
}
static void c_tensor_dim0(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->tensors_offset + 20 * 5 + 8, 0); }
static void c_tensor_extra_dim(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->tensors_offset + 20 * 7 + 8, 1); }
static void c_tensor_zp(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->tensors_offset + 20 * 2 + 16, 200); }
static void c_opcode_unknown(uint8_t *b, const nnb_layout *l) { b[l->op_offset[3]] = 0x2A; }
static void c_opcode_zero(uint8_t *b, const nnb_layout *l) { b[l->op_offset[0]] = 0; }
static void c_op_reserved(uint8_t *b, const nnb_layout *l) { b[l->op_offset[0] + 1] = 1; }
static void c_record_size(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[1] + 2, 40); }
static void c_op_tensor_range(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[2] + 4, 77); }
static void c_op_output_range(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[2] + 8, 0xFFFF); }
static void c_op_input1_single(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[2] + 6, 1); }
static void c_op_use_before_def(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[1] + 4, 5); }
static void c_op_two_writers(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[6] + 8, 5); }
static void c_op_writes_input(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[0] + 8, 0); }
static void c_conv_kernel(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 0] = 16; }
static void c_conv_stride0(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 2] = 0; }
static void c_conv_dilation(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 5] = 9; }
static void c_conv_pad(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 6] = 3; }
static void c_conv_dm(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + CONV_BODY(l) + 8, 2); }
static void c_conv_act(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 12] = 5; b[CONV_BODY(l) + 13] = 4; }
static void c_conv_stride_shape(uint8_t *b, const nnb_layout *l) { b[CONV_BODY(l) + 2] = 1; }
static void c_conv_w_misaligned(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u32(b + CONV_BODY(l) + 16, rd32(b + CONV_BODY(l) + 16) + 4);
}
static void c_conv_w_range(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + CONV_BODY(l) + 16, 0xFFFFFFF0u); }
static void c_conv_w_before_data(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + CONV_BODY(l) + 16, 0); }
static void c_conv_w_tail(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + CONV_BODY(l) + 16, l->total_size - 16); }
static void c_conv_q_misaligned(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u32(b + CONV_BODY(l) + 20, rd32(b + CONV_BODY(l) + 20) + 2);
}
static void c_conv_q_range(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + CONV_BODY(l) + 20, l->total_size - 8); }
static void c_quant_encoding(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 0] = 2; }
static void c_quant_bias_bits(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 1] = 33; }
static void c_quant_mult_bits(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 2] = 32; }
static void c_quant_mult_bits0(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 2] = 0; }
static void c_quant_shift_bits(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 3] = 7; }
static void c_quant_shift_base(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 4] = 31; }
static void c_quant_reserved(uint8_t *b, const nnb_layout *l) { b[QUANT_OF_CONV(b, l) + 6] = 1; }
static void c_quant_channels(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + QUANT_OF_CONV(b, l) + 8, 7); }
static void c_pool_pad(uint8_t *b, const nnb_layout *l) { b[l->op_offset[5] + 12 + 4] = 4; }
static void c_pool_filter0(uint8_t *b, const nnb_layout *l) { b[l->op_offset[5] + 12 + 1] = 0; }
static void c_pool_stride(uint8_t *b, const nnb_layout *l)
{
    b[l->op_offset[5] + 12 + 0] = 1; /* 1x1 filter, stride 1 over 4x4 gives 4x4, not 1x1 */
    b[l->op_offset[5] + 12 + 2] = 1;
}
static void c_pad_after(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[0] + 12 + 8 + 2, 2); }
static void c_add_left_shift(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[3] + 12, 31); }
static void c_add_shift(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[3] + 12 + 8, 1); }
static void c_add_mult(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[3] + 12 + 4, 0x80000000u); }
static void c_add_input1(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[3] + 6, 0xFFFF); }
static void c_softmax_zp(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->tensors_offset + 20 * 9 + 16, 0); }
static void c_softmax_shift(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[8] + 12 + 4, 32); }
static void c_softmax_diff_min(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[8] + 12 + 8, 1000000000u); }
static void c_softmax_diff_min_pos(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->op_offset[8] + 12 + 8, 1); }
static void c_reshape_count(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->tensors_offset + 20 * 7 + 6, 15); }
static void c_fc_shape(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->tensors_offset + 20 * 8 + 4, 3); }
static void c_labels(uint8_t *b, const nnb_layout *l) { b[l->labels_offset + 4] = 200; }
static void c_label_count(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 44, 40); }
static void c_ops_trailing(uint8_t *b, const nnb_layout *l) { (void)l; nnb_put_u16(b + 22, 8); }

static void test_header_corruptions(void)
{
    expect_corrupt(0, c_magic, NN_ERR_BAD_MAGIC, "magic");
    expect_corrupt(0, c_version, NN_ERR_BAD_VERSION, "version");
    expect_corrupt(0, c_header_size, NN_ERR_BAD_HEADER, "header_size");
    expect_corrupt(0, c_flags, NN_ERR_BAD_HEADER, "flags");
    expect_corrupt(0, c_reserved, NN_ERR_BAD_HEADER, "reserved");
    expect_corrupt(0, c_total_small, NN_ERR_BAD_HEADER, "total_size < header");
    expect_corrupt(0, c_tensor_count0, NN_ERR_BAD_HEADER, "tensor_count 0");
    expect_corrupt(0, c_op_count_big, NN_ERR_BAD_HEADER, "op_count 2000");
    expect_corrupt(0, c_label_count, NN_ERR_BAD_LABELS, "label_count too large for the table");
    expect_corrupt(0, c_input_tensor, NN_ERR_BAD_TENSOR, "input tensor index");
    expect_corrupt(0, c_output_is_input, NN_ERR_BAD_OP, "output == input");
}

static void test_section_corruptions(void)
{
    nn_diag d;
    d = expect_corrupt(0, c_data_size, NN_ERR_BAD_OFFSET, "data_size");
    NN_CHECK_EQ_INT(d.byte_offset, 56);
    expect_corrupt(0, c_data_offset, NN_ERR_BAD_OFFSET, "data_offset");
    d = expect_corrupt(0, c_tensors_offset, NN_ERR_BAD_OFFSET, "tensors_offset");
    NN_CHECK_EQ_INT(d.byte_offset, 28);
    expect_corrupt(0, c_tensors_misaligned, NN_ERR_BAD_ALIGNMENT, "tensors_offset misaligned");
    expect_corrupt(0, c_ops_size, NN_ERR_BAD_OFFSET, "ops_size");
    expect_corrupt(0, c_ops_size_short, NN_ERR_BAD_OP, "ops_size one word short");
    expect_corrupt(0, c_ops_trailing, NN_ERR_BAD_OP, "op table with bytes left over");
    expect_corrupt(0, c_labels, NN_ERR_BAD_LABELS, "label length");
}

static void test_input_spec_corruptions(void)
{
    expect_corrupt(0, c_layout, NN_ERR_BAD_INPUT_SPEC, "layout 3");
    expect_corrupt(0, c_lut_count, NN_ERR_BAD_INPUT_SPEC, "lut_count 2");
    expect_corrupt(0, c_lut_gray, NN_ERR_BAD_INPUT_SPEC, "gray layout, 3-channel input");
    expect_corrupt(0, c_spec_reserved, NN_ERR_BAD_INPUT_SPEC, "input spec reserved");
}

static void test_tensor_corruptions(void)
{
    nn_diag d;
    expect_corrupt(0, c_tensor_type, NN_ERR_BAD_TENSOR, "type");
    expect_corrupt(0, c_tensor_rank, NN_ERR_BAD_TENSOR, "rank 5");
    expect_corrupt(0, c_tensor_rank0, NN_ERR_BAD_TENSOR, "rank 0");
    d = expect_corrupt(0, c_tensor_dim_absurd, NN_ERR_BAD_SHAPE, "65535 x 65535");
    NN_CHECK_EQ_INT(d.tensor_index, 5);
    NN_CHECK_EQ_INT(d.op_index, -1);
    expect_corrupt(0, c_tensor_elements, NN_ERR_BAD_SHAPE, "4096 x 4096 x 4 x 16 elements");
    expect_corrupt(0, c_tensor_dim0, NN_ERR_BAD_SHAPE, "dim 0");
    expect_corrupt(0, c_tensor_extra_dim, NN_ERR_BAD_TENSOR, "dim beyond rank");
    d = expect_corrupt(0, c_tensor_zp, NN_ERR_BAD_TENSOR, "zero point 200");
    NN_CHECK_EQ_INT(d.tensor_index, 2);
}

static void test_op_corruptions(void)
{
    nn_diag d;
    size_t size;
    nnb_layout l;
    uint8_t *blob = nnb_sample_model(0, &size, &l);
    free(blob);

    d = expect_corrupt(0, c_opcode_unknown, NN_ERR_UNKNOWN_OP, "opcode 42");
    NN_CHECK_EQ_INT(d.op_index, 3);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)l.op_offset[3]);
    expect_corrupt(0, c_opcode_zero, NN_ERR_UNKNOWN_OP, "opcode 0");
    expect_corrupt(0, c_op_reserved, NN_ERR_BAD_OP, "op reserved");
    d = expect_corrupt(0, c_record_size, NN_ERR_BAD_OP, "record size");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)l.op_offset[1] + 2);
    d = expect_corrupt(0, c_op_tensor_range, NN_ERR_BAD_TENSOR, "input index 77");
    NN_CHECK_EQ_INT(d.op_index, 2);
    NN_CHECK_EQ_INT(d.tensor_index, 77);
    expect_corrupt(0, c_op_output_range, NN_ERR_BAD_TENSOR, "output index 0xFFFF");
    expect_corrupt(0, c_op_input1_single, NN_ERR_BAD_OP, "input1 on a single-input op");
    d = expect_corrupt(0, c_op_use_before_def, NN_ERR_BAD_OP, "use before definition");
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.tensor_index, 5);
    expect_corrupt(0, c_op_two_writers, NN_ERR_BAD_OP, "two writers");
    d = expect_corrupt(0, c_op_writes_input, NN_ERR_BAD_OP, "op writes the graph input");
    NN_CHECK_EQ_INT(d.op_index, 0);
    NN_CHECK_EQ_INT(d.tensor_index, 0);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)l.op_offset[0] + 8);
    expect_corrupt(0, c_add_input1, NN_ERR_BAD_TENSOR, "ADD without input1");
}

static void test_param_corruptions(void)
{
    expect_corrupt(0, c_conv_kernel, NN_ERR_BAD_PARAM, "kernel 16");
    expect_corrupt(0, c_conv_stride0, NN_ERR_BAD_PARAM, "stride 0");
    expect_corrupt(0, c_conv_dilation, NN_ERR_BAD_PARAM, "dilation 9");
    expect_corrupt(0, c_conv_pad, NN_ERR_BAD_PARAM, "pad beyond kernel");
    expect_corrupt(0, c_conv_dm, NN_ERR_BAD_PARAM, "CONV_2D depth multiplier 2");
    expect_corrupt(0, c_conv_act, NN_ERR_BAD_PARAM, "act_min > act_max");
    expect_corrupt(0, c_conv_stride_shape, NN_ERR_BAD_SHAPE, "stride 1 with a stride-2 output");
    expect_corrupt(0, c_pool_pad, NN_ERR_BAD_PARAM, "pool pad >= filter");
    expect_corrupt(0, c_pool_filter0, NN_ERR_BAD_PARAM, "pool filter 0");
    expect_corrupt(0, c_pool_stride, NN_ERR_BAD_SHAPE, "pool 1x1/1 with a 1x1 output");
    expect_corrupt(0, c_pad_after, NN_ERR_BAD_SHAPE, "pad after inconsistent");
    expect_corrupt(0, c_add_left_shift, NN_ERR_BAD_PARAM, "ADD left shift 31");
    expect_corrupt(0, c_add_shift, NN_ERR_BAD_PARAM, "ADD positive shift");
    expect_corrupt(0, c_add_mult, NN_ERR_BAD_PARAM, "ADD negative multiplier");
    expect_corrupt(0, c_softmax_zp, NN_ERR_BAD_PARAM, "softmax output zp 0");
    expect_corrupt(0, c_softmax_shift, NN_ERR_BAD_PARAM, "softmax left shift 32");
    expect_corrupt(0, c_softmax_diff_min, NN_ERR_BAD_PARAM, "softmax diff_min too large");
    expect_corrupt(0, c_softmax_diff_min_pos, NN_ERR_BAD_PARAM, "softmax diff_min > 0");
    expect_corrupt(0, c_reshape_count, NN_ERR_BAD_SHAPE, "reshape element count");
    expect_corrupt(0, c_fc_shape, NN_ERR_BAD_SHAPE, "FC batches do not divide the input");
}

static void test_weight_and_quant_corruptions(void)
{
    nn_diag d;
    size_t size;
    nnb_layout l;
    uint8_t *blob = nnb_sample_model(0, &size, &l);
    const uint32_t q = QUANT_OF_CONV(blob, &l);
    free(blob);

    d = expect_corrupt(0, c_conv_w_misaligned, NN_ERR_BAD_ALIGNMENT, "weights misaligned");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)CONV_BODY(&l) + 16);
    NN_CHECK_EQ_INT(d.op_index, 1);
    expect_corrupt(0, c_conv_w_range, NN_ERR_BAD_OFFSET, "weights at 0xFFFFFFF0");
    expect_corrupt(0, c_conv_w_before_data, NN_ERR_BAD_OFFSET, "weights before the data section");
    expect_corrupt(0, c_conv_w_tail, NN_ERR_BAD_OFFSET, "weights running off the end");
    expect_corrupt(0, c_conv_q_misaligned, NN_ERR_BAD_ALIGNMENT, "quant block misaligned");
    expect_corrupt(0, c_conv_q_range, NN_ERR_BAD_OFFSET, "quant block off the end");
    d = expect_corrupt(0, c_quant_encoding, NN_ERR_BAD_QUANT, "quant encoding");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)q);
    expect_corrupt(0, c_quant_bias_bits, NN_ERR_BAD_QUANT, "bias bits 33");
    d = expect_corrupt(0, c_quant_mult_bits, NN_ERR_BAD_QUANT, "mult bits 32");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)q + 2);
    expect_corrupt(0, c_quant_mult_bits0, NN_ERR_BAD_QUANT, "mult bits 0");
    expect_corrupt(0, c_quant_shift_bits, NN_ERR_BAD_QUANT, "shift bits 7");
    expect_corrupt(0, c_quant_shift_base, NN_ERR_BAD_QUANT, "shift base 31");
    expect_corrupt(0, c_quant_reserved, NN_ERR_BAD_QUANT, "quant reserved");
    expect_corrupt(0, c_quant_channels, NN_ERR_BAD_QUANT, "channel count");
}

/* ---------------------------------------------------------------- targeted rules
 * Each case breaks exactly one rule and checks the diagnostic names that rule's field or tensor, so
 * that removing the rule from the reader makes the case fail (not some other rule catching it). */

/* sample 1: op 0 DEPTHWISE (t0 [1,6,6,1] -> t1 [1,3,3,4], mult 4), op 1 MEAN (t1 -> t2 [1,4]),
 * op 2 FULLY_CONNECTED (t2 -> t3 [1,2]), op 3 SOFTMAX */
#define S1_BODY(l, i) ((l)->op_offset[i] + NN_OP_HEADER_SIZE)
static void c1_mean_mult(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + S1_BODY(l, 1), 1u << 29); }
static void c1_mean_shift_range(uint8_t *b, const nnb_layout *l) { b[S1_BODY(l, 1) + 4] = (uint8_t)(int8_t)-32; }
static void c1_mean_shift_inexact(uint8_t *b, const nnb_layout *l) { b[S1_BODY(l, 1) + 4] = 30; }
static void c1_mean_reserved(uint8_t *b, const nnb_layout *l) { b[S1_BODY(l, 1) + 6] = 1; }
static void c1_mean_out_count(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->tensors_offset + 20 * 2 + 6, 3); }
static void c1_mean_out_last_dim(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u16(b + l->tensors_offset + 20 * 2 + 4, 4); /* [4, 1]: four elements, last dim 1 */
    nnb_put_u16(b + l->tensors_offset + 20 * 2 + 6, 1);
}
static void c1_fc_per_channel(uint8_t *b, const nnb_layout *l) { b[S1_BODY(l, 2) + 2] = 2; }
static void c1_fc_reserved(uint8_t *b, const nnb_layout *l) { b[S1_BODY(l, 2) + 3] = 1; }
static void c1_dw_mult(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + S1_BODY(l, 0) + 8, 2); }
/* sample 0: op 0 PAD (t0 [1,8,8,3] -> t1 [1,9,9,3]), op 3 ADD (t2, t3 -> t4, all [1,4,4,8]),
 * op 5 AVERAGE_POOL (t5 -> t6, zero point -128) */
static void c0_pad_n(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[0] + 12 + 0, 1); }
static void c0_pad_c(uint8_t *b, const nnb_layout *l) { nnb_put_u16(b + l->op_offset[0] + 12 + 8 + 6, 1); }
static void c0_pool_zp(uint8_t *b, const nnb_layout *l) { nnb_put_u32(b + l->tensors_offset + 20 * 6 + 16, (uint32_t)-127); }
static void c0_add_out_shape(uint8_t *b, const nnb_layout *l)
{
    nnb_put_u16(b + l->tensors_offset + 20 * 4 + 6, 2); /* t4 [1,2,8,8]: same element count */
    nnb_put_u16(b + l->tensors_offset + 20 * 4 + 8, 8);
}

static void test_targeted_rules(void)
{
    size_t size;
    nnb_layout l1, l0;
    uint8_t *blob = nnb_sample_model(1, &size, &l1);
    nn_diag d;
    free(blob);
    blob = nnb_sample_model(0, &size, &l0);
    free(blob);

    d = expect_corrupt(1, c1_mean_mult, NN_ERR_BAD_PARAM, "MEAN multiplier below 2^30");
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 1));
    d = expect_corrupt(1, c1_mean_shift_range, NN_ERR_BAD_PARAM, "MEAN shift -32");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 1) + 4);
    /* shift 30 is in range, but over 3x3 = 9 values the folded shift 30 - 3 makes 255 * 9 << 27 overflow */
    d = expect_corrupt(1, c1_mean_shift_inexact, NN_ERR_BAD_PARAM, "MEAN requantisation not exact");
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 1) + 4);
    d = expect_corrupt(1, c1_mean_reserved, NN_ERR_BAD_PARAM, "MEAN reserved");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 1) + 5);
    d = expect_corrupt(1, c1_mean_out_count, NN_ERR_BAD_SHAPE, "MEAN output element count");
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.tensor_index, 2);
    d = expect_corrupt(1, c1_mean_out_last_dim, NN_ERR_BAD_SHAPE, "MEAN output last dim");
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.tensor_index, 2);
    d = expect_corrupt(1, c1_fc_per_channel, NN_ERR_BAD_PARAM, "FULLY_CONNECTED per_channel 2");
    NN_CHECK_EQ_INT(d.op_index, 2);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 2) + 2);
    d = expect_corrupt(1, c1_fc_reserved, NN_ERR_BAD_PARAM, "FULLY_CONNECTED reserved");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)S1_BODY(&l1, 2) + 3);
    d = expect_corrupt(1, c1_dw_mult, NN_ERR_BAD_SHAPE, "depthwise out_c != in_c * multiplier");
    NN_CHECK_EQ_INT(d.op_index, 0);
    NN_CHECK_EQ_INT(d.tensor_index, 1);
    d = expect_corrupt(0, c0_pad_n, NN_ERR_BAD_SHAPE, "PAD on N inconsistent with the shapes");
    NN_CHECK_EQ_INT(d.op_index, 0);
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)l0.op_offset[0] + 12 + 0);
    d = expect_corrupt(0, c0_pad_c, NN_ERR_BAD_SHAPE, "PAD on C inconsistent with the shapes");
    NN_CHECK_EQ_INT(d.byte_offset, (int32_t)l0.op_offset[0] + 12 + 6);
    d = expect_corrupt(0, c0_pool_zp, NN_ERR_BAD_PARAM, "pool input and output zero points differ");
    NN_CHECK_EQ_INT(d.op_index, 5);
    NN_CHECK_EQ_INT(d.tensor_index, 6);
    d = expect_corrupt(0, c0_add_out_shape, NN_ERR_BAD_SHAPE, "ADD output shape differs (same element count)");
    NN_CHECK_EQ_INT(d.op_index, 3);
    NN_CHECK_EQ_INT(d.tensor_index, 2);
}

/* A model whose header names a graph output that no op writes. */
static void test_output_never_written(void)
{
    nnb_builder b;
    nnb_conv_opts o;
    const int8_t w[1] = {1};
    const int32_t bias[1] = {0}, mult[1] = {1 << 30}, shift[1] = {0};
    size_t size;
    uint8_t *blob;
    nn_diag d;
    uint16_t t0, t1, t2;
    nnb_init(&b);
    t0 = nnb_tensor4(&b, 1, 2, 2, 1, 0);
    t1 = nnb_tensor4(&b, 1, 2, 2, 1, 0);
    t2 = nnb_tensor4(&b, 1, 2, 2, 1, 0); /* no op writes it */
    memset(&o, 0, sizeof(o));
    o.kh = o.kw = o.sh = o.sw = o.dh = o.dw = 1;
    o.depth_multiplier = 1;
    o.act_min = -128;
    o.act_max = 127;
    nnb_conv(&b, NN_OP_CONV_2D, t0, t1, &o, nnb_weights(&b, w, 1), nnb_quant(&b, 1, bias, mult, shift));
    nnb_io(&b, t0, t2);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(parse_copy(blob, size, &d), NN_ERR_BAD_OP);
    NN_CHECK_EQ_INT(d.op_index, -1);
    NN_CHECK_EQ_INT(d.tensor_index, t2);
    NN_CHECK_EQ_INT(d.byte_offset, 48); /* the header's output_tensor field */
    free(blob);
}

/* ADD: input1's shape differs from the output (same element count); the NHWC views of a rank-2
 * [1,8] and a rank-4 [1,1,1,8] are the same shape and are accepted. */
static void test_add_shapes(void)
{
    const int32_t p[7] = {20, 1 << 30, -1, 1 << 30, -1, 1 << 30, -20};
    nnb_builder b;
    size_t size;
    uint8_t *blob;
    nn_diag d;
    uint16_t t0, t1, t2;
    const uint32_t dims2[2] = {1, 8};
    nnb_init(&b);
    t0 = nnb_tensor4(&b, 1, 4, 4, 2, 0);
    t1 = nnb_tensor4(&b, 1, 2, 8, 2, 0);
    t2 = nnb_tensor4(&b, 1, 4, 4, 2, 0);
    nnb_reshape(&b, t0, t1);
    nnb_add(&b, t0, t1, t2, p, -128, 127);
    nnb_io(&b, t0, t2);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(parse_copy(blob, size, &d), NN_ERR_BAD_SHAPE);
    NN_CHECK_EQ_INT(d.op_index, 1);
    NN_CHECK_EQ_INT(d.tensor_index, t1);
    free(blob);

    nnb_init(&b);
    t0 = nnb_tensor(&b, 2, dims2, 3);
    t1 = nnb_tensor4(&b, 1, 1, 1, 8, 3);
    t2 = nnb_tensor4(&b, 1, 1, 1, 8, -1);
    nnb_reshape(&b, t0, t1);
    nnb_add(&b, t1, t0, t2, p, -128, 127);
    nnb_io(&b, t0, t2);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(parse_and_run(blob, size), NN_OK);
    free(blob);
}

/* PAD on N and C is valid (only H and W pads can be folded into a convolution): the engine's
 * output equals a naive pad written here. */
static void test_pad_on_n_and_c(void)
{
    static const uint16_t before[4] = {1, 1, 0, 1}, after[4] = {0, 0, 2, 1};
    nnb_builder b;
    size_t size, need;
    uint8_t *blob, *arena;
    nn_model m;
    int8_t x[3 * 3 * 2], y[2 * 4 * 5 * 4], expected[2 * 4 * 5 * 4];
    int32_t n, h, w, c, i;
    uint16_t t0, t1;
    nnb_init(&b);
    t0 = nnb_tensor4(&b, 1, 3, 3, 2, 5);
    t1 = nnb_tensor4(&b, 2, 4, 5, 4, -7); /* pad value: the output zero point */
    nnb_pad(&b, t0, t1, before, after);
    nnb_io(&b, t0, t1);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    for (i = 0; i < 18; i++) {
        x[i] = (int8_t)(i * 13 - 100);
    }
    for (n = 0; n < 2; n++) {
        for (h = 0; h < 4; h++) {
            for (w = 0; w < 5; w++) {
                for (c = 0; c < 4; c++) {
                    const int32_t in_n = n - 1, in_h = h - 1, in_w = w, in_c = c - 1;
                    const int inside = in_n == 0 && in_h >= 0 && in_h < 3 && in_w < 3 && in_c >= 0 && in_c < 2;
                    expected[((n * 4 + h) * 5 + w) * 4 + c] = inside ? x[(in_h * 3 + in_w) * 2 + in_c] : (int8_t)-7;
                }
            }
        }
    }
    need = nn_executor_arena_size(&m);
    arena = (uint8_t *)malloc(need);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, sizeof(x), y, sizeof(y), arena, need, NULL, NULL), NN_OK);
    NN_CHECK(memcmp(y, expected, sizeof(y)) == 0);
    free(arena);
    free(blob);
}

/* A one-op model: CONV 1x1 over [1,2,2,c] with the given quantisation. */
static nn_status parse_conv_quant(uint32_t c, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                                  nn_diag *d)
{
    nnb_builder b;
    nnb_conv_opts o;
    int8_t w[64];
    size_t size;
    uint8_t *blob;
    nn_status s;
    uint16_t t0, t1;
    memset(w, 1, sizeof(w));
    nnb_init(&b);
    t0 = nnb_tensor4(&b, 1, 2, 2, c, 0);
    t1 = nnb_tensor4(&b, 1, 2, 2, c, 0);
    memset(&o, 0, sizeof(o));
    o.kh = o.kw = o.sh = o.sw = o.dh = o.dw = 1;
    o.depth_multiplier = 1;
    o.act_min = -128;
    o.act_max = 127;
    nnb_conv(&b, NN_OP_CONV_2D, t0, t1, &o, nnb_weights(&b, w, c * c), nnb_quant(&b, c, bias, mult, shift));
    nnb_io(&b, t0, t1);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    s = parse_copy(blob, size, d);
    free(blob);
    return s;
}

static void test_quant_values(void)
{
    nn_diag d;
    {
        const int32_t bias[2] = {5, -7}, mult[2] = {1 << 30, 0x7FFFFFFF}, shift[2] = {-31, 30};
        /* shift 30 with a 1x1x2 conv: (2 * 32640 + 7) << 30 overflows int32: rejected */
        NN_CHECK_EQ_INT(parse_conv_quant(2, bias, mult, shift, &d), NN_ERR_BAD_QUANT);
    }
    {
        const int32_t bias[2] = {5, -7}, mult[2] = {1 << 30, 0x7FFFFFFF}, shift[2] = {-31, 14};
        NN_CHECK_EQ_INT(parse_conv_quant(2, bias, mult, shift, &d), NN_OK); /* 65287 << 14 < 2^31 */
    }
    {
        const int32_t bias[2] = {0, 0}, mult[2] = {0, 1 << 29}, shift[2] = {0, 0};
        NN_CHECK_EQ_INT(parse_conv_quant(2, bias, mult, shift, &d), NN_ERR_BAD_QUANT); /* 2^29 < 2^30 */
        NN_CHECK_EQ_INT(d.op_index, 0);
    }
    {
        const int32_t bias[2] = {0, 0}, mult[2] = {0, 0}, shift[2] = {-32, 0};
        NN_CHECK_EQ_INT(parse_conv_quant(2, bias, mult, shift, &d), NN_ERR_BAD_QUANT); /* shift -32 */
    }
    {
        const int32_t bias[2] = {0x7FFFFFFF, 0}, mult[2] = {1 << 30, 1 << 30}, shift[2] = {-1, -1};
        NN_CHECK_EQ_INT(parse_conv_quant(2, bias, mult, shift, &d), NN_ERR_BAD_QUANT); /* bias + acc overflow */
    }
    {
        const int32_t bias[3] = {-1, (int32_t)0x80000000u + 0, 3}, mult[3] = {1 << 30, 1 << 30, 1 << 30},
                      shift[3] = {0, 0, 0};
        NN_CHECK_EQ_INT(parse_conv_quant(3, bias, mult, shift, &d), NN_ERR_BAD_QUANT); /* INT32_MIN bias */
    }
    {
        const int32_t bias[3] = {-1000000, 1000000, 0}, mult[3] = {0, 1 << 30, 0x7FFF0000},
                      shift[3] = {-3, 0, 2};
        NN_CHECK_EQ_INT(parse_conv_quant(3, bias, mult, shift, &d), NN_OK);
    }
}

int main(void)
{
    NN_RUN(test_samples_parse);
    NN_RUN(test_sample0_fields);
    NN_RUN(test_crc32_known_value);
    NN_RUN(test_status_strings);
    NN_RUN(test_null_arguments);
    NN_RUN(test_truncation_every_length);
    NN_RUN(test_every_byte_flip);
    NN_RUN(test_random_mutations);
    NN_RUN(test_random_garbage);
    NN_RUN(test_header_corruptions);
    NN_RUN(test_section_corruptions);
    NN_RUN(test_input_spec_corruptions);
    NN_RUN(test_tensor_corruptions);
    NN_RUN(test_op_corruptions);
    NN_RUN(test_param_corruptions);
    NN_RUN(test_weight_and_quant_corruptions);
    NN_RUN(test_quant_values);
    NN_RUN(test_targeted_rules);
    NN_RUN(test_output_never_written);
    NN_RUN(test_add_shapes);
    NN_RUN(test_pad_on_n_and_c);
    return nn_test_finish();
}

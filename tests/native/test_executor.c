/*
 * test_executor.c - the layer-by-layer executor and the flat C API.
 *
 * The reference here is an independent, naive interpreter of the blob (its own little-endian
 * reads and quantisation bit decoder, textbook loops for every op except SOFTMAX and MEAN,
 * whose fixed-point recipes are the kernels' own): every tensor the executor writes is
 * compared with it through the observer. Plus hand-checked cases (identity conv, reshape,
 * pad), the arena plan's size, and every argument error.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nanonet.h"
#include "nanonet/nn_executor.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_model.h"
#include "nanonet/nn_planner.h"
#include "nanonet/nn_requant.h"
#include "nn_test.h"
#include "nnb_builder.h"

/* The API is a thin layer over the engine: compile it into this test to exercise it. */
#include "../../native-interop/src/api/nanonet_api.c"

/* ---------------------------------------------------------------- naive reference */

static uint32_t r16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t r32(const uint8_t *p) { return r16(p) | (r16(p + 2) << 16); }
static int32_t s32(const uint8_t *p) { return (int32_t)r32(p); }
static int32_t s8(const uint8_t *p) { return (int32_t)(int8_t)p[0]; }

typedef struct ref_tensor {
    int32_t dims[4]; /* NHWC view */
    int32_t zp;
    uint32_t count;
    uint32_t last;
    int8_t *data;
} ref_tensor;

static void ref_quant(const uint8_t *blob, uint32_t off, int32_t *bias, int32_t *mult, int32_t *shift)
{
    const uint32_t bb = blob[off + 1], mb = blob[off + 2], sb = blob[off + 3];
    const int32_t base = s8(blob + off + 4);
    const uint32_t n = r16(blob + off + 8);
    uint64_t pos = 0;
    uint32_t c, i;
    for (c = 0; c < n; c++) {
        uint64_t v[3] = {0, 0, 0};
        const uint32_t w[3] = {bb, mb, sb};
        uint32_t k;
        for (k = 0; k < 3; k++) {
            for (i = 0; i < w[k]; i++, pos++) {
                v[k] |= (uint64_t)((blob[off + 12 + pos / 8] >> (pos % 8)) & 1u) << i;
            }
        }
        if (bb && (v[0] >> (bb - 1)) & 1u) {
            bias[c] = (int32_t)((int64_t)v[0] - ((int64_t)1 << bb));
        } else {
            bias[c] = (int32_t)v[0];
        }
        mult[c] = (int32_t)(v[1] << (31 - mb));
        shift[c] = base + (int32_t)v[2];
    }
}

static int8_t clamp8(int32_t v, int32_t lo, int32_t hi)
{
    return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* Runs the blob naively; returns malloc'd tensors (caller frees with ref_free). */
static ref_tensor *ref_run(const uint8_t *blob, const int8_t *input)
{
    const uint32_t tc = r16(blob + 20), oc = r16(blob + 22);
    const uint32_t toff = r32(blob + 28);
    uint32_t pos = r32(blob + 32);
    ref_tensor *t = (ref_tensor *)calloc(tc, sizeof(ref_tensor));
    uint32_t i, k;
    for (i = 0; i < tc; i++) {
        const uint8_t *e = blob + toff + 20 * i;
        const uint32_t rank = e[1];
        t[i].dims[0] = t[i].dims[1] = t[i].dims[2] = t[i].dims[3] = 1;
        t[i].count = 1;
        for (k = 0; k < rank; k++) {
            t[i].dims[4 - rank + k] = (int32_t)r16(e + 4 + 2 * k);
            t[i].count *= r16(e + 4 + 2 * k);
        }
        t[i].zp = s32(e + 16);
        t[i].data = (int8_t *)calloc(t[i].count, 1);
    }
    memcpy(t[r16(blob + 46)].data, input, t[r16(blob + 46)].count);
    for (i = 0; i < oc; i++) {
        const uint8_t *rec = blob + pos;
        const uint8_t *b = rec + 12;
        const uint32_t op = rec[0];
        ref_tensor *x = &t[r16(rec + 4)], *y = &t[r16(rec + 8)];
        const int32_t *xd = x->dims, *yd = y->dims;
        int32_t n, oy, ox, c;
        if (op == NN_OP_CONV_2D || op == NN_OP_DEPTHWISE_CONV_2D || op == NN_OP_FULLY_CONNECTED) {
            static int32_t bias[4096], mult[4096], shift[4096];
            const int dw = op == NN_OP_DEPTHWISE_CONV_2D;
            if (op == NN_OP_FULLY_CONNECTED) {
                const int8_t *w = (const int8_t *)(blob + r32(b + 4));
                const int32_t od = yd[3], batches = (int32_t)y->count / od, id = (int32_t)x->count / batches;
                ref_quant(blob, r32(b + 8), bias, mult, shift);
                for (n = 0; n < batches; n++) {
                    for (c = 0; c < od; c++) {
                        int32_t acc = bias[c], j;
                        for (j = 0; j < id; j++) {
                            acc += w[c * id + j] * (x->data[n * id + j] - x->zp);
                        }
                        acc = nn_multiply_by_quantized_multiplier(acc, mult[c], shift[c]) + y->zp;
                        y->data[n * od + c] = clamp8(acc, s8(b + 0), s8(b + 1));
                    }
                }
            } else {
                const int32_t kh = b[0], kw = b[1], sh = b[2], sw = b[3], dh = b[4], dwl = b[5];
                const int32_t pt = b[6], pl = b[7], dm = (int32_t)r16(b + 8);
                const int8_t *w = (const int8_t *)(blob + r32(b + 16));
                ref_quant(blob, r32(b + 20), bias, mult, shift);
                for (n = 0; n < yd[0]; n++)
                    for (oy = 0; oy < yd[1]; oy++)
                        for (ox = 0; ox < yd[2]; ox++)
                            for (c = 0; c < yd[3]; c++) {
                                int32_t acc = bias[c], ky, kx, ic;
                                for (ky = 0; ky < kh; ky++)
                                    for (kx = 0; kx < kw; kx++) {
                                        const int32_t iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dwl;
                                        if (iy < 0 || iy >= xd[1] || ix < 0 || ix >= xd[2]) continue;
                                        if (dw) {
                                            ic = c / dm;
                                            acc += w[(ky * kw + kx) * yd[3] + c] *
                                                   (x->data[((n * xd[1] + iy) * xd[2] + ix) * xd[3] + ic] - x->zp);
                                        } else {
                                            for (ic = 0; ic < xd[3]; ic++) {
                                                acc += w[((c * kh + ky) * kw + kx) * xd[3] + ic] *
                                                       (x->data[((n * xd[1] + iy) * xd[2] + ix) * xd[3] + ic] - x->zp);
                                            }
                                        }
                                    }
                                acc = nn_multiply_by_quantized_multiplier(acc, mult[c], shift[c]) + y->zp;
                                y->data[((n * yd[1] + oy) * yd[2] + ox) * yd[3] + c] = clamp8(acc, s8(b + 12), s8(b + 13));
                            }
            }
        } else if (op == NN_OP_AVERAGE_POOL_2D) {
            const int32_t fh = b[0], fw = b[1], sh = b[2], sw = b[3], pt = b[4], pl = b[5];
            for (n = 0; n < yd[0]; n++)
                for (oy = 0; oy < yd[1]; oy++)
                    for (ox = 0; ox < yd[2]; ox++)
                        for (c = 0; c < yd[3]; c++) {
                            int32_t sum = 0, cnt = 0, ky, kx, avg;
                            for (ky = 0; ky < fh; ky++)
                                for (kx = 0; kx < fw; kx++) {
                                    const int32_t iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                                    if (iy < 0 || iy >= xd[1] || ix < 0 || ix >= xd[2]) continue;
                                    sum += x->data[((n * xd[1] + iy) * xd[2] + ix) * xd[3] + c];
                                    cnt++;
                                }
                            avg = sum > 0 ? (sum + cnt / 2) / cnt : (sum - cnt / 2) / cnt;
                            y->data[((n * yd[1] + oy) * yd[2] + ox) * yd[3] + c] = clamp8(avg, s8(b + 6), s8(b + 7));
                        }
        } else if (op == NN_OP_MEAN) {
            nn_mean_params p;
            nn_dims d;
            p.input_offset = -x->zp;
            p.output_offset = y->zp;
            p.multiplier = s32(b);
            p.shift = s8(b + 4);
            d.n = xd[0]; d.h = xd[1]; d.w = xd[2]; d.c = xd[3];
            nn_mean_hw_s8(&p, &d, x->data, y->data);
        } else if (op == NN_OP_SOFTMAX) {
            nn_softmax_params p;
            p.input_multiplier = s32(b);
            p.input_left_shift = s32(b + 4);
            p.diff_min = s32(b + 8);
            nn_softmax_s8(&p, (int32_t)y->count / yd[3], yd[3], x->data, y->data);
        } else if (op == NN_OP_ADD) {
            const ref_tensor *x2 = &t[r16(rec + 6)];
            const int32_t ls = s32(b);
            uint32_t j;
            for (j = 0; j < y->count; j++) {
                const int32_t a = (x->data[j] - x->zp) * (1 << ls), bb = (x2->data[j] - x2->zp) * (1 << ls);
                const int32_t as = nn_multiply_by_quantized_multiplier(a, s32(b + 4), s32(b + 8));
                const int32_t bs = nn_multiply_by_quantized_multiplier(bb, s32(b + 12), s32(b + 16));
                const int32_t o = nn_multiply_by_quantized_multiplier(as + bs, s32(b + 20), s32(b + 24)) + y->zp;
                y->data[j] = clamp8(o, s8(b + 28), s8(b + 29));
            }
        } else if (op == NN_OP_PAD) {
            int32_t q[4];
            for (q[0] = 0; q[0] < yd[0]; q[0]++)
                for (q[1] = 0; q[1] < yd[1]; q[1]++)
                    for (q[2] = 0; q[2] < yd[2]; q[2]++)
                        for (q[3] = 0; q[3] < yd[3]; q[3]++) {
                            int32_t src[4], inside = 1;
                            for (k = 0; k < 4; k++) {
                                src[k] = q[k] - (int32_t)r16(b + 2 * k);
                                if (src[k] < 0 || src[k] >= xd[k]) inside = 0;
                            }
                            y->data[((q[0] * yd[1] + q[1]) * yd[2] + q[2]) * yd[3] + q[3]] =
                                inside ? x->data[((src[0] * xd[1] + src[1]) * xd[2] + src[2]) * xd[3] + src[3]]
                                       : (int8_t)y->zp;
                        }
        } else if (op == NN_OP_RESHAPE) {
            memcpy(y->data, x->data, y->count);
        }
        pos += r16(rec + 2);
    }
    return t;
}

static void ref_free(ref_tensor *t, uint32_t count)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        free(t[i].data);
    }
    free(t);
}

/* ---------------------------------------------------------------- observer */

typedef struct capture {
    uint32_t calls;
    uint32_t op[64];
    uint32_t tensor[64];
    uint32_t size[64];
    int8_t *data[64];
} capture;

static void capture_observer(void *user, uint32_t op_index, uint32_t tensor_index, const int8_t *data, uint32_t size)
{
    capture *c = (capture *)user;
    if (c->calls < 64) {
        c->op[c->calls] = op_index;
        c->tensor[c->calls] = tensor_index;
        c->size[c->calls] = size;
        c->data[c->calls] = (int8_t *)malloc(size);
        memcpy(c->data[c->calls], data, size);
    }
    c->calls++;
}

static void capture_free(capture *c)
{
    uint32_t i;
    for (i = 0; i < c->calls && i < 64; i++) {
        free(c->data[i]);
    }
    memset(c, 0, sizeof(*c));
}

/* Run `blob` on random input; compare every op's output with the reference. */
static void check_against_reference(const uint8_t *blob, size_t size, uint32_t seed, int misalign)
{
    nn_model m;
    nn_tensor_info in, out;
    capture cap;
    ref_tensor *ref;
    int8_t *x, *y;
    uint8_t *arena;
    size_t need;
    uint32_t i;

    memset(&cap, 0, sizeof(cap));
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    nn_model_tensor(&m, m.input_tensor, &in);
    nn_model_tensor(&m, m.output_tensor, &out);
    x = (int8_t *)malloc(in.element_count);
    y = (int8_t *)malloc(out.element_count);
    for (i = 0; i < in.element_count; i++) {
        x[i] = (int8_t)nn_test_rand_range(&seed, -128, 127);
    }
    need = nn_executor_arena_size(&m);
    arena = (uint8_t *)malloc(need + (size_t)misalign);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, in.element_count, y, out.element_count, arena + misalign, need,
                                    capture_observer, &cap),
                    NN_OK);
    NN_CHECK_EQ_INT(cap.calls, m.op_count);
    ref = ref_run(blob, x);
    for (i = 0; i < cap.calls && i < 64; i++) {
        const ref_tensor *r = &ref[cap.tensor[i]];
        NN_CHECK_EQ_INT(cap.op[i], i);
        NN_CHECK_EQ_INT(cap.size[i], r->count);
        if (r->count >= 16) { /* the test data must not saturate: require a spread of values */
            uint8_t seen[256];
            uint32_t j, distinct = 0;
            memset(seen, 0, sizeof(seen));
            for (j = 0; j < r->count; j++) {
                distinct += !seen[(uint8_t)r->data[j]];
                seen[(uint8_t)r->data[j]] = 1;
            }
            if (distinct < 4) {
                printf("  op %u output has only %u distinct values\n", i, distinct);
                nn_test_case_failed = 1;
            }
        }
        if (cap.size[i] == r->count && memcmp(cap.data[i], r->data, r->count) != 0) {
            printf("  op %u (tensor %u) differs from the reference\n", i, cap.tensor[i]);
            nn_test_case_failed = 1;
        }
    }
    NN_CHECK(memcmp(y, ref[m.output_tensor].data, out.element_count) == 0);
    ref_free(ref, m.tensor_count);
    capture_free(&cap);
    free(x);
    free(y);
    free(arena);
}

/* ---------------------------------------------------------------- cases */

static void test_samples_match_reference(void)
{
    uint32_t v;
    for (v = 0; v < NNB_SAMPLE_COUNT; v++) {
        size_t size;
        uint8_t *blob = nnb_sample_model(v, &size, NULL);
        uint32_t trial;
        for (trial = 0; trial < 20; trial++) {
            check_against_reference(blob, size, 1000u * v + trial + 1u, (int)(trial % 16u));
        }
        free(blob);
    }
}

static void test_identity_conv_and_reshape(void)
{
    size_t size;
    uint8_t *blob = nnb_sample_model(2, &size, NULL);
    nn_model m;
    int8_t x[32], y[32];
    uint8_t arena[1024];
    capture cap;
    uint32_t i, seed = 5;
    memset(&cap, 0, sizeof(cap));
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    NN_CHECK(nn_executor_arena_size(&m) <= sizeof(arena));
    for (i = 0; i < 32; i++) {
        x[i] = (int8_t)nn_test_rand_range(&seed, -128, 127);
    }
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 32, y, 32, arena, sizeof(arena), capture_observer, &cap), NN_OK);
    NN_CHECK(memcmp(x, y, 32) == 0); /* 1x1 conv with identity weights, multiplier 2^30 shift 1 = x */
    NN_CHECK_EQ_INT(cap.calls, 2);
    NN_CHECK_EQ_INT(cap.tensor[0], 1);
    NN_CHECK_EQ_INT(cap.tensor[1], 2);
    NN_CHECK(cap.calls == 2 && memcmp(cap.data[0], x, 32) == 0 && memcmp(cap.data[1], x, 32) == 0);
    NN_CHECK_EQ_INT(nn_model_macs(&m), 4 * 4 * 2 * 2);
    capture_free(&cap);
    free(blob);
}

static void test_pad_by_hand(void)
{
    /* [1,2,2,1] zp 5 padded by 1 before H and 1 after W: pad value is the output zero point (5) */
    nnb_builder b;
    const uint16_t before[4] = {0, 1, 0, 0}, after[4] = {0, 0, 1, 0};
    const int8_t x[4] = {1, 2, 3, 4};
    const int8_t expect[9] = {5, 5, 5, 1, 2, 5, 3, 4, 5};
    int8_t y[9];
    uint8_t arena[512];
    size_t size;
    uint8_t *blob;
    nn_model m;
    uint16_t t0, t1;
    nnb_init(&b);
    t0 = nnb_tensor4(&b, 1, 2, 2, 1, 5);
    t1 = nnb_tensor4(&b, 1, 3, 3, 1, 5);
    nnb_pad(&b, t0, t1, before, after);
    nnb_io(&b, t0, t1);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 4, y, 9, arena, sizeof(arena), NULL, NULL), NN_OK);
    NN_CHECK(memcmp(y, expect, 9) == 0);
    free(blob);
}

static void test_argument_errors(void)
{
    size_t size;
    uint8_t *blob = nnb_sample_model(0, &size, NULL);
    nn_model m;
    int8_t x[192], y[4];
    uint8_t *arena;
    size_t need;
    memset(x, 0, sizeof(x));
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    need = nn_executor_arena_size(&m);
    arena = (uint8_t *)malloc(need);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y, 4, arena, need, NULL, NULL), NN_OK);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y, 4, arena, need - 1, NULL, NULL), NN_ERR_ARENA_TOO_SMALL);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y, 4, arena, 0, NULL, NULL), NN_ERR_ARENA_TOO_SMALL);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 191, y, 4, arena, need, NULL, NULL), NN_ERR_INPUT_SIZE);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 193, y, 4, arena, need, NULL, NULL), NN_ERR_INPUT_SIZE);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y, 3, arena, need, NULL, NULL), NN_ERR_OUTPUT_SIZE);
    NN_CHECK_EQ_INT(nn_executor_run(&m, NULL, 192, y, 4, arena, need, NULL, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, NULL, 4, arena, need, NULL, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y, 4, NULL, need, NULL, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_executor_run(NULL, x, 192, y, 4, arena, need, NULL, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_executor_arena_size(NULL), 0);
    NN_CHECK_EQ_INT(nn_model_macs(NULL), 0);
    free(arena);
    free(blob);
}

/* Chain of 1x1 convs over 32x32: sizes 4096 -> 8192 -> 2048 -> 1024. */
static void test_arena_plan_chain(void)
{
    nnb_builder b;
    nnb_conv_opts o;
    static const uint32_t ch[4] = {4, 8, 2, 1};
    int32_t bias[8] = {0}, mult[8], shift[8];
    int8_t w[64];
    uint16_t t[4];
    size_t size, need;
    uint8_t *blob;
    nn_model m;
    uint32_t i;
    for (i = 0; i < 8; i++) {
        mult[i] = 1 << 30;
        shift[i] = -2;
    }
    memset(w, 3, sizeof(w));
    nnb_init(&b);
    memset(&o, 0, sizeof(o));
    o.kh = o.kw = o.sh = o.sw = o.dh = o.dw = 1;
    o.depth_multiplier = 1;
    o.act_min = -128;
    o.act_max = 127;
    for (i = 0; i < 4; i++) {
        t[i] = nnb_tensor4(&b, 1, 32, 32, ch[i], 0);
    }
    for (i = 0; i < 3; i++) {
        nnb_conv(&b, NN_OP_CONV_2D, t[i], t[i + 1], &o, nnb_weights(&b, w, ch[i] * ch[i + 1]),
                 nnb_quant(&b, ch[i + 1], bias, mult, shift));
    }
    nnb_io(&b, t[0], t[3]);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    NN_CHECK_EQ_INT(m.max_channels, 8);
    need = nn_executor_arena_size(&m);
    /* slack 15 + plan 4 x 16 + quant 8 x 12 = 96 + peak = input + output of the largest layer */
    NN_CHECK_EQ_INT(need, 15 + 64 + 96 + 4096 + 8192);
    check_against_reference(blob, size, 99, 3);
    NN_CHECK_EQ_INT(nn_model_macs(&m), 1024u * (4 * 8 + 8 * 2 + 2 * 1));
    free(blob);
}

/* Residual: a = conv(x); b = conv(a); c = add(a, b): a must survive b. */
static void test_arena_plan_residual(void)
{
    nnb_builder b;
    nnb_conv_opts o;
    int32_t bias[4] = {1, 2, 3, 4}, mult[4], shift[4];
    const int32_t add_p[7] = {20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -18};
    int8_t w[16];
    uint16_t t0, t1, t2, t3;
    size_t size;
    uint8_t *blob;
    nn_model m;
    uint32_t i;
    for (i = 0; i < 4; i++) {
        mult[i] = 0x5A000000;
        shift[i] = -3;
    }
    for (i = 0; i < 16; i++) {
        w[i] = (int8_t)(i * 7 - 50);
    }
    nnb_init(&b);
    memset(&o, 0, sizeof(o));
    o.kh = o.kw = o.sh = o.sw = o.dh = o.dw = 1;
    o.depth_multiplier = 1;
    o.act_min = -128;
    o.act_max = 127;
    t0 = nnb_tensor4(&b, 1, 8, 8, 4, -3);
    t1 = nnb_tensor4(&b, 1, 8, 8, 4, 2);
    t2 = nnb_tensor4(&b, 1, 8, 8, 4, -1);
    t3 = nnb_tensor4(&b, 1, 8, 8, 4, 0);
    nnb_conv(&b, NN_OP_CONV_2D, t0, t1, &o, nnb_weights(&b, w, 16), nnb_quant(&b, 4, bias, mult, shift));
    nnb_conv(&b, NN_OP_CONV_2D, t1, t2, &o, nnb_weights(&b, w, 16), nnb_quant(&b, 4, bias, mult, shift));
    nnb_add(&b, t1, t2, t3, add_p, -128, 127);
    nnb_io(&b, t0, t3);
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    /* three tensors of 256 live at the ADD */
    NN_CHECK_EQ_INT(nn_executor_arena_size(&m), 15 + 64 + 48 + 3 * 256);
    check_against_reference(blob, size, 7, 0);
    free(blob);
}

/* 120 RESHAPEs: more placed tensors than the stack planner holds (the no-reuse bound is used). */
static void test_many_ops(void)
{
    nnb_builder b;
    uint16_t prev, cur;
    size_t size, need;
    uint8_t *blob, *arena;
    nn_model m;
    int8_t x[40], y[40];
    uint32_t i;
    nnb_init(&b);
    prev = nnb_tensor2(&b, 1, 40, 0);
    {
        const uint16_t first = prev;
        for (i = 0; i < 120; i++) {
            cur = i % 2 ? nnb_tensor2(&b, 1, 40, 0) : nnb_tensor2(&b, 40, 1, 0);
            nnb_reshape(&b, prev, cur);
            prev = cur;
        }
        nnb_io(&b, first, prev);
    }
    blob = nnb_finish(&b, &size, NULL);
    nnb_free(&b);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    need = nn_executor_arena_size(&m);
    NN_CHECK_EQ_INT(need, 15 + 121 * 16 + 0 + 121 * 48);
    arena = (uint8_t *)malloc(need);
    for (i = 0; i < 40; i++) {
        x[i] = (int8_t)(i * 3);
    }
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 40, y, 40, arena, need, NULL, NULL), NN_OK);
    NN_CHECK(memcmp(x, y, 40) == 0);
    free(arena);
    free(blob);
}

static void test_api(void)
{
    size_t size;
    uint8_t *blob = nnb_sample_model(0, &size, NULL);
    uint32_t arena_size = 0;
    uint64_t macs = 0;
    nn_diag d;
    int8_t x[192], y[4], y2[4];
    uint8_t *arena;
    nn_model m;
    memset(x, 7, sizeof(x));
    NN_CHECK_EQ_INT(nanonet_abi_version(), 1);
    NN_CHECK(strcmp(nanonet_status_name(NN_ERR_BAD_QUANT), "NN_ERR_BAD_QUANT") == 0);
    NN_CHECK(strlen(nanonet_status_message(NN_OK)) > 0);
    NN_CHECK_EQ_INT(nanonet_validate(blob, (uint32_t)size, &d), NN_OK);
    NN_CHECK_EQ_INT(nanonet_arena_size(blob, (uint32_t)size, &arena_size), NN_OK);
    NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, NULL), NN_OK);
    NN_CHECK_EQ_INT(arena_size, nn_executor_arena_size(&m));
    NN_CHECK_EQ_INT(nanonet_macs(blob, (uint32_t)size, &macs), NN_OK);
    NN_CHECK_EQ_INT(macs, nn_model_macs(&m));
    NN_CHECK_EQ_INT(nanonet_arena_size(blob, (uint32_t)size, NULL), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nanonet_macs(blob, (uint32_t)size, NULL), NN_ERR_NULL_ARGUMENT);
    arena = (uint8_t *)malloc(arena_size);
    NN_CHECK_EQ_INT(nanonet_run(blob, (uint32_t)size, x, 192, y, 4, arena, arena_size, NULL, NULL), NN_OK);
    NN_CHECK_EQ_INT(nn_executor_run(&m, x, 192, y2, 4, arena, arena_size, NULL, NULL), NN_OK);
    NN_CHECK(memcmp(y, y2, 4) == 0);
    NN_CHECK_EQ_INT(nanonet_run(blob, (uint32_t)size, x, 192, y, 4, arena, arena_size - 1, NULL, NULL),
                    NN_ERR_ARENA_TOO_SMALL);
    blob[100] ^= 1;
    NN_CHECK_EQ_INT(nanonet_validate(blob, (uint32_t)size, &d), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(d.byte_offset, 12);
    NN_CHECK_EQ_INT(nanonet_arena_size(blob, (uint32_t)size, &arena_size), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(arena_size, 0);
    NN_CHECK_EQ_INT(nanonet_macs(blob, (uint32_t)size, &macs), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(nanonet_run(blob, (uint32_t)size, x, 192, y, 4, arena, 100000, NULL, NULL), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(nanonet_validate(NULL, 0, NULL), NN_ERR_NULL_ARGUMENT);
    free(arena);
    free(blob);
}

/* The packed models shipped in models/, their names in ../shared/golden/outputs.txt and their input kinds. */
static const struct {
    const char *file, *golden_name, *input_kind;
} models[3] = {{"person_detect.nnb", "person_detect", "gray96"},
               {"vww_96.nnb", "vww96", "rgb96"},
               {"mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96"}};

/*
 * The packed models shipped in models/: each must parse, and the C engine alone must reproduce TFLM's golden
 * outputs (../shared/golden/outputs.txt) on both golden inputs. person_detect's activation peak is the
 * layer-by-layer figure (input + output of the largest layer).
 */
static void test_shipped_models_match_golden_outputs(void)
{
    static const char *const inputs[2] = {"tflm_person", "tflm_no_person"};
    uint32_t i, k;
    for (i = 0; i < 3; i++) {
        char path[512];
        size_t size;
        uint8_t *blob;
        nn_model m;
        nn_diag d;
        snprintf(path, sizeof(path), "%s/models/%s", NANONET_REPO_DIR, models[i].file);
        blob = nn_test_read_file(path, &size);
        NN_CHECK(blob != NULL);
        if (blob == NULL) {
            continue;
        }
        NN_CHECK_EQ_INT(nn_model_parse(blob, size, &m, &d), NN_OK);
        if (d.status == NN_OK) {
            const size_t need = nn_executor_arena_size(&m);
            const size_t peak = need - 15u - ((m.op_count + 1u) * 16u + 15u) / 16u * 16u -
                                (m.max_channels * 12u + 15u) / 16u * 16u;
            uint8_t *arena = (uint8_t *)malloc(need);
            printf("  %s: %u ops, arena %u bytes (activations %u), %llu MACs\n", models[i].file, m.op_count,
                   (unsigned)need, (unsigned)peak, (unsigned long long)nn_model_macs(&m));
            if (i == 0) {
                /* person_detect: input + output of the largest layer is 48x48x8 + 48x48x16 = 55,296 */
                NN_CHECK(peak >= 55296u && peak <= 55296u + 55296u / 10u);
            }
            for (k = 0; k < 2; k++) {
                int expected[2];
                size_t input_size = 0;
                int8_t y[2] = {0, 0};
                uint8_t *x;
                snprintf(path, sizeof(path), "%s/golden/inputs/%s.%s.i8", NANONET_SHARED_DIR, inputs[k],
                         models[i].input_kind);
                x = nn_test_read_file(path, &input_size);
                NN_CHECK(x != NULL);
                NN_CHECK(nn_test_golden_output(models[i].golden_name, inputs[k], expected));
                if (x != NULL) {
                    NN_CHECK_EQ_INT(nn_executor_run(&m, (const int8_t *)x, input_size, y, 2, arena, need, NULL, NULL),
                                    NN_OK);
                    NN_CHECK_EQ_INT(y[0], expected[0]);
                    NN_CHECK_EQ_INT(y[1], expected[1]);
                    free(x);
                }
            }
            free(arena);
        } else {
            printf("  %s: %s at op %d tensor %d offset %d\n", models[i].file, nn_status_name(d.status), d.op_index,
                   d.tensor_index, d.byte_offset);
        }
        free(blob);
    }
}

/*
 * Widened weights (nn_model_widen) on the shipped models: every qualifying CONV_2D op (window of 4 to 512
 * values, output of at least min_pixels pixels) gets its weights as int16, every 3x3 DEPTHWISE_CONV_2D
 * with that output its weights regrouped [ky][c][kx] as int16, no other op gets any, and the
 * scalar kernel table, whose pair loops then read them (the C twin here, the assembly on the emulator),
 * gives the same outputs layer by layer and at the smallest plan as without them: TFLM's golden outputs.
 */
static void test_widened_weights(void)
{
    static const uint32_t min_pixels[2] = {1u, 37u}; /* every qualifying op; only those past 6x6 outputs */
    uint32_t i, t;
    for (i = 0; i < 3; i++) {
        char path[512];
        size_t size, input_size = 0;
        uint8_t *blob, *x;
        nn_model m;
        nn_diag d;
        int expected[2];
        snprintf(path, sizeof(path), "%s/models/%s", NANONET_REPO_DIR, models[i].file);
        blob = nn_test_read_file(path, &size);
        snprintf(path, sizeof(path), "%s/golden/inputs/tflm_person.%s.i8", NANONET_SHARED_DIR, models[i].input_kind);
        x = nn_test_read_file(path, &input_size);
        NN_CHECK(blob != NULL && x != NULL);
        NN_CHECK(nn_test_golden_output(models[i].golden_name, "tflm_person", expected));
        if (blob == NULL || x == NULL || nn_model_parse(blob, size, &m, &d) != NN_OK) {
            NN_CHECK(0);
            free(blob);
            free(x);
            continue;
        }
        NN_CHECK(m.widened == NULL);
        for (t = 0; t < 2; t++) {
            const size_t need = nn_model_widened_size(&m, min_pixels[t]);
            uint32_t *buf = (uint32_t *)malloc(need + 4u);
            const uint8_t *rec = m.ops;
            uint32_t op, widened_ops = 0, weights = 0;
            uint32_t peak = 0;
            uint8_t *plan, *arena;
            size_t plan_size = nn_plan_buffer_size(&m), lbl = nn_executor_arena_size(&m);
            int8_t y[2];
            NN_CHECK(need > 0 && buf != NULL);
            if (buf == NULL) {
                continue;
            }
            NN_CHECK_EQ_INT(nn_model_widen(&m, min_pixels[t], buf, need - 1u), NN_ERR_ARENA_TOO_SMALL);
            NN_CHECK_EQ_INT(nn_model_widen(&m, min_pixels[t], (uint8_t *)buf + 2, need), NN_ERR_BAD_ALIGNMENT);
            NN_CHECK_EQ_INT(nn_model_widen(NULL, min_pixels[t], buf, need), NN_ERR_NULL_ARGUMENT);
            NN_CHECK(m.widened == NULL);
            NN_CHECK_EQ_INT(nn_model_widen(&m, min_pixels[t], buf, need), NN_OK);
            NN_CHECK(m.widened == (const uint8_t *)buf);
            for (op = 0; op < m.op_count; op++) {
                const uint32_t opcode = rec[0], record_size = (uint32_t)rec[2] | (uint32_t)rec[3] << 8;
                const uint32_t in = (uint32_t)rec[4] | (uint32_t)rec[5] << 8, out = (uint32_t)rec[8] | (uint32_t)rec[9] << 8;
                const int16_t *w16 = nn_model_widened(&m, op);
                nn_tensor_info ti, to;
                nn_model_tensor(&m, in, &ti);
                nn_model_tensor(&m, out, &to);
                if (opcode == NN_OP_CONV_2D) {
                    const uint32_t k = (uint32_t)rec[12] * (uint32_t)rec[13] * (uint32_t)ti.dims[ti.rank - 1];
                    const uint32_t pixels = (uint32_t)to.dims[1] * (uint32_t)to.dims[2];
                    const uint32_t n = k * (uint32_t)to.dims[3];
                    const uint8_t *b = rec + 12;
                    const int8_t *w = (const int8_t *)(blob + ((uint32_t)b[16] | (uint32_t)b[17] << 8 |
                                                              (uint32_t)b[18] << 16 | (uint32_t)b[19] << 24));
                    const int qualifies = k >= 4u && k <= 512u && pixels >= min_pixels[t];
                    NN_CHECK_EQ_INT(w16 != NULL, qualifies);
                    if (w16 != NULL) {
                        uint32_t j, bad = 0;
                        NN_CHECK_EQ_INT(((uintptr_t)w16 & 3u), 0);
                        NN_CHECK((const uint8_t *)(w16 + n) <= (const uint8_t *)buf + need);
                        for (j = 0; j < n; j++) {
                            bad += w16[j] != w[j];
                        }
                        NN_CHECK_EQ_INT(bad, 0);
                        widened_ops++;
                        weights += n;
                    }
                } else if (opcode == NN_OP_DEPTHWISE_CONV_2D) {
                    /* 3x3: [ky][c][kx] from the [ky][kx][c] int8 weights */
                    const uint32_t pixels = (uint32_t)to.dims[1] * (uint32_t)to.dims[2], ch = (uint32_t)to.dims[3];
                    const uint8_t *b = rec + 12;
                    const int8_t *w = (const int8_t *)(blob + ((uint32_t)b[16] | (uint32_t)b[17] << 8 |
                                                              (uint32_t)b[18] << 16 | (uint32_t)b[19] << 24));
                    NN_CHECK_EQ_INT(w16 != NULL, b[0] == 3 && b[1] == 3 && pixels >= min_pixels[t]);
                    if (w16 != NULL) {
                        uint32_t ky, c, kx, bad = 0;
                        NN_CHECK_EQ_INT(((uintptr_t)w16 & 3u), 0);
                        for (ky = 0; ky < 3; ky++) {
                            for (c = 0; c < ch; c++) {
                                for (kx = 0; kx < 3; kx++) {
                                    bad += w16[(ky * ch + c) * 3 + kx] != w[(ky * 3 + kx) * ch + c];
                                }
                            }
                        }
                        NN_CHECK_EQ_INT(bad, 0);
                        widened_ops++;
                        weights += 9 * ch;
                    }
                } else {
                    NN_CHECK(w16 == NULL);
                }
                rec += record_size;
            }
            NN_CHECK(widened_ops > 0);
            NN_CHECK(need >= 4u * m.op_count + 2u * weights && need <= 4u * m.op_count + 2u * weights + 4u * widened_ops);
            NN_CHECK(nn_model_widened(&m, m.op_count) == NULL);
            printf("  %s, min_pixels %u: %u ops widened, %u bytes\n", models[i].file, (unsigned)min_pixels[t],
                   (unsigned)widened_ops, (unsigned)need);
            /* the scalar table reads them: layer by layer and at the smallest plan */
            arena = (uint8_t *)malloc(lbl);
            plan = (uint8_t *)malloc(plan_size);
            NN_CHECK(arena != NULL && plan != NULL);
            if (arena != NULL && plan != NULL) {
                y[0] = y[1] = 0;
                NN_CHECK_EQ_INT(nn_executor_run_with_kernels(&m, (const int8_t *)x, input_size, y, 2, arena, lbl, NULL,
                                                             NULL, nn_scalar_kernels()),
                                NN_OK);
                NN_CHECK_EQ_INT(y[0], expected[0]);
                NN_CHECK_EQ_INT(y[1], expected[1]);
                NN_CHECK_EQ_INT(nn_plan_create(&m, NN_PLAN_BUDGET_MIN, plan, plan_size, &peak, NULL), NN_OK);
                free(arena);
                arena = (uint8_t *)malloc(peak);
                NN_CHECK(arena != NULL);
                if (arena != NULL) {
                    y[0] = y[1] = 0;
                    NN_CHECK_EQ_INT(nn_executor_run_planned(&m, NN_PLAN_BUDGET_MIN, (const int8_t *)x, input_size, y, 2,
                                                            arena, peak, NULL, NULL, nn_scalar_kernels(), NULL),
                                    NN_OK);
                    NN_CHECK_EQ_INT(y[0], expected[0]);
                    NN_CHECK_EQ_INT(y[1], expected[1]);
                }
            }
            free(arena);
            free(plan);
            m.widened = NULL;
            free(buf);
        }
        free(blob);
        free(x);
    }
}

int main(void)
{
    NN_RUN(test_identity_conv_and_reshape);
    NN_RUN(test_pad_by_hand);
    NN_RUN(test_samples_match_reference);
    NN_RUN(test_argument_errors);
    NN_RUN(test_arena_plan_chain);
    NN_RUN(test_arena_plan_residual);
    NN_RUN(test_many_ops);
    NN_RUN(test_api);
    NN_RUN(test_shipped_models_match_golden_outputs);
    NN_RUN(test_widened_weights);
    return nn_test_finish();
}

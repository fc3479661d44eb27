/* random_model.c - see random_model.h. */
#include "random_model.h"

#include <stdlib.h>
#include <string.h>

#define RM_MAX_ELEMENTS 4096
#define RM_MAX_CH 48
/* The reader's bound on |acc| before the output offset (nn_model.c: NN_ACC_LIMIT). */
#define RM_ACC_LIMIT ((int64_t)0x7FFFFFFF - 128)

static uint32_t rnd(rm_gen *g)
{
    uint32_t x = g->seed ? g->seed : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g->seed = x;
    return x;
}

static int32_t rr(rm_gen *g, int32_t lo, int32_t hi)
{
    return lo + (int32_t)(rnd(g) % ((uint32_t)(hi - lo) + 1u));
}

static int chance(rm_gen *g, int32_t percent)
{
    return rr(g, 0, 99) < percent;
}

static int32_t rand_zp(rm_gen *g)
{
    switch (rr(g, 0, 9)) {
    case 0: return -128;
    case 1: return 127;
    case 2: return 0;
    default: return rr(g, -128, 127);
    }
}

static void rand_clamp(rm_gen *g, int32_t zp, int8_t *lo, int8_t *hi)
{
    const int32_t k = rr(g, 0, 9);
    int32_t a = -128, b = 127;
    if (k >= 5 && k < 7) { /* RELU */
        a = zp;
    } else if (k >= 7 && k < 9) { /* RELU6-like */
        a = zp;
        b = zp + rr(g, 0, 120);
        b = b > 127 ? 127 : b;
    } else if (k == 9) {
        a = rr(g, -128, 127);
        b = rr(g, a, 127);
    }
    *lo = (int8_t)a;
    *hi = (int8_t)b;
}

static void set_current(rm_gen *g, uint16_t t, int32_t n, int32_t h, int32_t w, int32_t c, int32_t zp)
{
    if (g->history < 64u) {
        g->hist_t[g->history] = t;
        g->hist_dims[g->history][0] = n;
        g->hist_dims[g->history][1] = h;
        g->hist_dims[g->history][2] = w;
        g->hist_dims[g->history][3] = c;
        g->hist_zp[g->history] = zp;
        g->history++;
    }
    g->t = t;
    g->n = n;
    g->h = h;
    g->w = w;
    g->c = c;
    g->zp = zp;
}

static int32_t log2_ceil(int64_t v)
{
    int32_t s = 0;
    while (((int64_t)1 << s) < v) {
        s++;
    }
    return s;
}

/* Channel quantisation for `channels` outputs of `taps` products each, anywhere in what the reader
 * accepts: multipliers 0 or [2^30, 2^31), shifts in [-31, 30] with (taps * 32640 + |bias|) << shift
 * within the accumulator bound, biases now and then near that bound. */
static uint32_t rand_quant(rm_gen *g, uint32_t channels, int64_t taps)
{
    int32_t bias[RM_MAX_CH], mult[RM_MAX_CH], shift[RM_MAX_CH];
    const int64_t acc = taps * 32640;
    const int32_t typical = -(6 + log2_ceil(taps) / 2);
    uint32_t i;
    for (i = 0; i < channels; i++) {
        int64_t room = RM_ACC_LIMIT - acc, mag;
        int32_t s, left = 0;
        switch (rr(g, 0, 9)) {
        case 0: bias[i] = 0; break;
        case 1: bias[i] = (int32_t)(chance(g, 50) ? room : -room); break; /* at the bound */
        case 2: bias[i] = rr(g, -(1 << 24), 1 << 24); break;
        default: bias[i] = rr(g, -4000, 4000); break;
        }
        mag = bias[i] < 0 ? -(int64_t)bias[i] : (int64_t)bias[i];
        if (mag > room) {
            bias[i] = bias[i] < 0 ? (int32_t)-room : (int32_t)room;
            mag = room;
        }
        while (left < 30 && ((acc + mag) << (left + 1)) <= RM_ACC_LIMIT) {
            left++;
        }
        mult[i] = chance(g, 8) ? 0 : (int32_t)(0x40000000u + (rnd(g) & 0x3FFFFFFFu));
        s = chance(g, 5) ? rr(g, -31, left) : typical + rr(g, -3, 3);
        s = s < -31 ? -31 : s;
        s = s > left ? left : s;
        shift[i] = s;
    }
    return nnb_quant(&g->b, channels, bias, mult, shift);
}

static uint32_t rand_weights(rm_gen *g, size_t count)
{
    int8_t *w = (int8_t *)malloc(count ? count : 1u);
    uint32_t off;
    size_t i;
    const int32_t range = chance(g, 20) ? 3 : 127;
    for (i = 0; i < count; i++) {
        w[i] = (int8_t)(chance(g, 1) ? -128 : rr(g, -range, range));
    }
    off = nnb_weights(&g->b, w, count);
    free(w);
    return off;
}

void rm_begin(rm_gen *g, uint32_t seed, int32_t n, int32_t h, int32_t w, int32_t c, int32_t zp)
{
    memset(g, 0, sizeof(*g));
    g->seed = seed * 2654435761u + 0x6D2B79F5u;
    nnb_init(&g->b);
    g->input = nnb_tensor4(&g->b, (uint32_t)n, (uint32_t)h, (uint32_t)w, (uint32_t)c, zp);
    set_current(g, g->input, n, h, w, c, zp);
}

int rm_conv(rm_gen *g, uint32_t opcode, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw,
            int32_t pt, int32_t pl, int32_t pad_after_h, int32_t pad_after_w, int32_t mult_or_out_c)
{
    const int depthwise = opcode == NN_OP_DEPTHWISE_CONV_2D;
    const int32_t keh = (kh - 1) * dh + 1, kew = (kw - 1) * dw + 1;
    int32_t oh, ow, oc, zp_out;
    nnb_conv_opts o;
    uint16_t out;
    size_t nw;
    if (pt > keh - 1 || pl > kew - 1 || pad_after_h > keh - 1 || pad_after_w > kew - 1 ||
        g->h + pt + pad_after_h < keh || g->w + pl + pad_after_w < kew) {
        return 0;
    }
    oh = (g->h + pt + pad_after_h - keh) / sh + 1;
    ow = (g->w + pl + pad_after_w - kew) / sw + 1;
    oc = depthwise ? g->c * mult_or_out_c : mult_or_out_c;
    if (oc < 1 || oc > RM_MAX_CH || (int64_t)g->n * oh * ow * oc > RM_MAX_ELEMENTS) {
        return 0;
    }
    nw = depthwise ? (size_t)kh * kw * oc : (size_t)oc * kh * kw * g->c;
    if (nw > 65536u || (!depthwise && (int64_t)kh * kw * g->c > 4096)) {
        return 0; /* a RESHAPE may have made thousands of channels: keep the taps in the reader's bound */
    }
    memset(&o, 0, sizeof(o));
    o.kh = (uint8_t)kh;
    o.kw = (uint8_t)kw;
    o.sh = (uint8_t)sh;
    o.sw = (uint8_t)sw;
    o.dh = (uint8_t)dh;
    o.dw = (uint8_t)dw;
    o.pt = (uint8_t)pt;
    o.pl = (uint8_t)pl;
    o.depth_multiplier = (uint16_t)(depthwise ? mult_or_out_c : 1);
    zp_out = rand_zp(g);
    rand_clamp(g, zp_out, &o.act_min, &o.act_max);
    out = nnb_tensor4(&g->b, (uint32_t)g->n, (uint32_t)oh, (uint32_t)ow, (uint32_t)oc, zp_out);
    {
        const uint32_t wts = rand_weights(g, nw);
        const uint32_t q = rand_quant(g, (uint32_t)oc, depthwise ? (int64_t)kh * kw : (int64_t)kh * kw * g->c);
        nnb_conv(&g->b, opcode, g->t, out, &o, wts, q);
    }
    g->info.ops[opcode]++;
    set_current(g, out, g->n, oh, ow, oc, zp_out);
    return 1;
}

void rm_pad(rm_gen *g, const uint16_t before[4], const uint16_t after[4], int same_zp)
{
    const int32_t n = g->n + before[0] + after[0], h = g->h + before[1] + after[1];
    const int32_t w = g->w + before[2] + after[2], c = g->c + before[3] + after[3];
    const int32_t zp = same_zp ? g->zp : rand_zp(g);
    const uint16_t out = nnb_tensor4(&g->b, (uint32_t)n, (uint32_t)h, (uint32_t)w, (uint32_t)c, zp);
    nnb_pad(&g->b, g->t, out, before, after);
    g->info.ops[NN_OP_PAD]++;
    set_current(g, out, n, h, w, c, zp);
}

static void add_params(rm_gen *g, int32_t p[7])
{
    int32_t k;
    p[0] = chance(g, 80) ? 20 : rr(g, 0, 22);
    for (k = 0; k < 3; k++) {
        p[1 + 2 * k] = chance(g, 5) ? 0 : (int32_t)(0x40000000u + (rnd(g) & 0x3FFFFFFFu));
        p[2 + 2 * k] = chance(g, 10) ? rr(g, -31, 0) : (k < 2 ? rr(g, -3, 0) : -p[0] + rr(g, -4, 3));
        if (p[2 + 2 * k] > 0) {
            p[2 + 2 * k] = 0;
        }
        if (p[2 + 2 * k] < -31) {
            p[2 + 2 * k] = -31;
        }
    }
}

void rm_add(rm_gen *g, uint16_t other, const int32_t other_dims[4], int32_t other_zp)
{
    int32_t p[7];
    int8_t lo, hi;
    const int32_t zp = rand_zp(g);
    uint16_t out;
    (void)other_dims;
    (void)other_zp;
    add_params(g, p);
    rand_clamp(g, zp, &lo, &hi);
    out = nnb_tensor4(&g->b, (uint32_t)g->n, (uint32_t)g->h, (uint32_t)g->w, (uint32_t)g->c, zp);
    nnb_add(&g->b, g->t, other, out, p, lo, hi);
    g->info.ops[NN_OP_ADD]++;
    set_current(g, out, g->n, g->h, g->w, g->c, zp);
}

void rm_reshape(rm_gen *g, uint32_t rank, const uint32_t *dims)
{
    const uint16_t out = nnb_tensor(&g->b, rank, dims, g->zp);
    int32_t v[4] = {1, 1, 1, 1};
    uint32_t k;
    for (k = 0; k < rank; k++) {
        v[4 - rank + k] = (int32_t)dims[k];
    }
    nnb_reshape(&g->b, g->t, out);
    g->info.ops[NN_OP_RESHAPE]++;
    set_current(g, out, v[0], v[1], v[2], v[3], g->zp);
}

uint8_t *rm_finish(rm_gen *g, size_t *size)
{
    uint8_t *blob;
    uint32_t k;
    if (g->t == g->input) { /* at least one op */
        rm_conv(g, NN_OP_CONV_2D, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1);
    }
    nnb_io(&g->b, g->input, g->t);
    g->info.max_elements = 0;
    for (k = 0; k < g->b.tensor_count; k++) {
        const uint8_t *e = g->b.tensors.p + (size_t)k * NN_TENSOR_ENTRY_SIZE;
        uint32_t d, n = 1;
        for (d = 0; d < e[1]; d++) {
            n *= (uint32_t)e[4 + 2 * d] | ((uint32_t)e[5 + 2 * d] << 8);
        }
        g->info.max_elements = n > g->info.max_elements ? n : g->info.max_elements;
    }
    blob = nnb_finish(&g->b, size, NULL);
    nnb_free(&g->b);
    g->info.op_count = 0;
    for (k = 0; k < NN_OP_COUNT_; k++) {
        g->info.op_count += g->info.ops[k];
    }
    return blob;
}

/* ---------------------------------------------------------------- random ops */

static int random_conv(rm_gen *g, int depthwise)
{
    static const int32_t ks[5] = {1, 1, 2, 3, 5};
    const int32_t kh = ks[rr(g, 0, 4)], kw = chance(g, 80) ? kh : ks[rr(g, 0, 4)];
    const int32_t sh = rr(g, 1, 3) > 2 && chance(g, 50) ? 3 : rr(g, 1, 2), sw = chance(g, 80) ? sh : rr(g, 1, 3);
    const int32_t dh = kh > 1 && chance(g, 20) ? 2 : 1, dw = kw > 1 && chance(g, 20) ? 2 : 1;
    const int32_t keh = (kh - 1) * dh + 1, kew = (kw - 1) * dw + 1;
    int32_t pt, pl, pah, paw;
    const int32_t style = rr(g, 0, 2);
    if (style == 0) { /* VALID */
        pt = pl = pah = paw = 0;
    } else if (style == 1) { /* SAME */
        const int32_t oh = (g->h + sh - 1) / sh, ow = (g->w + sw - 1) / sw;
        const int32_t th = (oh - 1) * sh + keh - g->h, tw = (ow - 1) * sw + kew - g->w;
        pt = th > 0 ? th / 2 : 0;
        pl = tw > 0 ? tw / 2 : 0;
        pah = th > 0 ? th - pt : 0;
        paw = tw > 0 ? tw - pl : 0;
    } else { /* anything the format allows */
        pt = rr(g, 0, keh - 1);
        pl = rr(g, 0, kew - 1);
        pah = rr(g, 0, keh - 1);
        paw = rr(g, 0, kew - 1);
    }
    if (depthwise) {
        const int32_t mult = g->c == 1 && chance(g, 20) ? 8 : (chance(g, 70) ? 1 : rr(g, 2, 3));
        return rm_conv(g, NN_OP_DEPTHWISE_CONV_2D, kh, kw, sh, sw, dh, dw, pt, pl, pah, paw, mult);
    }
    return rm_conv(g, NN_OP_CONV_2D, kh, kw, sh, sw, dh, dw, pt, pl, pah, paw, rr(g, 1, 16));
}

static int random_pad(rm_gen *g)
{
    uint16_t before[4] = {0, 0, 0, 0}, after[4] = {0, 0, 0, 0};
    const int large = chance(g, 30);
    before[1] = (uint16_t)rr(g, 0, large ? 8 : 2);
    after[1] = (uint16_t)rr(g, 0, large ? 8 : 2);
    before[2] = (uint16_t)rr(g, 0, large ? 8 : 2);
    after[2] = (uint16_t)rr(g, 0, large ? 8 : 2);
    if (chance(g, 10)) {
        before[3] = (uint16_t)rr(g, 0, 2);
        after[3] = (uint16_t)rr(g, 0, 2);
    }
    if (chance(g, 3)) {
        after[0] = 1; /* a batch of two from here on */
    }
    if ((int64_t)(g->n + before[0] + after[0]) * (g->h + before[1] + after[1]) * (g->w + before[2] + after[2]) *
            (g->c + before[3] + after[3]) > RM_MAX_ELEMENTS ||
        g->c + before[3] + after[3] > RM_MAX_CH) {
        return 0;
    }
    rm_pad(g, before, after, chance(g, 75));
    /* usually followed by the convolution it pads, often a depthwise with a stride (MobileNet v2) */
    if (chance(g, 80)) {
        const int32_t k = chance(g, 70) ? 3 : rr(g, 1, 5), s = rr(g, 1, 2);
        const int depthwise = chance(g, 70);
        const int32_t sw = chance(g, 70) ? s : 3 - s;
        if (depthwise) {
            rm_conv(g, NN_OP_DEPTHWISE_CONV_2D, k, k, s, sw, 1, 1, 0, 0, 0, 0, 1);
        } else {
            rm_conv(g, NN_OP_CONV_2D, k, k, s, sw, 1, 1, 0, 0, 0, 0, rr(g, 1, 12));
        }
    }
    return 1;
}

static int random_add(rm_gen *g)
{
    uint32_t i, found = 0, pick;
    uint16_t cand[64];
    for (i = 0; i < g->history; i++) {
        if (g->hist_dims[i][0] == g->n && g->hist_dims[i][1] == g->h && g->hist_dims[i][2] == g->w &&
            g->hist_dims[i][3] == g->c) {
            cand[found++] = (uint16_t)i;
        }
    }
    /* found >= 1: the current tensor itself is in the history */
    pick = cand[rnd(g) % found];
    if (chance(g, 50) && found > 1) { /* prefer an earlier tensor: a residual connection */
        pick = cand[rnd(g) % (found - 1u)];
    }
    rm_add(g, g->hist_t[pick], g->hist_dims[pick], g->hist_zp[pick]);
    return 1;
}

static int random_pool(rm_gen *g)
{
    const int32_t fh = rr(g, 1, 4), fw = chance(g, 70) ? fh : rr(g, 1, 4);
    const int32_t sh = rr(g, 1, 3), sw = chance(g, 70) ? sh : rr(g, 1, 3);
    const int32_t pt = rr(g, 0, fh - 1), pl = rr(g, 0, fw - 1);
    const int32_t pah = rr(g, 0, fh - 1), paw = rr(g, 0, fw - 1);
    int32_t oh, ow;
    int8_t lo, hi;
    uint16_t out;
    if (g->h + pt + pah < fh || g->w + pl + paw < fw) {
        return 0;
    }
    oh = (g->h + pt + pah - fh) / sh + 1;
    ow = (g->w + pl + paw - fw) / sw + 1;
    rand_clamp(g, g->zp, &lo, &hi);
    out = nnb_tensor4(&g->b, (uint32_t)g->n, (uint32_t)oh, (uint32_t)ow, (uint32_t)g->c, g->zp);
    nnb_pool(&g->b, g->t, out, (uint8_t)fh, (uint8_t)fw, (uint8_t)sh, (uint8_t)sw, (uint8_t)pt, (uint8_t)pl, lo, hi);
    g->info.ops[NN_OP_AVERAGE_POOL_2D]++;
    set_current(g, out, g->n, oh, ow, g->c, g->zp);
    return 1;
}

static int random_mean(rm_gen *g)
{
    const int32_t zp = rand_zp(g);
    const int32_t multiplier = chance(g, 5) ? 0 : (int32_t)(0x40000000u + (rnd(g) & 0x3FFFFFFFu));
    const int32_t shift = rr(g, -8, 0);
    uint16_t out;
    g->info.ops[NN_OP_MEAN]++;
    if (chance(g, 50)) {
        out = nnb_tensor2(&g->b, (uint32_t)g->n, (uint32_t)g->c, zp);
        nnb_mean(&g->b, g->t, out, multiplier, shift);
        set_current(g, out, 1, 1, g->n, g->c, zp); /* the NHWC view of [n, c] is [1, 1, n, c] */
    } else {
        out = nnb_tensor4(&g->b, (uint32_t)g->n, 1, 1, (uint32_t)g->c, zp);
        nnb_mean(&g->b, g->t, out, multiplier, shift);
        set_current(g, out, g->n, 1, 1, g->c, zp);
    }
    return 1;
}

static int random_fc(rm_gen *g)
{
    const int64_t e = (int64_t)g->n * g->h * g->w * g->c;
    const int32_t batches = e % 2 == 0 && chance(g, 20) ? 2 : 1;
    const int32_t in_depth = (int32_t)(e / batches), out_depth = rr(g, 1, 16);
    const int32_t zp = rand_zp(g);
    int8_t lo, hi;
    uint16_t out;
    if (e > 1024) {
        return 0;
    }
    rand_clamp(g, zp, &lo, &hi);
    out = nnb_tensor2(&g->b, (uint32_t)batches, (uint32_t)out_depth, zp);
    {
        const uint32_t wts = rand_weights(g, (size_t)out_depth * in_depth);
        const uint32_t q = rand_quant(g, (uint32_t)out_depth, in_depth);
        nnb_fc(&g->b, g->t, out, lo, hi, wts, q);
    }
    g->info.ops[NN_OP_FULLY_CONNECTED]++;
    set_current(g, out, 1, 1, batches, out_depth, zp);
    return 1;
}

static int random_softmax(rm_gen *g)
{
    const int64_t e = (int64_t)g->n * g->h * g->w * g->c;
    const int32_t multiplier = chance(g, 3) ? 0 : (int32_t)(0x40000000u + (rnd(g) & 0x3FFFFFFFu));
    const int32_t left_shift = chance(g, 70) ? rr(g, 20, 26) : rr(g, 0, 31);
    const int32_t limit = (int32_t)(0x7FFFFFFFu >> left_shift);
    const int32_t diff_min = chance(g, 70) ? -(int32_t)(((int64_t)31 << 26) >> left_shift > limit
                                                          ? limit
                                                          : ((int64_t)31 << 26) >> left_shift)
                                            : -rr(g, 0, limit);
    const uint16_t out = nnb_tensor2(&g->b, (uint32_t)(e / g->c), (uint32_t)g->c, -128);
    nnb_softmax(&g->b, g->t, out, multiplier, left_shift, diff_min);
    g->info.ops[NN_OP_SOFTMAX]++;
    set_current(g, out, 1, 1, (int32_t)(e / g->c), g->c, -128);
    return 1;
}

static int random_reshape(rm_gen *g)
{
    const uint32_t e = (uint32_t)(g->n * g->h * g->w * g->c);
    const uint32_t rank = (uint32_t)rr(g, 1, 4);
    uint32_t dims[4], rest = e, k;
    for (k = 0; k + 1u < rank; k++) {
        uint32_t d = 1, tries;
        for (tries = 0; tries < 8; tries++) {
            const uint32_t cand = (uint32_t)rr(g, 1, (int32_t)(rest < 16u ? rest : 16u));
            if (rest % cand == 0) {
                d = cand;
                break;
            }
        }
        dims[k] = d;
        rest /= d;
    }
    if (rest > NN_MAX_DIM) {
        return 0;
    }
    dims[rank - 1u] = rest;
    rm_reshape(g, rank, dims);
    return 1;
}

/* ADD of the current tensor with a reshaped copy of it: same element count, different shape. */
static int invalid_add(rm_gen *g)
{
    uint32_t dims[4] = {(uint32_t)g->n, (uint32_t)g->w, (uint32_t)g->h, (uint32_t)g->c};
    const uint16_t keep = g->t;
    const int32_t n = g->n, h = g->h, w = g->w, c = g->c, zp = g->zp;
    int32_t p[7];
    int8_t lo, hi;
    uint16_t out;
    if (g->h == g->w) {
        if (g->w * g->h > 1) {
            dims[1] = (uint32_t)(g->h * g->w);
            dims[2] = 1;
        } else if (g->c > 1) {
            dims[2] = (uint32_t)g->c;
            dims[3] = 1;
        } else {
            return 0;
        }
    }
    rm_reshape(g, 4, dims);
    add_params(g, p);
    rand_clamp(g, zp, &lo, &hi);
    out = nnb_tensor4(&g->b, (uint32_t)n, (uint32_t)h, (uint32_t)w, (uint32_t)c, zp);
    nnb_add(&g->b, keep, g->t, out, p, lo, hi);
    g->info.ops[NN_OP_ADD]++;
    set_current(g, out, n, h, w, c, zp);
    g->info.expect_invalid = 1;
    return 1;
}

uint8_t *rm_random_model(uint32_t seed, size_t *size, rm_info *info)
{
    rm_gen g;
    int32_t h, w, c, target, attempts = 0, done = 0;
    uint8_t *blob;
    {
        rm_gen tmp; /* draw the input shape from the seed first */
        memset(&tmp, 0, sizeof(tmp));
        tmp.seed = seed ^ 0xA5A5A5A5u;
        h = chance(&tmp, 15) ? rr(&tmp, 1, 3) : rr(&tmp, 3, 14);
        w = chance(&tmp, 70) ? h : rr(&tmp, 1, 14);
        c = rr(&tmp, 1, 6);
        target = rr(&tmp, 1, 12);
        rm_begin(&g, seed, 1, h, w, c, rand_zp(&tmp));
    }
    if (c == 1 && chance(&g, 20)) {
        nnb_input_spec(&g.b, NN_COLOUR_GRAY8, 1, NULL);
    } else if (c == 3 && chance(&g, 30)) {
        nnb_input_spec(&g.b, NN_COLOUR_RGB888, chance(&g, 50) ? 1 : 3, NULL);
    }
    while (done < target && attempts < 4 * target + 8) {
        const int32_t k = rr(&g, 0, 99);
        int ok;
        attempts++;
        if (k < 26) ok = random_conv(&g, 0);
        else if (k < 48) ok = random_conv(&g, 1);
        else if (k < 60) ok = random_pad(&g);
        else if (k < 73) ok = random_add(&g);
        else if (k < 80) ok = random_pool(&g);
        else if (k < 83) ok = random_mean(&g);
        else if (k < 88) ok = random_fc(&g);
        else if (k < 93) ok = random_softmax(&g);
        else ok = random_reshape(&g);
        done += ok;
    }
    if (chance(&g, 3)) {
        invalid_add(&g);
    }
    blob = rm_finish(&g, size);
    if (info != NULL) {
        *info = g.info;
    }
    return blob;
}

/*
 * nn_esp_nn_table.c - CONV_2D and DEPTHWISE_CONV_2D through Espressif's ESP-NN, as the
 * executors call them (docs/esp-nn.md).
 *
 * The executors call a convolution for a whole tensor, for ONE output row with the band of input
 * rows its taps reach (pad_top adjusted, the band cut at the bottom of the image: the streaming
 * executor and in-place depthwise), or for a run of pixels of a group of output channels
 * (grouped pointwise). ESP-NN takes NHWC int8 with per-channel multiplier and shift arrays, like
 * our kernels, but:
 *  - one padding value per dimension, used before AND after (its S3 kernels copy the input into
 *    a buffer padded by that much on both sides; the 3x3 fast paths take only (0,0) or (1,1)),
 *    or, with padding (0,0), the end padding its own formula out*stride + k - 1 - in gives;
 *  - no dilation, no batch, dims held in uint16_t (bases in int16_t);
 *  - contiguous rows (no row stride), and on the S3 128-bit loads and stores that ignore the low
 *    address bits: input, filter and output must be 16-byte aligned;
 *  - a scratch buffer on the S3, sized by esp_nn_get_*_scratch_size for the exact call.
 * So each call is cut into row slices. A slice goes to ESP-NN directly when its geometry is one
 * ESP-NN takes as it is; otherwise its input band is copied into scratch with every padding row
 * and column materialised (the input zero point, which adds exactly zero) and ESP-NN runs it with
 * padding (0,0), which every ESP-NN path takes; a misaligned destination gets the output in
 * scratch and a copy. What cannot be reshaped (dilation, a misaligned filter, a shape outside the
 * limits, a row that does not fit the scratch) runs on the portable fast kernel: the output is
 * the reference output either way.
 */
#include <string.h>

#include "nn_esp_nn.h"
#include "nn_esp_nn_table.h"
#include "../fast/nn_kernels_fast.h"
#include "../scalar/nn_kernels_scalar.h"

#ifndef NN_ESP_NN_STATIC_SCRATCH
#define NN_ESP_NN_STATIC_SCRATCH 0
#endif

/* The portable kernels for what ESP-NN cannot take: the scalar ones on Xtensa (the board), the
 * vectoriser's elsewhere (the host test); a build may name others with the same contract. */
#if defined(__XTENSA__)
#define NN_ESP_NN_PORTABLE(name) name##_scalar
#else
#define NN_ESP_NN_PORTABLE(name) name##_fast
#endif
#ifndef NN_ESP_NN_FALLBACK_CONV
#define NN_ESP_NN_FALLBACK_CONV NN_ESP_NN_PORTABLE(nn_conv2d_s8)
#endif
#ifndef NN_ESP_NN_FALLBACK_DEPTHWISE
#define NN_ESP_NN_FALLBACK_DEPTHWISE NN_ESP_NN_PORTABLE(nn_depthwise_conv2d_s8)
#endif

#define NN_ESP_NN_ALIGN 16u
/* ESP-NN keeps dims in uint16_t and row/column bases in int16_t. */
#define NN_ESP_NN_MAX_DIM 32767

#if NN_ESP_NN_STATIC_SCRATCH > 0
/* +ALIGN: aligned at run time (C99 has no alignment specifier). */
static uint8_t static_scratch[NN_ESP_NN_STATIC_SCRATCH + NN_ESP_NN_ALIGN];
#endif

static uint8_t *g_scratch;
static size_t g_scratch_size;
static int g_scratch_set; /* 0: the static region (taken on first use) */
static nn_esp_nn_stats g_stats;

static size_t align_up(size_t v) { return (v + (NN_ESP_NN_ALIGN - 1u)) & ~(size_t)(NN_ESP_NN_ALIGN - 1u); }

static int aligned(const void *p) { return ((uintptr_t)p & (NN_ESP_NN_ALIGN - 1u)) == 0; }

static void use_region(void *buf, size_t size)
{
    const uintptr_t a = ((uintptr_t)buf + (NN_ESP_NN_ALIGN - 1u)) & ~(uintptr_t)(NN_ESP_NN_ALIGN - 1u);
    const size_t lost = (size_t)(a - (uintptr_t)buf);
    if (buf == NULL || size <= lost) {
        g_scratch = NULL;
        g_scratch_size = 0;
        return;
    }
    g_scratch = (uint8_t *)a;
    g_scratch_size = (size - lost) & ~(size_t)(NN_ESP_NN_ALIGN - 1u);
}

void nn_esp_nn_set_scratch(void *buf, size_t size)
{
    if (buf == NULL || size == 0) {
#if NN_ESP_NN_STATIC_SCRATCH > 0
        use_region(static_scratch, sizeof(static_scratch));
        if (g_scratch_size > (size_t)NN_ESP_NN_STATIC_SCRATCH) {
            g_scratch_size = (size_t)NN_ESP_NN_STATIC_SCRATCH; /* the alignment slack is not scratch */
        }
#else
        use_region(NULL, 0);
#endif
    } else {
        use_region(buf, size);
    }
    g_scratch_set = 1;
}

size_t nn_esp_nn_scratch_size(void)
{
    if (!g_scratch_set) {
        nn_esp_nn_set_scratch(NULL, 0);
    }
    return g_scratch_size;
}

void nn_esp_nn_get_stats(nn_esp_nn_stats *stats) { *stats = g_stats; }

void nn_esp_nn_reset_stats(void) { memset(&g_stats, 0, sizeof(g_stats)); }

/* ------------------------------------------------------------------ one call */

typedef struct esp_call {
    int dw;
    const nn_conv_params *p;
    const nn_channel_quant *q;
    int32_t kh, kw, sh, sw, pt, pl;
    int32_t in_h, in_w, in_c, out_h, out_w, out_c, mult;
    int32_t pa_w;       /* columns of padding the last output column reads after the input (< 0: unused columns) */
    size_t in_row, out_row; /* bytes of one input / output row */
    const int8_t *in;   /* the current image */
    const int8_t *filter;
    const int32_t *bias;
    int8_t *out;
} esp_call;

/* Output rows [y, y + r) of one image read input rows [l, last]; [lo, hi] of them exist. */
typedef struct esp_slice {
    int32_t y, r, l, lo, hi;
    int32_t spt; /* rows of padding above the band (lo - l) */
    int32_t spa; /* rows of padding below it (last - hi) */
} esp_slice;

static void slice_of(const esp_call *c, int32_t y, int32_t r, esp_slice *s)
{
    const int32_t last = y * c->sh - c->pt + (r - 1) * c->sh + c->kh - 1;
    s->y = y;
    s->r = r;
    s->l = y * c->sh - c->pt;
    s->lo = s->l < 0 ? 0 : s->l;
    s->hi = last > c->in_h - 1 ? c->in_h - 1 : last;
    s->spt = s->lo - s->l;
    s->spa = last - s->hi;
}

/* Can ESP-NN take this slice as it is (band at lo, padding as given)? Either padding (0,0), where
 * ESP-NN pads the end itself with out*stride + k - 1 - in rows/columns (not clamped at 0 in its
 * S3 depthwise: at most stride-1 unused input columns; rows are cut to the band), or the same
 * padding p before and after in both dimensions with what the slice needs after within p. */
static int direct_geometry(const esp_call *c, const esp_slice *s)
{
    if (s->spt == 0 && c->pl == 0) {
        if (c->pa_w < -(c->sw - 1)) {
            return 0;
        }
        /* ESP-NN's S3 1x1 stride-1 path computes one output per input pixel (no output dims) */
        if (c->kh == 1 && c->kw == 1 && c->sh == 1 && c->sw == 1 && (c->pa_w != 0 || s->spa != 0)) {
            return 0;
        }
        return 1;
    }
    return s->spt == c->pl && s->spa <= s->spt && c->pa_w <= c->pl;
}

static int32_t esp_scratch_need(const esp_call *c, const data_dims_t *in, const data_dims_t *f, const data_dims_t *out,
                                const conv_params_t *cp, const dw_conv_params_t *dp)
{
    const int32_t n = c->dw ? esp_nn_get_depthwise_conv_scratch_size_nn(in, f, out, dp)
                            : esp_nn_get_conv_scratch_size_nn(in, f, out, cp);
    return n > 0 ? n : 0;
}

/* Runs the slice through ESP-NN; returns 0 (having done nothing) if it does not fit the scratch. */
static int esp_run_slice(const esp_call *c, const esp_slice *s)
{
    const int direct = direct_geometry(c, s);
    const int8_t *band = c->in + (size_t)s->lo * c->in_row;
    int8_t *dst = c->out + (size_t)s->y * c->out_row;
    const int stage_in = !direct || !aligned(band);
    const int stage_out = !aligned(dst);
    data_dims_t in, f, out;
    conv_params_t cp;
    dw_conv_params_t dp;
    quant_data_t qd;
    size_t in_bytes = 0, out_bytes = (size_t)s->r * c->out_row, bias_bytes = 0, need;
    int32_t pad_w = 0, pad_h = 0;
    uint8_t *scratch;

    if (stage_in) {
        /* exactly what ESP-NN's (0,0) formula wants: no further padding anywhere */
        in.height = s->r * c->sh + c->kh - 1;
        in.width = c->out_w * c->sw + c->kw - 1;
        if (in.height > NN_ESP_NN_MAX_DIM || in.width > NN_ESP_NN_MAX_DIM) {
            return 0;
        }
        in_bytes = (size_t)in.height * (size_t)in.width * (size_t)c->in_c;
    } else {
        in.height = s->hi - s->lo + 1;
        in.width = c->in_w;
        if (s->spt != 0 || c->pl != 0) {
            pad_h = pad_w = c->pl;
        }
    }
    in.channels = c->in_c;
    in.extra = 1;
    f.width = c->kw;
    f.height = c->kh;
    f.channels = c->dw ? c->out_c : c->in_c;
    f.extra = c->dw ? 1 : c->out_c;
    out.width = c->out_w;
    out.height = s->r;
    out.channels = c->out_c;
    out.extra = 1;
    cp.in_offset = dp.in_offset = c->p->input_offset;
    cp.out_offset = dp.out_offset = c->p->output_offset;
    dp.ch_mult = c->mult;
    cp.stride.width = dp.stride.width = c->sw;
    cp.stride.height = dp.stride.height = c->sh;
    cp.padding.width = dp.padding.width = pad_w;
    cp.padding.height = dp.padding.height = pad_h;
    cp.dilation.width = dp.dilation.width = 1;
    cp.dilation.height = dp.dilation.height = 1;
    cp.activation.min = dp.activation.min = c->p->act_min;
    cp.activation.max = dp.activation.max = c->p->act_max;
    /* ESP-NN declares them non-const but only reads them */
    qd.shift = (int32_t *)(uintptr_t)c->q->shift;
    qd.mult = (int32_t *)(uintptr_t)c->q->multiplier;
    if (c->bias == NULL) {
        bias_bytes = sizeof(int32_t) * (size_t)c->out_c; /* zeros: not every S3 path checks for NULL */
    }

    need = align_up(in_bytes) + (stage_out ? align_up(out_bytes) : 0u) + align_up(bias_bytes) +
           align_up((size_t)esp_scratch_need(c, &in, &f, &out, &cp, &dp));
    if (need > g_stats.max_scratch_wanted) {
        g_stats.max_scratch_wanted = need;
    }
    if (need > g_scratch_size || (need > 0 && g_scratch == NULL)) {
        return 0;
    }
    scratch = g_scratch;

    if (stage_in) {
        const int8_t zp = (int8_t)(-c->p->input_offset); /* (zp + input_offset) * w = 0 */
        const int32_t cols = c->in_w < in.width - c->pl ? c->in_w : in.width - c->pl;
        int32_t i;
        int8_t *row = (int8_t *)scratch;
        for (i = 0; i < in.height; i++, row += (size_t)in.width * (size_t)c->in_c) {
            const int32_t src = s->l + i;
            memset(row, zp, (size_t)in.width * (size_t)c->in_c);
            if (src >= 0 && src < c->in_h && cols > 0) {
                memcpy(row + (size_t)c->pl * (size_t)c->in_c, c->in + (size_t)src * c->in_row,
                       (size_t)cols * (size_t)c->in_c);
            }
        }
        band = (const int8_t *)scratch;
        scratch += align_up(in_bytes);
        g_stats.staged_calls++;
    }
    if (stage_out) {
        dst = (int8_t *)scratch;
        scratch += align_up(out_bytes);
        g_stats.staged_outputs++;
    }
    {
        const int32_t *bias = c->bias;
        if (bias == NULL) {
            memset(scratch, 0, bias_bytes);
            bias = (const int32_t *)(const void *)scratch;
            scratch += align_up(bias_bytes);
        }
        /* set right before the call: ESP-NN's pointer is a global another user may have changed */
        if (c->dw) {
            esp_nn_set_depthwise_conv_scratch_buf_nn(scratch);
            esp_nn_depthwise_conv_s8_nn(&in, band, &f, c->filter, bias, &out, dst, &dp, &qd);
        } else {
            esp_nn_set_conv_scratch_buf_nn(scratch);
            esp_nn_conv_s8_nn(&in, band, &f, c->filter, bias, &out, dst, &cp, &qd);
        }
    }
    if (stage_out) {
        memcpy(c->out + (size_t)s->y * c->out_row, dst, out_bytes);
    }
    g_stats.esp_calls++;
    return 1;
}

/* The slice on the portable fast kernel: the band at lo with pad_top = spt, as the streaming
 * executor makes row calls (bit-identical to the whole call). */
static void fallback_slice(const esp_call *c, const esp_slice *s)
{
    nn_conv_params p = *c->p;
    nn_dims in, f, out;
    p.pad_top = s->spt;
    in.n = 1;
    in.h = s->hi - s->lo + 1;
    in.w = c->in_w;
    in.c = c->in_c;
    f.n = c->dw ? 1 : c->out_c;
    f.h = c->kh;
    f.w = c->kw;
    f.c = c->dw ? c->out_c : c->in_c;
    out.n = 1;
    out.h = s->r;
    out.w = c->out_w;
    out.c = c->out_c;
    if (c->dw) {
        NN_ESP_NN_FALLBACK_DEPTHWISE(&p, c->q, &in, c->in + (size_t)s->lo * c->in_row, &f, c->filter, c->bias, &out,
                                    c->out + (size_t)s->y * c->out_row);
    } else {
        NN_ESP_NN_FALLBACK_CONV(&p, c->q, &in, c->in + (size_t)s->lo * c->in_row, &f, c->filter, c->bias, &out,
                          c->out + (size_t)s->y * c->out_row);
    }
    g_stats.fallback_calls++;
}

/* Whole calls ESP-NN cannot take in any shape: dilation (ESP-NN has none), rows or columns made
 * of padding only, shapes past its uint16/int16 fields, a misaligned filter (its S3 1x1 path
 * loads the filter with aligned 64-bit loads without checking), a filter that is not OHWI over
 * all input channels, a depth multiplier that does not give out_c. */
static int esp_can_take(const esp_call *c, const nn_conv_params *p, const nn_dims *fd)
{
    const int32_t pa_h = (c->out_h - 1) * c->sh + c->kh - c->pt - c->in_h;
    if (p->dilation_h != 1 || p->dilation_w != 1 || c->sh < 1 || c->sw < 1 || c->kh < 1 || c->kw < 1) {
        return 0;
    }
    if (c->pt < 0 || c->pl < 0 || c->pt > c->kh - 1 || c->pl > c->kw - 1 || pa_h > c->kh - 1 || c->pa_w > c->kw - 1) {
        return 0;
    }
    if (c->in_h < 1 || c->in_w < 1 || c->out_h < 1 || c->out_w < 1 || c->in_c < 1 || c->out_c < 1 ||
        c->in_h > NN_ESP_NN_MAX_DIM || c->in_w > NN_ESP_NN_MAX_DIM || c->in_c > NN_ESP_NN_MAX_DIM ||
        c->out_h > NN_ESP_NN_MAX_DIM || c->out_w > NN_ESP_NN_MAX_DIM || c->out_c > NN_ESP_NN_MAX_DIM ||
        c->kh > NN_ESP_NN_MAX_DIM || c->kw > NN_ESP_NN_MAX_DIM || c->sh > NN_ESP_NN_MAX_DIM ||
        c->sw > NN_ESP_NN_MAX_DIM) {
        return 0;
    }
    if (!aligned(c->filter)) {
        return 0;
    }
    if (c->dw) {
        return c->mult >= 1 && c->out_c == c->in_c * c->mult && fd->c == c->out_c && fd->n == 1;
    }
    return fd->c == c->in_c && fd->n == c->out_c;
}

static void esp_conv(int dw, const nn_conv_params *p, const nn_channel_quant *q, const nn_dims *id, const int8_t *input,
                     const nn_dims *fd, const int8_t *filter, const int32_t *bias, const nn_dims *od, int8_t *output)
{
    esp_call c;
    int32_t b;
    if (!g_scratch_set) {
        nn_esp_nn_set_scratch(NULL, 0);
    }
    c.dw = dw;
    c.p = p;
    c.q = q;
    c.kh = fd->h;
    c.kw = fd->w;
    c.sh = p->stride_h;
    c.sw = p->stride_w;
    c.pt = p->pad_top;
    c.pl = p->pad_left;
    c.in_h = id->h;
    c.in_w = id->w;
    c.in_c = id->c;
    c.out_h = od->h;
    c.out_w = od->w;
    c.out_c = od->c;
    c.mult = dw ? p->depth_multiplier : 1;
    c.pa_w = (c.out_w - 1) * c.sw + c.kw - c.pl - c.in_w;
    c.in_row = (size_t)id->w * (size_t)id->c;
    c.out_row = (size_t)od->w * (size_t)od->c;
    c.filter = filter;
    c.bias = bias;
    if (id->n != od->n || !esp_can_take(&c, p, fd)) {
        if (dw) {
            NN_ESP_NN_FALLBACK_DEPTHWISE(p, q, id, input, fd, filter, bias, od, output);
        } else {
            NN_ESP_NN_FALLBACK_CONV(p, q, id, input, fd, filter, bias, od, output);
        }
        g_stats.fallback_calls++;
        return;
    }
    /* ESP-NN has no batch: one image at a time */
    for (b = 0; b < id->n; b++) {
        int32_t y = 0, attempt = c.out_h;
        c.in = input + (size_t)b * (size_t)c.in_h * c.in_row;
        c.out = output + (size_t)b * (size_t)c.out_h * c.out_row;
        while (y < c.out_h) {
            const int32_t r = attempt < c.out_h - y ? attempt : c.out_h - y;
            esp_slice s;
            slice_of(&c, y, r, &s);
            if (esp_run_slice(&c, &s)) {
                y += r;
            } else if (r > 1) {
                /* fewer rows a slice: less staged input, less ESP-NN scratch */
                if (attempt == c.out_h) {
                    g_stats.split_calls++;
                }
                attempt = (r + 1) / 2;
            } else {
                fallback_slice(&c, &s);
                g_stats.fallback_scratch++;
                y += 1;
            }
        }
    }
}

static void esp_conv2d(const nn_conv_params *p, const nn_channel_quant *q, const nn_dims *id, const int8_t *input,
                       const nn_dims *fd, const int8_t *filter, const int32_t *bias, const nn_dims *od, int8_t *output)
{
    esp_conv(0, p, q, id, input, fd, filter, bias, od, output);
}

static void esp_depthwise_conv2d(const nn_conv_params *p, const nn_channel_quant *q, const nn_dims *id,
                                 const int8_t *input, const nn_dims *fd, const int8_t *filter, const int32_t *bias,
                                 const nn_dims *od, int8_t *output)
{
    esp_conv(1, p, q, id, input, fd, filter, bias, od, output);
}

/* The other ops are a negligible share of a MobileNet's time: the reference kernels. */
static const nn_kernel_table esp_nn_table = {
    "esp-nn",
    esp_conv2d,
    esp_depthwise_conv2d,
    nn_avg_pool_s8,
    nn_mean_hw_s8,
    nn_fully_connected_s8,
    nn_softmax_s8,
    nn_add_s8,
    nn_pad_s8,
    NULL, /* ESP-NN reads its own weights */
    NULL,
};

const nn_kernel_table *nn_esp_nn_kernels(void) { return &esp_nn_table; }

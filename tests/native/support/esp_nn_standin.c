/*
 * esp_nn_standin.c - a stand-in for Espressif's ESP-NN S3 convolution kernels, for CI.
 *
 * It has ESP-NN's documented signatures (esp_nn_conv_s8_esp32s3, esp_nn_depthwise_conv_s8_esp32s3
 * and their scratch-size / scratch-buffer twins, as native-interop/src/kernels/esp_nn/nn_esp_nn.h
 * declares them) and computes with OUR reference kernels, so the ESP-NN adapter can be tested on
 * the host. Its point is to refuse, loudly, every call the real S3 kernels would mishandle, so a
 * passing test proves the adapter only makes calls those kernels accept (read from esp-nn's
 * sources: src/convolution/esp_nn_conv_esp32s3.c, esp_nn_depthwise_conv_s8_esp32s3.c):
 *  - no scratch buffer set, or less of it than esp_nn_get_*_scratch_size says for the call (when
 *    the test told the stand-in where the caller's scratch ends), or a misaligned one;
 *  - padding that is not ESP-NN's: (0,0), where it pads the end itself by out*stride + k - 1 - in
 *    (must not be negative: its S3 depthwise does not clamp it), or the SAME value before and
 *    after in both dimensions (the S3 kernels copy the input into a buffer padded by p on every
 *    side: a slice needing more padding after than p reads past that buffer);
 *  - the 1x1 stride-1 path with input dims different from output dims (it has no output dims);
 *  - dilation other than 1 (ESP-NN ignores the field), a batch (extra != 1), a grouped conv;
 *  - input, filter or output not 16-byte aligned (128-bit loads and stores ignore the low bits);
 *  - a NULL bias (not every S3 assembly path checks for it), NULL quantisation arrays;
 *  - offsets, activation bounds or shifts outside the int8 ranges; dims past uint16/int16;
 *  - input or output outside the regions the test declared (a band with a row stride, rows that
 *    do not exist): every claimed input byte is copied, so ASan sees any over-read as well.
 * The scratch it is given is overwritten with garbage, as the real kernels use it.
 */
#include "esp_nn_standin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_kernels.h"
#include "../../../native-interop/src/kernels/esp_nn/nn_esp_nn.h"

static const void *conv_scratch, *dw_scratch;
static const uint8_t *bounds_begin;
static size_t bounds_size;
static const uint8_t *in_region, *out_region;
static size_t in_region_size, out_region_size;
static uint32_t violations, calls;

int esp_nn_standin_present(void) { return 1; }
uint32_t esp_nn_standin_violations(void) { return violations; }
uint32_t esp_nn_standin_calls(void) { return calls; }
void esp_nn_standin_reset(void)
{
    violations = 0;
    calls = 0;
}

void esp_nn_standin_set_regions(const void *in, size_t in_size, const void *out, size_t out_size)
{
    in_region = (const uint8_t *)in;
    in_region_size = in_size;
    out_region = (const uint8_t *)out;
    out_region_size = out_size;
}

void esp_nn_standin_set_scratch_bounds(const void *begin, size_t size)
{
    bounds_begin = (const uint8_t *)begin;
    bounds_size = size;
}

static int violation(const char *what)
{
    if (violations < 20) {
        printf("  ESP-NN stand-in: refused call: %s\n", what);
    }
    violations++;
    return 0;
}

static int aligned16(const void *p) { return ((uintptr_t)p & 15u) == 0; }

static int inside(const void *p, size_t n, const uint8_t *begin, size_t size)
{
    const uint8_t *b = (const uint8_t *)p;
    return begin != NULL && b >= begin && n <= size && (size_t)(b - begin) <= size - n;
}

/* End padding ESP-NN computes itself with padding (0,0): out*stride + k - 1 - in. */
static int32_t end_pad(int32_t out, int32_t stride, int32_t k, int32_t in) { return out * stride + k - 1 - in; }

static int32_t align_to(int32_t v, int32_t a) { return (v + a - 1) / a * a; }

/* Scratch model (a plausible upper bound shaped like the S3 kernels' needs: aligned filter
 * copy, padded input copy, per-channel terms; not ESP-NN's exact formula). */
static int32_t padded_input_bytes(const data_dims_t *in, const data_dims_t *f, const data_dims_t *out, int32_t sw,
                                  int32_t sh, int32_t pw, int32_t ph)
{
    if (pw != 0 || ph != 0) {
        return (in->width + 2 * pw) * (in->height + 2 * ph) * in->channels;
    } else {
        const int32_t ew = end_pad(out->width, sw, f->width, in->width);
        const int32_t eh = end_pad(out->height, sh, f->height, in->height);
        if (ew > 0 || eh > 0) {
            return (in->width + (ew > 0 ? ew : 0)) * (in->height + (eh > 0 ? eh : 0)) * in->channels;
        }
    }
    return 0;
}

int NN_ESP_NN_FN(esp_nn_get_conv_scratch_size_)(const data_dims_t *input_dims, const data_dims_t *filter_dims,
                                                const data_dims_t *output_dims, const conv_params_t *conv_params)
{
    const int32_t oc = output_dims->channels;
    if (filter_dims->width == 1 && filter_dims->height == 1 && conv_params->padding.width == 0 &&
        conv_params->padding.height == 0 && conv_params->stride.width == 1 && conv_params->stride.height == 1) {
        return align_to(input_dims->channels, 8) * oc + 2 * 8 * align_to(input_dims->channels, 8) + 64;
    }
    return filter_dims->width * filter_dims->height * align_to(input_dims->channels, 16) * oc + 4 * oc + 64 +
           padded_input_bytes(input_dims, filter_dims, output_dims, conv_params->stride.width,
                              conv_params->stride.height, conv_params->padding.width, conv_params->padding.height);
}

int NN_ESP_NN_FN(esp_nn_get_depthwise_conv_scratch_size_)(const data_dims_t *input_dims, const data_dims_t *filter_dims,
                                                          const data_dims_t *output_dims,
                                                          const dw_conv_params_t *conv_params)
{
    const int32_t filter = filter_dims->width * filter_dims->height * input_dims->channels * conv_params->ch_mult;
    return 2 * (filter + input_dims->width * input_dims->height * input_dims->channels) + 32 +
           padded_input_bytes(input_dims, filter_dims, output_dims, conv_params->stride.width,
                              conv_params->stride.height, conv_params->padding.width, conv_params->padding.height);
}

void NN_ESP_NN_FN(esp_nn_set_conv_scratch_buf_)(const void *buf) { conv_scratch = buf; }
void NN_ESP_NN_FN(esp_nn_set_depthwise_conv_scratch_buf_)(const void *buf) { dw_scratch = buf; }

typedef struct common_args {
    const data_dims_t *in, *f, *out;
    const int8_t *input, *filter;
    const int32_t *bias;
    int8_t *output;
    int32_t in_offset, out_offset, sw, sh, pw, ph, dw_, dh, act_min, act_max;
    const quant_data_t *q;
    const void *scratch;
    int32_t scratch_need;
} common_args;

static int check_common(const common_args *a)
{
    const int32_t dims[9] = {a->in->width, a->in->height, a->in->channels, a->f->width, a->f->height,
                             a->out->width, a->out->height, a->out->channels, a->f->channels};
    size_t in_bytes, out_bytes;
    int32_t i, c;
    for (i = 0; i < 9; i++) {
        if (dims[i] < 1 || dims[i] > 32767) {
            return violation("a dimension outside [1, 32767] (uint16/int16 fields)");
        }
    }
    if (a->in->extra != 1 || a->out->extra != 1) {
        return violation("batch (extra != 1): ESP-NN runs one image");
    }
    if (a->input == NULL || a->filter == NULL || a->output == NULL || a->q == NULL || a->q->mult == NULL ||
        a->q->shift == NULL) {
        return violation("NULL data or quantisation pointer");
    }
    if (a->bias == NULL) {
        return violation("NULL bias (not every S3 path checks)");
    }
    if (!aligned16(a->input) || !aligned16(a->filter) || !aligned16(a->output)) {
        return violation("input, filter or output not 16-byte aligned");
    }
    if (a->dw_ != 1 || a->dh != 1) {
        return violation("dilation != 1 (ESP-NN ignores it)");
    }
    if (a->sw < 1 || a->sh < 1) {
        return violation("stride < 1");
    }
    if (a->in_offset < -128 || a->in_offset > 128 || a->out_offset < -128 || a->out_offset > 127 ||
        a->act_min < -128 || a->act_max > 127 || a->act_min > a->act_max) {
        return violation("offset or activation bounds outside the int8 ranges");
    }
    for (c = 0; c < a->out->channels; c++) {
        if (a->q->shift[c] < -31 || a->q->shift[c] > 30 || a->q->mult[c] < 0) {
            return violation("shift outside [-31, 30] or negative multiplier");
        }
    }
    if (a->pw == 0 && a->ph == 0) {
        if (end_pad(a->out->width, a->sw, a->f->width, a->in->width) < 0 ||
            end_pad(a->out->height, a->sh, a->f->height, a->in->height) < 0) {
            return violation("padding (0,0) with a negative end padding (more input than the output reads)");
        }
    } else {
        const int32_t after_w = (a->out->width - 1) * a->sw + a->f->width - a->pw - a->in->width;
        const int32_t after_h = (a->out->height - 1) * a->sh + a->f->height - a->ph - a->in->height;
        if (a->pw < 0 || a->ph < 0 || a->pw != a->ph) {
            return violation("padding not (0,0) nor the same p in both dimensions");
        }
        if (after_w > a->pw || after_h > a->ph) {
            return violation("asymmetric padding: more padding needed after than before (reads past the padded copy)");
        }
    }
    if (a->scratch == NULL) {
        return violation("scratch buffer not set");
    }
    if (!aligned16(a->scratch)) {
        return violation("scratch buffer not 16-byte aligned");
    }
    if (bounds_begin != NULL && !inside(a->scratch, (size_t)a->scratch_need, bounds_begin, bounds_size)) {
        return violation("scratch smaller than esp_nn_get_*_scratch_size for this call");
    }
    in_bytes = (size_t)a->in->width * (size_t)a->in->height * (size_t)a->in->channels;
    out_bytes = (size_t)a->out->width * (size_t)a->out->height * (size_t)a->out->channels;
    if (in_region != NULL && !inside(a->input, in_bytes, in_region, in_region_size) &&
        !inside(a->input, in_bytes, bounds_begin, bounds_size)) {
        return violation("input rows outside the caller's tensor (not a contiguous band of it)");
    }
    if (out_region != NULL && !inside(a->output, out_bytes, out_region, out_region_size) &&
        !inside(a->output, out_bytes, bounds_begin, bounds_size)) {
        return violation("output outside the caller's tensor");
    }
    {
        /* the ESP-NN scratch part must not overlap the data of the call */
        const uint8_t *s = (const uint8_t *)a->scratch, *x = (const uint8_t *)a->input, *y = (const uint8_t *)a->output;
        const size_t n = (size_t)a->scratch_need;
        if ((x < s + n && s < x + in_bytes) || (y < s + n && s < y + out_bytes)) {
            return violation("scratch overlaps the input or output of the call");
        }
    }
    return 1;
}

/* Runs the reference kernel on a private copy of every input byte the call claims. */
static void run_reference(const common_args *a, int dw, int32_t ch_mult)
{
    const size_t in_bytes = (size_t)a->in->width * (size_t)a->in->height * (size_t)a->in->channels;
    const size_t out_bytes = (size_t)a->out->width * (size_t)a->out->height * (size_t)a->out->channels;
    int8_t *copy = (int8_t *)malloc(in_bytes);
    nn_conv_params p;
    nn_channel_quant q;
    nn_dims id, fd, od;
    if (copy == NULL) {
        violation("out of memory in the stand-in");
        return;
    }
    memcpy(copy, a->input, in_bytes);
    if (a->scratch != NULL && a->scratch_need > 0) {
        memset((void *)(uintptr_t)a->scratch, 0xA5, (size_t)a->scratch_need); /* the real kernels use it */
    }
    p.stride_h = a->sh;
    p.stride_w = a->sw;
    p.dilation_h = p.dilation_w = 1;
    p.pad_top = a->ph;
    p.pad_left = a->pw;
    p.depth_multiplier = ch_mult;
    p.input_offset = a->in_offset;
    p.output_offset = a->out_offset;
    p.act_min = a->act_min;
    p.act_max = a->act_max;
    q.multiplier = a->q->mult;
    q.shift = a->q->shift;
    id.n = od.n = 1;
    id.h = a->in->height;
    id.w = a->in->width;
    id.c = a->in->channels;
    od.h = a->out->height;
    od.w = a->out->width;
    od.c = a->out->channels;
    fd.n = dw ? 1 : a->out->channels;
    fd.h = a->f->height;
    fd.w = a->f->width;
    fd.c = dw ? a->out->channels : a->in->channels;
    if (dw) {
        nn_depthwise_conv2d_s8(&p, &q, &id, copy, &fd, a->filter, a->bias, &od, a->output);
    } else {
        nn_conv2d_s8(&p, &q, &id, copy, &fd, a->filter, a->bias, &od, a->output);
    }
    (void)out_bytes;
    free(copy);
}

static void garbage(const data_dims_t *out, int8_t *output)
{
    if (output != NULL && out->width > 0 && out->height > 0 && out->channels > 0) {
        memset(output, 0x7B, (size_t)out->width * (size_t)out->height * (size_t)out->channels);
    }
}

/* The call's arguments into common_args: conv_params_t and dw_conv_params_t share these field names. */
#define COMMON_ARGS(a)                                                                                   \
    do {                                                                                                 \
        (a).in = input_dims;                                                                             \
        (a).f = filter_dims;                                                                             \
        (a).out = output_dims;                                                                           \
        (a).input = input_data;                                                                          \
        (a).filter = filter_data;                                                                        \
        (a).bias = bias;                                                                                 \
        (a).output = out_data;                                                                           \
        (a).in_offset = conv_params->in_offset;                                                          \
        (a).out_offset = conv_params->out_offset;                                                        \
        (a).sw = conv_params->stride.width;                                                              \
        (a).sh = conv_params->stride.height;                                                             \
        (a).pw = conv_params->padding.width;                                                             \
        (a).ph = conv_params->padding.height;                                                            \
        (a).dw_ = conv_params->dilation.width;                                                           \
        (a).dh = conv_params->dilation.height;                                                           \
        (a).act_min = conv_params->activation.min;                                                       \
        (a).act_max = conv_params->activation.max;                                                       \
        (a).q = quant_data;                                                                              \
    } while (0)

void NN_ESP_NN_FN(esp_nn_conv_s8_)(const data_dims_t *input_dims, const int8_t *input_data,
                                   const data_dims_t *filter_dims, const int8_t *filter_data, const int32_t *bias,
                                   const data_dims_t *output_dims, int8_t *out_data, const conv_params_t *conv_params,
                                   const quant_data_t *quant_data)
{
    common_args a;
    calls++;
    COMMON_ARGS(a);
    a.scratch = conv_scratch;
    a.scratch_need = NN_ESP_NN_FN(esp_nn_get_conv_scratch_size_)(input_dims, filter_dims, output_dims, conv_params);
    if (!check_common(&a)) {
        garbage(output_dims, out_data);
        return;
    }
    if (filter_dims->channels != input_dims->channels || filter_dims->extra != output_dims->channels) {
        violation("conv filter dims not {kw, kh, in_c, out_c} (grouped conv)");
        garbage(output_dims, out_data);
        return;
    }
    if (filter_dims->width == 1 && filter_dims->height == 1 && a.pw == 0 && a.ph == 0 && a.sw == 1 && a.sh == 1 &&
        (input_dims->width != output_dims->width || input_dims->height != output_dims->height)) {
        violation("1x1 stride-1 conv with input dims != output dims (that path has no output dims)");
        garbage(output_dims, out_data);
        return;
    }
    run_reference(&a, 0, 1);
}

void NN_ESP_NN_FN(esp_nn_depthwise_conv_s8_)(const data_dims_t *input_dims, const int8_t *input_data,
                                             const data_dims_t *filter_dims, const int8_t *filter_data,
                                             const int32_t *bias, const data_dims_t *output_dims, int8_t *out_data,
                                             const dw_conv_params_t *conv_params, const quant_data_t *quant_data)
{
    common_args a;
    calls++;
    COMMON_ARGS(a);
    a.scratch = dw_scratch;
    a.scratch_need =
        NN_ESP_NN_FN(esp_nn_get_depthwise_conv_scratch_size_)(input_dims, filter_dims, output_dims, conv_params);
    if (conv_params->ch_mult < 1 || input_dims->channels * conv_params->ch_mult != output_dims->channels) {
        violation("depth multiplier does not give the output channels");
        garbage(output_dims, out_data);
        return;
    }
    if (!check_common(&a)) {
        garbage(output_dims, out_data);
        return;
    }
    if (filter_dims->channels != output_dims->channels) {
        violation("depthwise filter channels != in_c * ch_mult");
        garbage(output_dims, out_data);
        return;
    }
    run_reference(&a, 1, conv_params->ch_mult);
}

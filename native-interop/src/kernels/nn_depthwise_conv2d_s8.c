/*
 * nn_depthwise_conv2d_s8.c - DEPTHWISE_CONV_2D, int8 (TFLM reference
 * DepthwiseConvPerChannel arithmetic, bit for bit).
 *
 * Output channel oc = ic * depth_multiplier + m reads input channel ic only:
 *   acc = bias[oc] + sum over in-bounds taps (ky, kx) of
 *         filter[ky][kx][oc] * (input[b][iy][ix][ic] + input_offset)
 *   with iy = oy*stride_h - pad_top + ky*dilation_h, ix likewise (taps outside the input are
 *   skipped: they add exactly zero);
 *   out = clamp(MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]) + output_offset,
 *               act_min, act_max).
 *
 * Constraints (checked by the model reader, relied on here):
 *  - input->n == output->n, filter dims n = 1, c = output->c = input->c * depth_multiplier;
 *  - strides, dilations, depth_multiplier >= 1, pads >= 0; quant arrays hold output->c entries;
 *  - overflow: one product is at most 128 * 255 = 32640; the int32 accumulator (as TFLM's) is
 *    exact while kh * kw * 32640 + |bias| < 2^31, true for every kernel up to 15x15
 *    (225 * 32640 < 2^23) with |bias| < 2^30.
 */
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "nn_kernel_util.h"

void nn_depthwise_conv2d_s8(const nn_conv_params *params, const nn_channel_quant *quant,
                            const nn_dims *input_dims, const int8_t *input,
                            const nn_dims *filter_dims, const int8_t *filter,
                            const int32_t *bias,
                            const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h;
    const int32_t k_w = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t mult = params->depth_multiplier;
    const int32_t input_offset = params->input_offset;
    const int32_t output_offset = params->output_offset;
    const int32_t act_min = params->act_min;
    const int32_t act_max = params->act_max;
    int32_t b, oy, ox, ic, m;

    for (b = 0; b < output_dims->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; ++oy) {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            int32_t ky_start, ky_end;
            nn_tap_range(in_y0, params->dilation_h, k_h, in_h, &ky_start, &ky_end);
            for (ox = 0; ox < out_w; ++ox) {
                const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                int8_t *out_px = output + (((size_t)b * out_h + oy) * out_w + ox) * out_c;
                int32_t kx_start, kx_end;
                nn_tap_range(in_x0, params->dilation_w, k_w, in_w, &kx_start, &kx_end);
                for (ic = 0; ic < in_c; ++ic) {
                    for (m = 0; m < mult; ++m) {
                        const int32_t oc = ic * mult + m;
                        int32_t acc = 0;
                        int32_t ky, kx;
                        for (ky = ky_start; ky < ky_end; ++ky) {
                            const int32_t iy = in_y0 + ky * params->dilation_h;
                            const int8_t *in_row = in_batch + (size_t)iy * in_w * in_c + ic;
                            const int8_t *f_row = filter + (size_t)ky * k_w * out_c + oc;
                            for (kx = kx_start; kx < kx_end; ++kx) {
                                const int32_t ix = in_x0 + kx * params->dilation_w;
                                acc += (int32_t)f_row[(size_t)kx * out_c] *
                                       ((int32_t)in_row[(size_t)ix * in_c] + input_offset);
                            }
                        }
                        if (bias) {
                            acc += bias[oc];
                        }
                        acc = nn_multiply_by_quantized_multiplier(acc, quant->multiplier[oc], quant->shift[oc]);
                        acc += output_offset;
                        out_px[oc] = (int8_t)nn_clamp_s32(acc, act_min, act_max);
                    }
                }
            }
        }
    }
}

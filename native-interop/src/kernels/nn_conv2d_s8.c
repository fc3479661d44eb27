/*
 * nn_conv2d_s8.c - CONV_2D, int8 activations, int8 per-output-channel weights (TFLM
 * reference ConvPerChannel arithmetic, bit for bit).
 *
 * For every output (b, oy, ox, oc):
 *   acc = bias[oc] + sum over in-bounds taps (ky, kx, ic) of
 *         filter[oc][ky][kx][ic] * (input[b][iy][ix][ic] + input_offset)
 *   with iy = oy*stride_h - pad_top + ky*dilation_h, ix likewise; taps outside the input are
 *   skipped (they contribute exactly zero, as TFLM's is_point_inside_image test does);
 *   out = clamp(MultiplyByQuantizedMultiplier(acc, mult[oc], shift[oc]) + output_offset,
 *               act_min, act_max).
 *
 * Constraints (checked by the model reader, relied on here):
 *  - input->n == output->n, filter->c == input->c, filter->n == output->c, all dims >= 1;
 *  - strides and dilations >= 1, pads >= 0; quant arrays hold output->c entries;
 *  - overflow: |filter| <= 128 and |x + input_offset| <= 255, so one product is at most
 *    32640 < 2^15. The int32 accumulator (TFLM uses int32 too) is exact while
 *    kh * kw * in_c * 32640 + |bias| < 2^31, e.g. kh*kw*in_c <= 65536 with |bias| < 2^22.
 */
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "nn_kernel_util.h"

void nn_conv2d_s8(const nn_conv_params *params, const nn_channel_quant *quant,
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
    const int32_t input_offset = params->input_offset;
    const int32_t output_offset = params->output_offset;
    const int32_t act_min = params->act_min;
    const int32_t act_max = params->act_max;
    int32_t b, oy, ox, oc;

    for (b = 0; b < output_dims->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; ++oy) {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            int32_t ky_start, ky_end;
            nn_tap_range(in_y0, params->dilation_h, k_h, in_h, &ky_start, &ky_end);
            for (ox = 0; ox < out_w; ++ox) {
                const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                int32_t kx_start, kx_end;
                nn_tap_range(in_x0, params->dilation_w, k_w, in_w, &kx_start, &kx_end);
                for (oc = 0; oc < out_c; ++oc) {
                    const int8_t *filt_oc = filter + (size_t)oc * k_h * k_w * in_c;
                    int32_t acc = 0;
                    int32_t ky, kx, ic;
                    for (ky = ky_start; ky < ky_end; ++ky) {
                        const int32_t iy = in_y0 + ky * params->dilation_h;
                        for (kx = kx_start; kx < kx_end; ++kx) {
                            const int32_t ix = in_x0 + kx * params->dilation_w;
                            const int8_t *px = in_batch + ((size_t)iy * in_w + ix) * in_c;
                            const int8_t *pw = filt_oc + ((size_t)ky * k_w + kx) * in_c;
                            for (ic = 0; ic < in_c; ++ic) {
                                acc += (int32_t)pw[ic] * ((int32_t)px[ic] + input_offset);
                            }
                        }
                    }
                    if (bias) {
                        acc += bias[oc];
                    }
                    acc = nn_multiply_by_quantized_multiplier(acc, quant->multiplier[oc], quant->shift[oc]);
                    acc += output_offset;
                    output[(((size_t)b * out_h + oy) * out_w + ox) * out_c + oc] =
                        (int8_t)nn_clamp_s32(acc, act_min, act_max);
                }
            }
        }
    }
}

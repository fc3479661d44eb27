/*
 * nn_avg_pool_s8.c - AVERAGE_POOL_2D, int8 (TFLM reference AveragePool for int8, bit for bit).
 *
 * For every output (b, oy, ox, c): sum the raw int8 input values of the window positions that
 * lie inside the input (padding positions are not counted), n = number of such positions,
 *   avg = sum > 0 ? (sum + n/2) / n : (sum - n/2) / n     (C division, truncating)
 * i.e. rounding half away from zero, then clamp to [act_min, act_max]. No requantisation:
 * input and output share scale and zero point, so the zero point passes through unchanged.
 *
 * Constraints (checked by the model reader, relied on here):
 *  - input->n == output->n, input->c == output->c; strides and filter sizes >= 1, pads >= 0;
 *  - every window holds at least one in-bounds position (TFLM fails the op otherwise); a window
 *    with none writes clamp(0) here instead of dividing by zero;
 *  - overflow: |sum| <= 128 * filter_h * filter_w <= 128 * 255 * 255 < 2^24.
 */
#include "nanonet/nn_kernels.h"
#include "nn_kernel_util.h"

void nn_avg_pool_s8(const nn_pool_params *params,
                    const nn_dims *input_dims, const int8_t *input,
                    const nn_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t depth = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    int32_t b, oy, ox, c;

    for (b = 0; b < output_dims->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * in_h * in_w * depth;
        for (oy = 0; oy < out_h; ++oy) {
            const int32_t in_y0 = oy * params->stride_h - params->pad_top;
            int32_t fy_start, fy_end;
            nn_tap_range(in_y0, 1, params->filter_h, in_h, &fy_start, &fy_end);
            for (ox = 0; ox < out_w; ++ox) {
                const int32_t in_x0 = ox * params->stride_w - params->pad_left;
                int8_t *out_px = output + (((size_t)b * out_h + oy) * out_w + ox) * depth;
                int32_t fx_start, fx_end, count;
                nn_tap_range(in_x0, 1, params->filter_w, in_w, &fx_start, &fx_end);
                count = (fy_end - fy_start) * (fx_end - fx_start);
                for (c = 0; c < depth; ++c) {
                    int32_t sum = 0;
                    int32_t avg = 0;
                    int32_t fy, fx;
                    for (fy = fy_start; fy < fy_end; ++fy) {
                        const int8_t *row = in_batch + ((size_t)(in_y0 + fy) * in_w) * depth + c;
                        for (fx = fx_start; fx < fx_end; ++fx) {
                            sum += row[(size_t)(in_x0 + fx) * depth];
                        }
                    }
                    if (count > 0) {
                        avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                    }
                    out_px[c] = (int8_t)nn_clamp_s32(avg, params->act_min, params->act_max);
                }
            }
        }
    }
}

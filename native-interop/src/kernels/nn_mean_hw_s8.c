/*
 * nn_mean_hw_s8.c - MEAN over H and W of an NHWC int8 tensor, as TFLM's int8 reduce MEAN
 * (tflite-micro kernels/reduce_common.cc EvalIntegerMean, reference reduce.h Mean and
 * QuantizedMeanOrSum), bit for bit. Output holds n * c values (keep_dims or not).
 *
 * HOST-SIDE PARAMETERS (the packer must compute exactly this):
 *   input_offset  = -input_zero_point
 *   output_offset = +output_zero_point
 *   (multiplier, shift) = QuantizeMultiplier((double)input_scale / (double)output_scale)
 *     with the float32 scales widened to double before the division, QuantizeMultiplier as in
 *     BRIEF.md (frexp, round half away from zero of q * 2^31, 2^31 -> 2^30 with shift + 1,
 *     shift < -31 -> (0, 0)). This is what TFLM's Prepare stores (PrepareMeanOrSumHelper /
 *     PrepareSimple). Do NOT fold 1/(H*W) into it: the kernel does that, as TFLM's Eval does.
 *   Nothing else is needed: when the two scales are equal floats their double ratio is exactly
 *   1.0 and QuantizeMultiplier gives (2^30, 1); for different float32 scales the ratio differs
 *   from 1 by at least about 2^-24, while (2^30, 1) needs it within 2^-31 of 1, so (2^30, 1)
 *   never arises otherwise. The kernel therefore recognises TFLM's "same scale and same zero
 *   point" case as
 *     multiplier == 2^30 && shift == 1 && input_offset == -output_offset.
 *
 * Arithmetic, with N = H * W and sum = sum of the raw int8 values of one (b, c):
 *  1. Same scale and zero point (TFLM reference_ops::Mean<int8_t, int32_t>):
 *       out = sum / N    (C division: truncates toward zero; no zero point, no rounding).
 *  2. Otherwise (TFLM QuantizedMeanOrSum, compute_sum = false): fold 1/N into the multiplier
 *       s = floor(log2(N)) (63 - CountLeadingZeros64(N)); s = min(s, 32); s = min(s, 31 + shift)
 *       m' = (int32)(((int64)multiplier << s) / N)        (truncating)
 *       shift' = shift - s
 *     then out = clamp(MultiplyByQuantizedMultiplier(sum - input_zp * N, m', shift')
 *                      + output_zp, -128, 127).
 *
 * Constraints (checked by the model reader, relied on here):
 *  - dims >= 1; N = H*W <= NN_MAX_TENSOR_ELEMENTS = 2^22 (the reader's limit), so |sum| and
 *    |sum - input_zp * N| <= 256 * 2^22 = 2^30 fit int32;
 *  - multiplier 0 or in [2^30, 2^31), shift in [-31, 30] (QuantizeMultiplier's range). Then
 *    s <= 32 keeps (int64)multiplier << s below 2^63, m' lies in (2^29, 2^31) or is 0, and
 *    shift' >= -31 as MultiplyByQuantizedMultiplier requires.
 */
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "nn_kernel_util.h"

/* floor(log2(v)) for v >= 1: the 63 - CountLeadingZeros(uint64) of TFLM, portably. */
static int32_t nn_floor_log2_u64(uint64_t v)
{
    int32_t r = 0;
    while (v > 1u) {
        v >>= 1;
        ++r;
    }
    return r;
}

void nn_mean_hw_s8(const nn_mean_params *params,
                   const nn_dims *input_dims, const int8_t *input,
                   int8_t *output)
{
    const int32_t hw = input_dims->h * input_dims->w;
    const int32_t depth = input_dims->c;
    const int same_quant = params->multiplier == ((int32_t)1 << 30) && params->shift == 1 &&
                           params->input_offset == -params->output_offset;
    int32_t mult = 0;
    int32_t shift = 0;
    int32_t b, c, i;

    if (!same_quant) {
        int32_t s = nn_floor_log2_u64((uint64_t)hw);
        if (s > 32) {
            s = 32;
        }
        if (s > 31 + params->shift) {
            s = 31 + params->shift;
        }
        mult = (int32_t)((((int64_t)params->multiplier) << s) / (int64_t)hw);
        shift = params->shift - s;
    }

    for (b = 0; b < input_dims->n; ++b) {
        const int8_t *in_batch = input + (size_t)b * hw * depth;
        for (c = 0; c < depth; ++c) {
            int32_t sum = 0;
            int32_t out;
            for (i = 0; i < hw; ++i) {
                sum += in_batch[(size_t)i * depth + c];
            }
            if (same_quant) {
                out = sum / hw;
            } else {
                /* input_offset = -input_zp, so sum - input_zp * N = sum + input_offset * N. */
                out = nn_multiply_by_quantized_multiplier(sum + params->input_offset * hw, mult, shift);
                out = nn_clamp_s32(out + params->output_offset, -128, 127);
            }
            output[(size_t)b * depth + c] = (int8_t)out;
        }
    }
}

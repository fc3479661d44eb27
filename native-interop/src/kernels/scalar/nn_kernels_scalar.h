/*
 * nn_kernels_scalar.h - CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and ADD for a scalar 32-bit core (private).
 *
 * Twins of nn_conv2d_s8 / nn_depthwise_conv2d_s8 with the same signatures and bit-identical
 * output, built for the board's Xtensa: 16 registers, no SIMD, no sign-extending byte load on
 * the lx106, no 32 x 32 high-half multiply. The fast kernels (src/kernels/fast/) are built for
 * a vectorising compiler instead (x86-64, arm64 hosts). nn_kernel_table.c chooses.
 */
#ifndef NANONET_NN_KERNELS_SCALAR_H
#define NANONET_NN_KERNELS_SCALAR_H

#include "nanonet/nn_kernels.h"

void nn_conv2d_s8_scalar(const nn_conv_params *params, const nn_channel_quant *quant,
                         const nn_dims *input_dims, const int8_t *input,
                         const nn_dims *filter_dims, const int8_t *filter,
                         const int32_t *bias,
                         const nn_dims *output_dims, int8_t *output);

void nn_depthwise_conv2d_s8_scalar(const nn_conv_params *params, const nn_channel_quant *quant,
                                   const nn_dims *input_dims, const int8_t *input,
                                   const nn_dims *filter_dims, const int8_t *filter,
                                   const int32_t *bias,
                                   const nn_dims *output_dims, int8_t *output);

/*
 * The same with the filter also given widened: filter_w16[i] == filter[i] as an int16 (a load where
 * the pair loops take a load and a shift from each byte; the sums are then exact, not 256 times the
 * reference's, and need no shift back), or NULL. Its pair loops read it (windows of up to NN_S32_KMAX
 * values, in assembly on Xtensa from 4); longer windows read filter.
 */
void nn_conv2d_s8_scalar_w16(const nn_conv_params *params, const nn_channel_quant *quant,
                              const nn_dims *input_dims, const int8_t *input,
                              const nn_dims *filter_dims, const int8_t *filter, const int16_t *filter_w16,
                              const int32_t *bias,
                              const nn_dims *output_dims, int8_t *output);

/*
 * The same with a 3x3 filter also given widened: filter_w16[(ky * out_c + c) * 3 + kx] ==
 * filter[(ky * 3 + kx) * out_c + c] (a channel's taps of a kernel row together), or NULL. The row
 * passes of 3-wide rows read it; every other path reads filter.
 */
void nn_depthwise_conv2d_s8_scalar_w16(const nn_conv_params *params, const nn_channel_quant *quant,
                                       const nn_dims *input_dims, const int8_t *input,
                                       const nn_dims *filter_dims, const int8_t *filter, const int16_t *filter_w16,
                                       const int32_t *bias,
                                       const nn_dims *output_dims, int8_t *output);

/* FULLY_CONNECTED (nn_fully_connected_s8's contract) as a 1x1 nn_conv2d_s8_scalar. */
void nn_fully_connected_s8_scalar(const nn_fc_params *params, const nn_channel_quant *quant,
                                  int32_t batches, int32_t in_depth, int32_t out_depth,
                                  const int8_t *input, const int8_t *weights, const int32_t *bias,
                                  int8_t *output);

/* ADD (nn_add_s8's contract): the input rescale without 64-bit arithmetic. */
void nn_add_s8_scalar(const nn_add_params *params, int32_t size,
                      const int8_t *input1, const int8_t *input2, int8_t *output);

#endif

/*
 * nn_op_params.h - kernel parameter structs from a validated op record body (nn_format.h).
 *
 * Both executors (layer by layer and row-streamed) build their kernel calls from these, so the
 * meaning of every body byte lives in one place. Zero points are passed in because an executor
 * may read an op's input through a folded op (a PAD or RESHAPE it never materialises).
 */
#ifndef NANONET_NN_OP_PARAMS_H
#define NANONET_NN_OP_PARAMS_H

#include <stdint.h>

#include "nanonet/nn_kernels.h"

/* CONV_2D / DEPTHWISE_CONV_2D: strides, dilations, padding, depth multiplier, offsets and clamp. */
void nn_op_conv_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_conv_params *p);

/* Filter dims: OHWI for CONV_2D, [1, kh, kw, out_c] for DEPTHWISE_CONV_2D. */
void nn_op_conv_filter_dims(const uint8_t *body, int depthwise, const nn_dims *in, const nn_dims *out, nn_dims *f);

void nn_op_fc_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_fc_params *p);
void nn_op_pool_params(const uint8_t *body, nn_pool_params *p);
void nn_op_mean_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_mean_params *p);
void nn_op_softmax_params(const uint8_t *body, nn_softmax_params *p);
void nn_op_add_params(const uint8_t *body, int32_t zp_in1, int32_t zp_in2, int32_t zp_out, nn_add_params *p);
void nn_op_pad_params(const uint8_t *body, int32_t zp_out, nn_pad_params *p);

#endif

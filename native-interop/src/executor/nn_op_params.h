/*
 * nn_op_params.h - kernel parameter structs from a validated op record body (nn_format.h).
 *
 * Both executors (layer by layer and row-streamed) build their kernel calls from these, so the
 * meaning of every body byte lives in one place. Zero points are passed in because an executor
 * may read an op's input through a folded op (a PAD or RESHAPE it never materialises).
 */
#ifndef NANONET_NN_OP_PARAMS_H
#define NANONET_NN_OP_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_kernels.h"
#include "nanonet/nn_model.h"

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

/*
 * CONV_2D / DEPTHWISE_CONV_2D of op op_index through kt, with its weights from element `first` on (a
 * group of output channels; 0 for depthwise): the table's widened-weight entry when it has one and
 * the model has widened the op's weights (nn_model_widen), else the plain entry. Inlined into both
 * executors' calls, the plain call laid out as the fall-through (hosts' tables have no widened entry).
 */
#if defined(__GNUC__)
#define NN_OP_INLINE static inline __attribute__((always_inline))
#define NN_OP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define NN_OP_INLINE static inline
#define NN_OP_UNLIKELY(x) (x)
#endif
NN_OP_INLINE void nn_op_conv_call(const nn_kernel_table *kt, const nn_model *m, uint32_t op_index,
                                  const nn_conv_params *p, const nn_channel_quant *q, const nn_dims *in_dims,
                                  const int8_t *in, const nn_dims *f, const int8_t *weights, size_t first,
                                  const int32_t *bias, const nn_dims *out_dims, int8_t *out)
{
    const int16_t *w16;
    if (NN_OP_UNLIKELY(kt->conv2d_w16 != NULL) && (w16 = nn_model_widened(m, op_index)) != NULL) {
        kt->conv2d_w16(p, q, in_dims, in, f, weights + first, w16 + first, bias, out_dims, out);
    } else {
        kt->conv2d(p, q, in_dims, in, f, weights + first, bias, out_dims, out);
    }
}

NN_OP_INLINE void nn_op_depthwise_call(const nn_kernel_table *kt, const nn_model *m, uint32_t op_index,
                                       const nn_conv_params *p, const nn_channel_quant *q, const nn_dims *in_dims,
                                       const int8_t *in, const nn_dims *f, const int8_t *weights,
                                       const int32_t *bias, const nn_dims *out_dims, int8_t *out)
{
    const int16_t *w16;
    if (NN_OP_UNLIKELY(kt->depthwise_conv2d_w16 != NULL) && (w16 = nn_model_widened(m, op_index)) != NULL) {
        kt->depthwise_conv2d_w16(p, q, in_dims, in, f, weights, w16, bias, out_dims, out);
    } else {
        kt->depthwise_conv2d(p, q, in_dims, in, f, weights, bias, out_dims, out);
    }
}

#endif

/*
 * nn_kernels.h - int8 kernels of the Nanonet engine.
 *
 * Conventions (as CMSIS-NN and TFLM's reference kernels):
 *  - Activations are NHWC int8. Eval is integer-only; every float computation happened on
 *    the host when the model was packed (multipliers, shifts, clamps, softmax constants).
 *  - Kernels never allocate and never validate: the model reader validated every shape and
 *    parameter at the boundary. Each kernel documents the constraints it relies on.
 *  - A kernel that needs scratch memory has a *_scratch_size twin; the caller provides it.
 *    (None of the reference kernels below needs scratch.)
 *  - "offset" fields follow TFLM: input_offset = -input_zero_point, output_offset = +output_zero_point.
 *  - Arithmetic is exactly TFLM's reference int8 arithmetic (see nn_requant.h); outputs are
 *    bit-identical to TensorFlow Lite Micro's reference kernels.
 *
 * One kernel a file under src/kernels/.
 */
#ifndef NANONET_NN_KERNELS_H
#define NANONET_NN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Dimensions of an NHWC tensor, or of a filter (OHWI: n = out channels, c = in channels). */
typedef struct nn_dims {
    int32_t n;
    int32_t h;
    int32_t w;
    int32_t c;
} nn_dims;

/* Per-output-channel requantisation: output = MultiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]). */
typedef struct nn_channel_quant {
    const int32_t *multiplier; /* [out channels], each 0 or in [2^30, 2^31) */
    const int32_t *shift;      /* [out channels], in [-31, 30]; positive = left shift */
} nn_channel_quant;

/* CONV_2D and DEPTHWISE_CONV_2D parameters. */
typedef struct nn_conv_params {
    int32_t stride_h, stride_w;       /* >= 1 */
    int32_t dilation_h, dilation_w;   /* >= 1 */
    int32_t pad_top, pad_left;        /* >= 0; padding after is implied by the output size */
    int32_t depth_multiplier;         /* depthwise only: out_c = in_c * depth_multiplier */
    int32_t input_offset;             /* -input zero point, in [-127, 128] */
    int32_t output_offset;            /* output zero point, in [-128, 127] */
    int32_t act_min, act_max;         /* -128 <= act_min <= act_max <= 127 */
} nn_conv_params;

/*
 * Full convolution. filter dims: n = out_c, h = kh, w = kw, c = in_c (OHWI).
 * bias may be NULL (zero). Output dims given by the caller; taps outside the input add zero.
 * Constraint: input->n == output->n, filter->c == input->c, filter->n == output->c.
 */
void nn_conv2d_s8(const nn_conv_params *params, const nn_channel_quant *quant,
                  const nn_dims *input_dims, const int8_t *input,
                  const nn_dims *filter_dims, const int8_t *filter,
                  const int32_t *bias,
                  const nn_dims *output_dims, int8_t *output);

/*
 * Depthwise convolution. filter dims: n = 1, h = kh, w = kw, c = out_c = in_c * depth_multiplier;
 * filter layout [kh][kw][out_c]; output channel oc = ic * depth_multiplier + m.
 */
void nn_depthwise_conv2d_s8(const nn_conv_params *params, const nn_channel_quant *quant,
                            const nn_dims *input_dims, const int8_t *input,
                            const nn_dims *filter_dims, const int8_t *filter,
                            const int32_t *bias,
                            const nn_dims *output_dims, int8_t *output);

/* AVERAGE_POOL_2D: in-bounds sum divided by the in-bounds count, rounding half away from zero. */
typedef struct nn_pool_params {
    int32_t stride_h, stride_w;
    int32_t filter_h, filter_w;
    int32_t pad_top, pad_left;
    int32_t act_min, act_max;
} nn_pool_params;

void nn_avg_pool_s8(const nn_pool_params *params,
                    const nn_dims *input_dims, const int8_t *input,
                    const nn_dims *output_dims, int8_t *output);

/* MEAN over H and W (keep_dims or not: output holds n * c values). As TFLM's int8 reduce mean. */
typedef struct nn_mean_params {
    int32_t input_offset;   /* -input zero point */
    int32_t output_offset;  /* output zero point */
    int32_t multiplier;     /* as computed by the host from TFLM's Prepare */
    int32_t shift;
} nn_mean_params;

void nn_mean_hw_s8(const nn_mean_params *params,
                   const nn_dims *input_dims, const int8_t *input,
                   int8_t *output);

/* FULLY_CONNECTED: output[b][o] = requant(sum_i w[o][i] * (x[b][i] + input_offset) + bias[o]). */
typedef struct nn_fc_params {
    int32_t input_offset;
    int32_t output_offset;
    int32_t act_min, act_max;
} nn_fc_params;

void nn_fully_connected_s8(const nn_fc_params *params, const nn_channel_quant *quant,
                           int32_t batches, int32_t in_depth, int32_t out_depth,
                           const int8_t *input, const int8_t *weights, const int32_t *bias,
                           int8_t *output);

/* SOFTMAX int8 with TFLM's fixed-point exp and reciprocal; output scale 1/256, zero point -128. */
typedef struct nn_softmax_params {
    int32_t input_multiplier;
    int32_t input_left_shift;
    int32_t diff_min;
} nn_softmax_params;

void nn_softmax_s8(const nn_softmax_params *params, int32_t outer_size, int32_t depth,
                   const int8_t *input, int8_t *output);

/* ADD of two same-shaped tensors, as TFLM's int8 reference Add (left_shift 20). */
typedef struct nn_add_params {
    int32_t input1_offset, input2_offset; /* -zero points */
    int32_t output_offset;                /* +zero point */
    int32_t left_shift;
    int32_t input1_multiplier, input1_shift;
    int32_t input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift;
    int32_t act_min, act_max;
} nn_add_params;

void nn_add_s8(const nn_add_params *params, int32_t size,
               const int8_t *input1, const int8_t *input2, int8_t *output);

/* PAD of a 4-D NHWC tensor with a constant value. */
typedef struct nn_pad_params {
    int32_t before[4]; /* N, H, W, C */
    int32_t after[4];
    int8_t pad_value;
} nn_pad_params;

void nn_pad_s8(const nn_pad_params *params,
               const nn_dims *input_dims, const int8_t *input,
               const nn_dims *output_dims, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif

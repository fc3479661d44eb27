/*
 * nn_kernel_table.h - the seam between executors and kernel implementations.
 *
 * Executors never call a kernel by name: they call through an nn_kernel_table. Every entry has
 * the signature of its reference kernel in nn_kernels.h, and every implementation must produce
 * exactly the reference kernel's output for every input the reference accepts (tests hold them
 * equal, ESP-NN style). The board build can plug in another table (e.g. one that calls
 * Espressif's ESP-NN S3 kernels) without touching the executors.
 */
#ifndef NANONET_NN_KERNEL_TABLE_H
#define NANONET_NN_KERNEL_TABLE_H

#include "nn_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nn_kernel_table {
    const char *name;
    void (*conv2d)(const nn_conv_params *, const nn_channel_quant *, const nn_dims *, const int8_t *,
                   const nn_dims *, const int8_t *, const int32_t *, const nn_dims *, int8_t *);
    void (*depthwise_conv2d)(const nn_conv_params *, const nn_channel_quant *, const nn_dims *, const int8_t *,
                             const nn_dims *, const int8_t *, const int32_t *, const nn_dims *, int8_t *);
    void (*avg_pool)(const nn_pool_params *, const nn_dims *, const int8_t *, const nn_dims *, int8_t *);
    void (*mean_hw)(const nn_mean_params *, const nn_dims *, const int8_t *, int8_t *);
    void (*fully_connected)(const nn_fc_params *, const nn_channel_quant *, int32_t, int32_t, int32_t,
                            const int8_t *, const int8_t *, const int32_t *, int8_t *);
    void (*softmax)(const nn_softmax_params *, int32_t, int32_t, const int8_t *, int8_t *);
    void (*add)(const nn_add_params *, int32_t, const int8_t *, const int8_t *, int8_t *);
    void (*pad)(const nn_pad_params *, const nn_dims *, const int8_t *, const nn_dims *, int8_t *);
    /* Optional (NULL: none): CONV_2D that also takes the filter widened, filter_w16[i] == filter[i] as int16
     * (nn_model_widen), after the int8 filter; the same output as conv2d. Executors call it for an op
     * whose weights the model has widened (nn_model_widened), conv2d otherwise. */
    void (*conv2d_w16)(const nn_conv_params *, const nn_channel_quant *, const nn_dims *, const int8_t *,
                        const nn_dims *, const int8_t *, const int16_t *, const int32_t *, const nn_dims *, int8_t *);
    /* Optional (NULL: none): DEPTHWISE_CONV_2D that also takes a 3x3 filter widened, [ky][out_c][kx] int16
     * (nn_model_widen), after the int8 filter; the same output as depthwise_conv2d. */
    void (*depthwise_conv2d_w16)(const nn_conv_params *, const nn_channel_quant *, const nn_dims *, const int8_t *,
                                 const nn_dims *, const int8_t *, const int16_t *, const int32_t *, const nn_dims *,
                                 int8_t *);
} nn_kernel_table;

/* The plain reference kernels of nn_kernels.h. */
const nn_kernel_table *nn_reference_kernels(void);

/* Kernels for a vectorising compiler (the default on x86-64 and arm64 hosts). */
const nn_kernel_table *nn_fast_kernels(void);

/* Kernels for a 16-register scalar core without SIMD (the default on Xtensa, the board). */
const nn_kernel_table *nn_scalar_kernels(void);

/* The table executors use by default (the fastest portable implementation of this build). */
const nn_kernel_table *nn_default_kernels(void);

#ifdef __cplusplus
}
#endif

#endif

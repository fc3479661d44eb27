/*
 * nn_kernel_table.c - the two kernel tables of the portable engine.
 *
 * nn_reference_kernels(): the plain reference kernels (one a file in src/kernels/).
 * nn_fast_kernels():      kernels for a vectorising compiler (src/kernels/fast/: x86-64 and
 *                         arm64 hosts) where one exists, the reference kernel elsewhere (ops
 *                         that are a negligible share of a MobileNet's time: pooling, mean,
 *                         fully connected, softmax, add, pad).
 * nn_scalar_kernels():    kernels for a 16-register scalar core without SIMD (src/kernels/scalar/:
 *                         the board's Xtensa), the reference kernel elsewhere.
 * nn_default_kernels():   the scalar table on Xtensa (or with NN_SCALAR_KERNELS defined), the
 *                         fast one on other targets.
 *
 * The board build plugs Espressif's ESP-NN S3 kernels in by compiling with
 * NN_DEFAULT_KERNEL_TABLE defined to the name of its own table function
 * (const nn_kernel_table *fn(void)); nn_default_kernels() then returns that table.
 */
#include "nanonet/nn_kernel_table.h"
#include "fast/nn_kernels_fast.h"
#include "scalar/nn_kernels_scalar.h"

static const nn_kernel_table reference_table = {
    "reference",
    nn_conv2d_s8,
    nn_depthwise_conv2d_s8,
    nn_avg_pool_s8,
    nn_mean_hw_s8,
    nn_fully_connected_s8,
    nn_softmax_s8,
    nn_add_s8,
    nn_pad_s8,
    NULL,
    NULL,
};

static const nn_kernel_table fast_table = {
    "fast",
    nn_conv2d_s8_fast,
    nn_depthwise_conv2d_s8_fast,
    nn_avg_pool_s8,
    nn_mean_hw_s8,
    nn_fully_connected_s8,
    nn_softmax_s8,
    nn_add_s8,
    nn_pad_s8,
    NULL,
    NULL,
};

static const nn_kernel_table scalar_table = {
    "scalar",
    nn_conv2d_s8_scalar,
    nn_depthwise_conv2d_s8_scalar,
    nn_avg_pool_s8,
    nn_mean_hw_s8,
    nn_fully_connected_s8_scalar,
    nn_softmax_s8,
    nn_add_s8_scalar,
    nn_pad_s8,
    nn_conv2d_s8_scalar_w16,
    nn_depthwise_conv2d_s8_scalar_w16,
};

const nn_kernel_table *nn_reference_kernels(void)
{
    return &reference_table;
}

const nn_kernel_table *nn_fast_kernels(void)
{
    return &fast_table;
}

const nn_kernel_table *nn_scalar_kernels(void)
{
    return &scalar_table;
}

#ifdef NN_DEFAULT_KERNEL_TABLE
const nn_kernel_table *NN_DEFAULT_KERNEL_TABLE(void);
#endif

const nn_kernel_table *nn_default_kernels(void)
{
#ifdef NN_DEFAULT_KERNEL_TABLE
    return NN_DEFAULT_KERNEL_TABLE();
#elif defined(__XTENSA__) || defined(NN_SCALAR_KERNELS)
    return &scalar_table; /* a core without SIMD: the board (docs/performance.md) */
#else
    return &fast_table;
#endif
}

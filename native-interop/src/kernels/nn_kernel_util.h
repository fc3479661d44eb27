/*
 * nn_kernel_util.h - small helpers private to the reference kernels (not part of the API).
 */
#ifndef NANONET_NN_KERNEL_UTIL_H
#define NANONET_NN_KERNEL_UTIL_H

#include <stdint.h>

/*
 * Range of filter taps that land inside the input along one axis.
 * A window starts at input coordinate `origin` (may be negative: padding) and tap f reads
 * origin + f * dilation. Returns in [*start, *end) the taps with 0 <= origin + f*dilation < size,
 * clipped to [0, kernel). The range is empty (start == end) when no tap is inside.
 * Preconditions: dilation >= 1, kernel >= 1, size >= 1.
 */
static inline void nn_tap_range(int32_t origin, int32_t dilation, int32_t kernel, int32_t size,
                                int32_t *start, int32_t *end)
{
    int32_t s = 0;
    int32_t e = 0;
    if (origin < 0) {
        s = (-origin + dilation - 1) / dilation; /* first f with origin + f*dilation >= 0 */
    }
    if (size - 1 - origin >= 0) {
        e = (size - 1 - origin) / dilation + 1; /* one past the last f with origin + f*dilation <= size-1 */
        if (e > kernel) {
            e = kernel;
        }
    }
    if (s > e) {
        s = e;
    }
    *start = s;
    *end = e;
}

static inline int32_t nn_clamp_s32(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

#endif

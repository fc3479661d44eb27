/*
 * nn_esp_nn_table.h - the ESP-NN kernel table of the ESP32-S3 board build (docs/esp-nn.md).
 *
 * nn_esp_nn_kernels() is an nn_kernel_table whose conv2d and depthwise_conv2d entries call
 * Espressif's ESP-NN (esp_nn_conv_s8 / esp_nn_depthwise_conv_s8) and whose other entries are
 * the reference kernels. The board build compiles nn_kernel_table.c with
 * -DNN_DEFAULT_KERNEL_TABLE=nn_esp_nn_kernels, so every executor uses it by default.
 *
 * Every entry keeps the contract of nn_kernels.h: for every call the reference kernels accept it
 * writes exactly their output. Calls ESP-NN cannot take as they are (dilation, batches, padding
 * its S3 kernels do not handle, misaligned pointers, too little scratch) are reshaped (rows
 * split, input band copied into scratch with its padding, one image at a time) or, when that is
 * not possible, run by the portable fast kernel.
 *
 * Scratch: ESP-NN's S3 kernels need a scratch buffer (esp_nn_get_*_scratch_size, set with
 * esp_nn_set_*_scratch_buf) and kernels here may not allocate. The adapter owns one scratch
 * region: a static one of NN_ESP_NN_STATIC_SCRATCH bytes (0 unless the build defines it; the
 * board's CMake module sets 16 KiB by default: .bss, internal SRAM), or whatever the board glue
 * hands over with nn_esp_nn_set_scratch(). Each call asks ESP-NN how much scratch it needs for
 * the exact call it is about to make; a call needing more than the region is split into fewer
 * output rows, and a single row that still does not fit runs on the portable kernel.
 * nn_esp_nn_get_stats() tells how many calls went where and the largest scratch any call wanted.
 * Not thread-safe (ESP-NN's scratch pointer is a global too): one inference at a time.
 */
#ifndef NANONET_NN_ESP_NN_TABLE_H
#define NANONET_NN_ESP_NN_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "nanonet/nn_kernel_table.h"

#ifdef __cplusplus
extern "C" {
#endif

const nn_kernel_table *nn_esp_nn_kernels(void);

/* Use buf (size bytes, any alignment: the adapter aligns it to 16) as the scratch region from
 * now on; NULL or 0 returns to the static region. The buffer must outlive every inference run
 * with it; internal SRAM is best (heap_caps_malloc(size, MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT)). */
void nn_esp_nn_set_scratch(void *buf, size_t size);

/* Usable bytes of the current scratch region (after alignment). */
size_t nn_esp_nn_scratch_size(void);

typedef struct nn_esp_nn_stats {
    uint32_t esp_calls;        /* ESP-NN kernel calls made */
    uint32_t staged_calls;     /* of those, with the input band copied (padded) into scratch */
    uint32_t staged_outputs;   /* of those, with the output computed in scratch (misaligned destination) */
    uint32_t split_calls;      /* table calls split into several row slices to fit the scratch */
    uint32_t fallback_calls;   /* slices (or whole calls) run by the portable fast kernel */
    uint32_t fallback_scratch; /* of those, because one output row did not fit the scratch */
    size_t max_scratch_wanted; /* largest scratch a slice asked for (fitting or not) */
} nn_esp_nn_stats;

void nn_esp_nn_get_stats(nn_esp_nn_stats *stats);
void nn_esp_nn_reset_stats(void);

#ifdef __cplusplus
}
#endif

#endif

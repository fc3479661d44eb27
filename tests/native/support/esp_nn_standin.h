/*
 * esp_nn_standin.h - test hooks of the ESP-NN stand-in (esp_nn_standin.c).
 *
 * The stand-in implements ESP-NN's S3 entry points (esp_nn_conv_s8_esp32s3 and friends, the
 * signatures of native-interop/src/kernels/esp_nn/nn_esp_nn.h) on top of OUR reference kernels,
 * and checks every call against what the real S3 kernels accept (see the .c). A call they would
 * mishandle is a violation: it is printed, counted, and its output is garbage, so a test that
 * compares outputs fails too.
 */
#ifndef NANONET_ESP_NN_STANDIN_H
#define NANONET_ESP_NN_STANDIN_H

#include <stddef.h>
#include <stdint.h>

/* 1 in the stand-in. (A link against a real ESP-NN supplies these hooks with 0 here: the
 * stand-in-only checks of the test then say so and pass.) */
int esp_nn_standin_present(void);

/* Violations and kernel calls since the last reset. */
uint32_t esp_nn_standin_violations(void);
uint32_t esp_nn_standin_calls(void);
void esp_nn_standin_reset(void);

/* When set (non-NULL), every call's input must lie inside [in, in + in_size) or the scratch
 * bounds, its output inside [out, out + out_size) or the scratch bounds. NULL: not checked. */
void esp_nn_standin_set_regions(const void *in, size_t in_size, const void *out, size_t out_size);

/* The memory the caller may hand ESP-NN as scratch: a call whose scratch pointer plus the size
 * esp_nn_get_*_scratch_size gives for that call leaves it is a violation. NULL: not checked. */
void esp_nn_standin_set_scratch_bounds(const void *begin, size_t size);

#endif

/*
 * nn_esp_nn.h - the part of Espressif's ESP-NN API (Apache-2.0, github.com/espressif/esp-nn,
 * include/esp_nn_defs.h and the esp_nn_*_headers.h) that the ESP-NN kernel table calls: the
 * structs of the int8 CONV_2D / DEPTHWISE_CONV_2D entry points and their scratch-buffer twins.
 * Written from ESP-NN's public signatures (checked against esp-nn d45b843, v1.2.3); nothing of
 * ESP-NN is copied into this repository and the adapter never includes ESP-NN's own headers,
 * so the host test can link the same adapter against a stand-in (tests/native/support/
 * esp_nn_standin.c) or against ESP-NN's portable C built outside the repository.
 *
 * ESP-NN's esp_nn.h maps esp_nn_conv_s8 etc. to one variant by macro (esp32s3 with
 * CONFIG_NN_OPTIMIZED on an S3, ansi with CONFIG_NN_ANSI_C, opt on other chips); the link
 * symbols carry the variant suffix. NN_ESP_NN_SUFFIX selects it here:
 *  - defined by the build (e.g. -DNN_ESP_NN_SUFFIX=ansi for the host check against the real
 *    portable C), or
 *  - with NN_ESP_NN_IDF (the board build), chosen from sdkconfig.h as esp_nn.h chooses it,
 *  - else esp32s3 (the board's variant, the one the CI stand-in implements).
 */
#ifndef NANONET_NN_ESP_NN_H
#define NANONET_NN_ESP_NN_H

#include <stdint.h>

#if !defined(NN_ESP_NN_SUFFIX) && defined(NN_ESP_NN_IDF)
#include "sdkconfig.h"
#if defined(CONFIG_NN_ANSI_C)
#define NN_ESP_NN_SUFFIX ansi
#elif defined(CONFIG_IDF_TARGET_ESP32S3)
#define NN_ESP_NN_SUFFIX esp32s3
#else
#define NN_ESP_NN_SUFFIX opt
#endif
#if defined(CONFIG_NN_SKIP_NUDGE)
/* ESP-NN's fast requantisation differs from TFLM by one LSB at ties: never bit-exact. */
#error "Nanonet needs ESP-NN's bit-exact requantisation: set CONFIG_NN_SKIP_NUDGE=n"
#endif
#endif
#ifndef NN_ESP_NN_SUFFIX
#define NN_ESP_NN_SUFFIX esp32s3
#endif

#define NN_ESP_NN_CAT2(a, b) a##b
#define NN_ESP_NN_CAT(a, b) NN_ESP_NN_CAT2(a, b)
/* NN_ESP_NN_FN(esp_nn_conv_s8_) -> esp_nn_conv_s8_esp32s3 (or _ansi, _opt) */
#define NN_ESP_NN_FN(name) NN_ESP_NN_CAT(name, NN_ESP_NN_SUFFIX)

#ifdef __cplusplus
extern "C" {
#endif

/* esp_nn_defs.h, field order as there. For inputs and outputs `extra` is unused by ESP-NN
 * (batch is not supported: the adapter loops over images); for a conv filter it is out_c. */
typedef struct data_dims {
    int32_t width;
    int32_t height;
    int32_t channels;
    int32_t extra;
} data_dims_t;

typedef struct data_2d {
    int32_t width;
    int32_t height;
} data_2d_t;

typedef struct act_params {
    int32_t min;
    int32_t max;
} act_params_t;

/* Per output channel. Note the order: shift first. ESP-NN never writes through them. */
typedef struct quant_data {
    int32_t *shift;
    int32_t *mult;
} quant_data_t;

/* padding: the same number of rows (columns) before AND after in ESP-NN's S3 kernels. */
typedef struct conv_params {
    int32_t in_offset;
    int32_t out_offset;
    data_2d_t stride;
    data_2d_t padding;
    data_2d_t dilation; /* ignored by every ESP-NN kernel: dilation 1 only */
    act_params_t activation;
} conv_params_t;

typedef struct dw_conv_params {
    int32_t in_offset;
    int32_t out_offset;
    int32_t ch_mult; /* in_ch * ch_mult = out_ch */
    data_2d_t stride;
    data_2d_t padding;
    data_2d_t dilation; /* ignored */
    act_params_t activation;
} dw_conv_params_t;

#define esp_nn_conv_s8_nn NN_ESP_NN_FN(esp_nn_conv_s8_)
#define esp_nn_get_conv_scratch_size_nn NN_ESP_NN_FN(esp_nn_get_conv_scratch_size_)
#define esp_nn_set_conv_scratch_buf_nn NN_ESP_NN_FN(esp_nn_set_conv_scratch_buf_)
#define esp_nn_depthwise_conv_s8_nn NN_ESP_NN_FN(esp_nn_depthwise_conv_s8_)
#define esp_nn_get_depthwise_conv_scratch_size_nn NN_ESP_NN_FN(esp_nn_get_depthwise_conv_scratch_size_)
#define esp_nn_set_depthwise_conv_scratch_buf_nn NN_ESP_NN_FN(esp_nn_set_depthwise_conv_scratch_buf_)

void esp_nn_conv_s8_nn(const data_dims_t *input_dims, const int8_t *input_data,
                       const data_dims_t *filter_dims, const int8_t *filter_data,
                       const int32_t *bias,
                       const data_dims_t *output_dims, int8_t *out_data,
                       const conv_params_t *conv_params, const quant_data_t *quant_data);

int esp_nn_get_conv_scratch_size_nn(const data_dims_t *input_dims, const data_dims_t *filter_dims,
                                    const data_dims_t *output_dims, const conv_params_t *conv_params);
void esp_nn_set_conv_scratch_buf_nn(const void *buf);

void esp_nn_depthwise_conv_s8_nn(const data_dims_t *input_dims, const int8_t *input_data,
                                 const data_dims_t *filter_dims, const int8_t *filter_data,
                                 const int32_t *bias,
                                 const data_dims_t *output_dims, int8_t *out_data,
                                 const dw_conv_params_t *conv_params, const quant_data_t *quant_data);

int esp_nn_get_depthwise_conv_scratch_size_nn(const data_dims_t *input_dims, const data_dims_t *filter_dims,
                                              const data_dims_t *output_dims,
                                              const dw_conv_params_t *conv_params);
void esp_nn_set_depthwise_conv_scratch_buf_nn(const void *buf);

#ifdef __cplusplus
}
#endif

#endif

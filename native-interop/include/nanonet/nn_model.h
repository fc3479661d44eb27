/*
 * nn_model.h - reading and validating a packed model (.nnb, see nn_format.h).
 *
 * nn_model_parse() checks every field and every offset of the blob before anything uses it;
 * after it returns NN_OK, the executor may trust the model without further checks.
 * No byte sequence can make it read outside [blob, blob + size). It never allocates:
 * the nn_model it fills points into the caller's blob, which must outlive it.
 */
#ifndef NANONET_NN_MODEL_H
#define NANONET_NN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nn_format.h"
#include "nn_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a fault was found: filled by nn_model_parse on error (fields -1 when not applicable). */
typedef struct nn_diag {
    int32_t status;       /* nn_status */
    int32_t op_index;     /* op table index, or -1 */
    int32_t tensor_index; /* tensor index, or -1 */
    int32_t byte_offset;  /* offset in the blob of the offending field, or -1 */
} nn_diag;

typedef struct nn_tensor_info {
    int32_t rank;
    int32_t dims[4];
    int32_t zero_point;
    uint32_t element_count;
    uint16_t source_index;
} nn_tensor_info;

/* A parsed model: pointers into the caller's blob plus the counts read from the header. */
typedef struct nn_model {
    const uint8_t *blob;
    uint32_t size;
    uint16_t tensor_count;
    uint16_t op_count;
    uint16_t label_count;
    uint16_t input_tensor;
    uint16_t output_tensor;
    uint8_t colour_layout;
    uint8_t lut_count;
    const int8_t *pixel_lut;     /* lut_count * 256 entries, NULL when lut_count == 0 */
    const uint8_t *tensors;      /* tensor table */
    const uint8_t *ops;          /* op table */
    uint32_t ops_size;
    const uint8_t *labels;       /* label table */
    uint32_t max_channels;       /* largest channel_count of any quantisation block */
    const uint8_t *widened;      /* nn_model_widen's buffer, or NULL (nn_model_parse sets NULL) */
} nn_model;

/* Validate the blob and fill *model. diag may be NULL. */
nn_status nn_model_parse(const uint8_t *blob, size_t size, nn_model *model, nn_diag *diag);

/* Tensor description (model must have been parsed). Returns NN_ERR_BAD_TENSOR if index is out of range. */
nn_status nn_model_tensor(const nn_model *model, uint32_t index, nn_tensor_info *info);

/* Label i as a pointer to its UTF-8 bytes (not NUL-terminated) and its length. */
nn_status nn_model_label(const nn_model *model, uint32_t index, const char **text, uint32_t *length);

/*
 * Widened weights, for kernel tables with a conv2d_w16 / depthwise_conv2d_w16 (the scalar kernels: on
 * a core without a sign-extending byte load each int8 weight costs a load and a shift or two per use;
 * widened, a load). A CONV_2D op qualifies when its window kh * kw * in_c lies in [4, 512], a
 * DEPTHWISE_CONV_2D when its window is 3x3, and either when its output has at least min_pixels pixels
 * (h * w) an image. Each takes two bytes a weight. nn_model_widened_size gives the bytes
 * nn_model_widen needs (0: no op qualifies); nn_model_widen writes every qualifying op's weights as
 * int16 into buffer (4-aligned, at least that size; it must outlive the model's use) and points
 * model->widened at it. The model stays as it was: executors take an op's widened weights only
 * through a kernel table that has the matching widened entry.
 * Errors: NN_ERR_NULL_ARGUMENT, NN_ERR_BAD_ALIGNMENT (buffer), NN_ERR_ARENA_TOO_SMALL (size).
 */
#ifndef NN_WIDEN_DEFAULT_MIN_PIXELS
#define NN_WIDEN_DEFAULT_MIN_PIXELS 1u /* what the interop and the benchmarks use: every qualifying op */
#endif
size_t nn_model_widened_size(const nn_model *model, uint32_t min_pixels);
nn_status nn_model_widen(nn_model *model, uint32_t min_pixels, void *buffer, size_t size);

/* Op op_index's widened weights, or NULL when the model has none for it: a CONV_2D's in OHWI order (as its
 * int8 weights), a DEPTHWISE_CONV_2D's in [kernel row][output channel][kernel column]. */
const int16_t *nn_model_widened(const nn_model *model, uint32_t op_index);

/* CRC-32/ISO-HDLC of a buffer (zlib's crc32 with initial value 0). */
uint32_t nn_crc32(const uint8_t *data, size_t size);

#ifdef __cplusplus
}
#endif

#endif

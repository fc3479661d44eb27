/*
 * nn_widen.c - widened CONV_2D and DEPTHWISE_CONV_2D weights (nn_model_widen, nn_model.h).
 *
 * Buffer layout (4-aligned): op_count u32 entries, entry i the byte offset from the buffer's start
 * of op i's int16 weights (0: none), then the weights of each qualifying op in op order, each array
 * starting 4-aligned: a CONV_2D's in its OHWI order, a 3x3 DEPTHWISE_CONV_2D's in
 * [kernel row][output channel][kernel column] order (its [ky][kx][c] int8 weights regrouped so that
 * a channel's three taps of a row lie together). The weights are those of a parsed (validated)
 * model, so every op record, tensor and weight array read here lies inside the blob.
 */
#include <stdint.h>
#include <string.h>

#include "nn_model_internal.h"

/* the smallest and largest window whose weights the pair loops of the scalar kernel read widened
 * (its x' block holds 512 values) */
#define NN_WIDEN_MIN_K 4
#define NN_WIDEN_MAX_K 512

/* weights of op (0 when it does not qualify); a depthwise op's are 9 its output channels */
static uint32_t widen_count(const nn_model *m, const nn_op_view *op, uint32_t min_pixels)
{
    nn_dims in, out;
    const int conv = op->opcode == NN_OP_CONV_2D || op->opcode == NN_OP_DEPTHWISE_CONV_2D;
    const uint32_t kh = conv ? nn_ld_u8(op->body + 0) : 0;
    const uint32_t kw = kh != 0 ? nn_ld_u8(op->body + 1) : 0;
    uint32_t k;
    if (kh == 0) {
        return 0;
    }
    nn_tensor_nhwc(m, op->input0, &in);
    nn_tensor_nhwc(m, op->output, &out);
    if ((uint32_t)out.h * (uint32_t)out.w < min_pixels) {
        return 0;
    }
    if (op->opcode == NN_OP_DEPTHWISE_CONV_2D) {
        return kh == 3u && kw == 3u ? 9u * (uint32_t)out.c : 0;
    }
    k = kh * kw * (uint32_t)in.c;
    return k >= NN_WIDEN_MIN_K && k <= NN_WIDEN_MAX_K ? k * (uint32_t)out.c : 0;
}

static uint32_t align4(uint32_t v)
{
    return (v + 3u) & ~3u;
}

size_t nn_model_widened_size(const nn_model *model, uint32_t min_pixels)
{
    const uint8_t *rec;
    uint32_t i, bytes = 0;
    if (model == NULL) {
        return 0;
    }
    rec = model->ops;
    for (i = 0; i < model->op_count; ++i) {
        nn_op_view op;
        nn_op_read(rec, &op);
        bytes += align4(2u * widen_count(model, &op, min_pixels));
        rec += op.record_size;
    }
    return bytes == 0 ? 0 : (size_t)model->op_count * 4u + bytes;
}

nn_status nn_model_widen(nn_model *model, uint32_t min_pixels, void *buffer, size_t size)
{
    uint8_t *const base = (uint8_t *)buffer;
    const uint8_t *rec;
    uint32_t i, at;
    size_t need;
    if (model == NULL || buffer == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (((uintptr_t)buffer & 3u) != 0) {
        return NN_ERR_BAD_ALIGNMENT;
    }
    need = nn_model_widened_size(model, min_pixels);
    if (size < need) {
        return NN_ERR_ARENA_TOO_SMALL;
    }
    if (need == 0) { /* no op qualifies: nothing to write */
        model->widened = NULL;
        return NN_OK;
    }
    rec = model->ops;
    at = (uint32_t)model->op_count * 4u;
    for (i = 0; i < model->op_count; ++i) {
        nn_op_view op;
        uint32_t n, entry = 0;
        nn_op_read(rec, &op);
        n = widen_count(model, &op, min_pixels);
        if (n != 0) {
            const int8_t *w = (const int8_t *)(model->blob + nn_ld_u32(op.body + 16));
            int16_t *d = (int16_t *)(void *)(base + at);
            uint32_t j;
            if (op.opcode == NN_OP_CONV_2D) {
                for (j = 0; j < n; ++j) {
                    d[j] = (int16_t)w[j];
                }
            } else { /* [ky][kx][c] -> [ky][c][kx] */
                const uint32_t channels = n / 9u;
                uint32_t ky, c, kx;
                for (ky = 0, j = 0; ky < 3u; ++ky) {
                    for (c = 0; c < channels; ++c) {
                        for (kx = 0; kx < 3u; ++kx) {
                            d[j++] = (int16_t)w[(ky * 3u + kx) * channels + c];
                        }
                    }
                }
            }
            entry = at;
            at += align4(2u * n);
        }
        memcpy(base + 4u * i, &entry, 4u);
        rec += op.record_size;
    }
    model->widened = base;
    return NN_OK;
}

const int16_t *nn_model_widened(const nn_model *model, uint32_t op_index)
{
    uint32_t entry;
    if (model == NULL || model->widened == NULL || op_index >= model->op_count) {
        return NULL;
    }
    memcpy(&entry, model->widened + 4u * op_index, 4u);
    return entry == 0 ? NULL : (const int16_t *)(const void *)(model->widened + entry);
}

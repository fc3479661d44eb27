/*
 * nn_pad_s8.c - PAD of a 4-D NHWC int8 tensor with a constant (TFLM reference Pad: every
 * output element outside [before, before + input) on some axis is pad_value, the rest is the
 * input copied unchanged).
 *
 * Constraints (checked by the model reader, relied on here):
 *  - before[i], after[i] >= 0 and output dim i == before[i] + input dim i + after[i] for
 *    i = N, H, W, C; all dims >= 1.
 * The packer stores pad_value = output zero point (TFLM PAD pads with the zero point).
 */
#include <string.h>

#include "nanonet/nn_kernels.h"

void nn_pad_s8(const nn_pad_params *params,
               const nn_dims *input_dims, const int8_t *input,
               const nn_dims *output_dims, int8_t *output)
{
    const int32_t on = output_dims->n, oh = output_dims->h, ow = output_dims->w, oc = output_dims->c;
    const int32_t ih = input_dims->h, iw = input_dims->w, ic = input_dims->c;
    const int32_t bn = params->before[0], bh = params->before[1], bw = params->before[2], bc = params->before[3];
    const int32_t ac = params->after[3];
    const int8_t pad = params->pad_value;
    int32_t n, y, x;

    for (n = 0; n < on; ++n) {
        const int32_t in_n = n - bn;
        const int n_inside = in_n >= 0 && in_n < input_dims->n;
        for (y = 0; y < oh; ++y) {
            const int32_t in_y = y - bh;
            const int y_inside = n_inside && in_y >= 0 && in_y < ih;
            for (x = 0; x < ow; ++x) {
                const int32_t in_x = x - bw;
                int8_t *out_px = output + (((size_t)n * oh + y) * ow + x) * oc;
                if (y_inside && in_x >= 0 && in_x < iw) {
                    const int8_t *in_px = input + (((size_t)in_n * ih + in_y) * iw + in_x) * ic;
                    memset(out_px, pad, (size_t)bc);
                    memcpy(out_px + bc, in_px, (size_t)ic);
                    memset(out_px + bc + ic, pad, (size_t)ac);
                } else {
                    memset(out_px, pad, (size_t)oc);
                }
            }
        }
    }
}

/*
 * nn_add_s8_scalar.c - ADD for a scalar 32-bit core without a high multiply (the board's Xtensa),
 * bit-identical to nn_add_s8 (TFLM's int8 Add).
 *
 * The reference rescales each input with a 64-bit SRDHM of X = v * 2^left_shift, where
 * v = x + offset lies in [-255, 255]. Because 2^left_shift is a factor of X, that product needs
 * no 64 bits: with d = 31 - left_shift,
 *   SRDHM(X, m) = floor((2^ls v m + 2^30) / 2^31) = floor((v m + 2^(d-1)) / 2^d),
 * and with m = 2^16 mh + ml (mh < 2^15, ml < 2^16) and 9 <= d <= 16 (left_shift 15..22; TFLM uses 20):
 *   = 2^(16-d) v mh + floor((v ml + 2^(d-1)) / 2^d),
 * where |v mh 2^(16-d)| < 2^8 2^15 2^7 and |v ml| < 2^24 fit int32 (nested floors compose; the
 * first term is an integer). Then RoundingDivideByPOT as the reference. The output rescale of the
 * sum (|sum| < 2^28, model reader) is the general 32-bit form of nn_rq32.h. Other left shifts
 * take that general form for the inputs too. An input's rescale depends on its byte alone, so a
 * large ADD tabulates both (256 entries each, the same formula) and looks them up.
 */
#include "nn_kernels_scalar.h"
#include "nn_rq32.h"

/* From this many elements the input rescales go through two 256-entry tables (2 KiB of stack,
 * 512 rescales to build): below it, building them costs more than it saves. */
#ifndef NN_ADD_TABLE_MIN
#define NN_ADD_TABLE_MIN 512
#endif

/* The element loop of a tabulated ADD, out of line: in the caller's frame, behind the 2 KiB of
 * tables, every spilled scalar would cost three instructions on Xtensa (L32I reaches 1020 bytes). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void add_tabled(const int32_t *tab1, const int32_t *tab2, const nn_rq32 *r, const nn_add_params *params,
                       int32_t size, const int8_t *input1, const int8_t *input2, int8_t *output)
{
    const nn_rq32 ro = *r;
    const int32_t out_off = params->output_offset, lo = params->act_min, hi = params->act_max;
    int32_t i;
    for (i = 0; i < size; ++i) {
        int32_t v = nn_rq32_apply(&ro, tab1[(uint8_t)input1[i]] + tab2[(uint8_t)input2[i]]) + out_off;
        v = v > hi ? hi : v;
        output[i] = (int8_t)(v < lo ? lo : v);
    }
}

void nn_add_s8_scalar(const nn_add_params *params, int32_t size,
                      const int8_t *input1, const int8_t *input2, int8_t *output)
{
    const int32_t ls = params->left_shift;
    const int32_t off1 = params->input1_offset, off2 = params->input2_offset;
    const int32_t out_off = params->output_offset, lo = params->act_min, hi = params->act_max;
    nn_rq32 r1, r2, ro;
    int32_t i;
    nn_rq32_prepare(&r1, params->input1_multiplier, params->input1_shift);
    nn_rq32_prepare(&r2, params->input2_multiplier, params->input2_shift);
    nn_rq32_prepare(&ro, params->output_multiplier, params->output_shift);
    if (ls >= 15 && ls <= 22) { /* the reader allows 0..22; d >= 9 keeps |v mh 2^(16-d)| < 2^30 */
        const int32_t d = 31 - ls, half = (int32_t)1 << (d - 1);
        const int32_t m1h = r1.mh << (16 - d), m1l = r1.ml, m2h = r2.mh << (16 - d), m2l = r2.ml;
        const int32_t e1 = r1.e, k1 = r1.mask, t1 = r1.thr, e2 = r2.e, k2 = r2.mask, t2 = r2.thr;
        if (size >= NN_ADD_TABLE_MIN) {
            /* an input's rescale depends on its byte alone: both as tables (the same formula for
             * each of the 256 values), then a load each per element */
            int32_t tab1[256], tab2[256];
            for (i = 0; i < 256; ++i) {
                const int32_t x = (int32_t)(int8_t)(uint8_t)i;
                tab1[i] = nn_rq32_rdbpot(nn_rq32_srdhm_v(x + off1, m1h, m1l, d, half), e1, k1, t1);
                tab2[i] = nn_rq32_rdbpot(nn_rq32_srdhm_v(x + off2, m2h, m2l, d, half), e2, k2, t2);
            }
            add_tabled(tab1, tab2, &ro, params, size, input1, input2, output);
            return;
        }
        for (i = 0; i < size; ++i) {
            const int32_t a = nn_rq32_rdbpot(nn_rq32_srdhm_v(input1[i] + off1, m1h, m1l, d, half), e1, k1, t1);
            const int32_t b = nn_rq32_rdbpot(nn_rq32_srdhm_v(input2[i] + off2, m2h, m2l, d, half), e2, k2, t2);
            int32_t v = nn_rq32_apply(&ro, a + b) + out_off;
            v = v > hi ? hi : v;
            output[i] = (int8_t)(v < lo ? lo : v);
        }
        return;
    }
    for (i = 0; i < size; ++i) {
        const int32_t a = nn_rq32_apply(&r1, (int32_t)((uint32_t)(input1[i] + off1) << ls));
        const int32_t b = nn_rq32_apply(&r2, (int32_t)((uint32_t)(input2[i] + off2) << ls));
        int32_t v = nn_rq32_apply(&ro, a + b) + out_off;
        v = v > hi ? hi : v;
        output[i] = (int8_t)(v < lo ? lo : v);
    }
}

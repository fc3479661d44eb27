/*
 * test_kernels_softmax.c - nn_softmax_s8.
 *  (a) bit-exact against TFLM goldens (../shared/golden/tensors): the softmax input and output
 *      tensors of three models run through the real TFLM interpreter; the kernel parameters are
 *      computed here from the model's input scale exactly as TFLM's Prepare does;
 *  (b) properties against a double-precision softmax on random rows: each output within 1 of
 *      clamp(round(256 * p) - 128), monotonic in the input, entries below diff_min give -128.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_kernels.h"
#include "naive_reference.h"
#include "nn_test.h"

/* exp(x) in double without libm (the test executables do not link it): range reduction by
 * ln 2 and a Taylor series; relative error around 1e-15, ample for a +-1 LSB check. */
static double test_exp(double x)
{
    const double ln2 = 0.69314718055994530942;
    double k = 0.0, r, term, sum;
    int i, n;
    while (x - k * ln2 > 0.5 * ln2) {
        k += 1.0;
    }
    while (x - k * ln2 < -0.5 * ln2) {
        k -= 1.0;
    }
    r = x - k * ln2;
    term = 1.0;
    sum = 1.0;
    for (i = 1; i < 30; ++i) {
        term *= r / i;
        sum += term;
    }
    n = (int)k;
    for (; n > 0; --n) {
        sum *= 2.0;
    }
    for (; n < 0; ++n) {
        sum /= 2.0;
    }
    return sum;
}

/* Host-side parameters, as TFLM's CalculateSoftmaxParams for int8 input:
 * PreprocessSoftmaxScaling(beta, input_scale, kScaledDiffIntegerBits = 5) and
 * diff_min = -CalculateInputRadius(5, input_left_shift). */
static void softmax_params(double beta, float input_scale, nn_softmax_params *p)
{
    double real = beta * (double)input_scale * (double)((int64_t)1 << (31 - 5));
    double radius;
    int32_t m, s;
    if (real > 2147483647.0) {
        real = 2147483647.0;
    }
    nnref_quantize_multiplier(real, &m, &s); /* QuantizeMultiplierGreaterThanOne: s >= 0 */
    p->input_multiplier = m;
    p->input_left_shift = s;
    radius = 31.0 * (double)((int64_t)1 << 26) / (double)((int64_t)1 << s);
    p->diff_min = -(int32_t)(int64_t)radius; /* floor of a positive value */
}

static void check_golden(const char *model, int in_index, int out_index, float input_scale,
                         const int8_t *expected_hint)
{
    size_t n_in = 0, n_out = 0;
    int8_t *in = nnref_read_golden(model, in_index, &n_in);
    int8_t *golden = nnref_read_golden(model, out_index, &n_out);
    int8_t out[16];
    nn_softmax_params p;
    size_t i;
    NN_CHECK(in != NULL && golden != NULL);
    if (!in || !golden) {
        free(in);
        free(golden);
        return;
    }
    NN_CHECK_EQ_INT(n_in, 2);
    NN_CHECK_EQ_INT(n_out, 2);
    softmax_params(1.0, input_scale, &p);
    memset(out, 0x55, sizeof out);
    nn_softmax_s8(&p, 1, (int32_t)n_in, in, out);
    for (i = 0; i < n_out; ++i) {
        NN_CHECK_EQ_INT(out[i], golden[i]);
        if (expected_hint) {
            NN_CHECK_EQ_INT(golden[i], expected_hint[i]);
        }
    }
    printf("  %s: in (%d, %d) -> (%d, %d), TFLM (%d, %d)\n", model, in[0], in[1], out[0], out[1],
           golden[0], golden[1]);
    free(in);
    free(golden);
}

static void test_softmax_golden_person_detect(void)
{
    /* t031 -> t087. Input scale: tensor 31 of tflm_person_detect_int8.tflite, quantization
     * scale float32 bits 0x3c4d1b73 (0.012518751434981823), zero point -1; SOFTMAX beta 1.0.
     * TFLM output on tflm_person: -113 113 (outputs.txt). */
    static const int8_t hint[2] = {-113, 113};
    check_golden("tflm_person_detect_int8", 31, 87, 0.012518751434981823f, hint);
}

static void test_softmax_golden_vww(void)
{
    /* t087 -> t088. Input scale: tensor 87 of mlperf_tiny_vww_96_int8.tflite, float32 bits
     * 0x3c6fccc0 (0.014636218547821045), zero point -5; beta 1.0. */
    static const int8_t hint[2] = {-95, 95};
    check_golden("mlperf_tiny_vww_96_int8", 87, 88, 0.014636218547821045f, hint);
}

static void test_softmax_golden_ei_mobilenetv2(void)
{
    /* t181 -> t182. Input scale: tensor 181 of ei_mobilenetv2_035_96_gray_int8.tflite, float32
     * bits 0x3e192243 (0.14954476058483124), zero point 3; beta 1.0. */
    check_golden("ei_mobilenetv2_035_96_gray_int8", 181, 182, 0.14954476058483124f, NULL);
}

static void test_softmax_params_known(void)
{
    /* person_detect: real = 0.012518751434981823 * 2^26 = 840119.4...: shift 20,
     * diff_min = -floor(31 * 2^26 / 2^20) = -1984. */
    nn_softmax_params p;
    softmax_params(1.0, 0.012518751434981823f, &p);
    NN_CHECK_EQ_INT(p.input_left_shift, 20);
    NN_CHECK_EQ_INT(p.diff_min, -1984);
    NN_CHECK(p.input_multiplier >= (1 << 30));
}

static void test_softmax_properties(void)
{
    uint32_t st = 0x50F7u;
    int row;
    long compared = 0, below_min = 0, off_by_one = 0;
    for (row = 0; row < 3000; ++row) {
        const int32_t depth = row < 50 ? 1 + row % 3 : nn_test_rand_range(&st, 1, 64);
        /* input scales from 1/512 to 1: covers shifts 17..26 and diff_min from -31 to -15872 */
        const float scale = (float)(1.0 / (double)nn_test_rand_range(&st, 1, 512));
        const int32_t spread = nn_test_rand_range(&st, 0, 255);
        int8_t in[64], out[64];
        double e[64], sum = 0.0;
        int32_t mx = -128, i, j;
        nn_softmax_params p;
        softmax_params(1.0, scale, &p);
        for (i = 0; i < depth; ++i) {
            int32_t v = nn_test_rand_range(&st, 127 - spread, 127) - nn_test_rand_range(&st, 0, 128);
            in[i] = (int8_t)(v < -128 ? -128 : v);
            if (in[i] > mx) {
                mx = in[i];
            }
        }
        for (i = 0; i < depth; ++i) {
            e[i] = test_exp((double)scale * (double)(in[i] - mx));
            sum += e[i];
        }
        nn_softmax_s8(&p, 1, depth, in, out);
        for (i = 0; i < depth; ++i) {
            const double q = 256.0 * e[i] / sum;
            int32_t want = (int32_t)(q + 0.5) - 128;
            int32_t d;
            want = want > 127 ? 127 : want;
            d = out[i] - want;
            NN_CHECK(d >= -1 && d <= 1);
            off_by_one += d != 0;
            if (in[i] - mx < p.diff_min) {
                NN_CHECK_EQ_INT(out[i], -128);
                below_min++;
            }
            for (j = 0; j < depth; ++j) {
                if (in[i] >= in[j]) {
                    NN_CHECK(out[i] >= out[j]);
                }
            }
            compared++;
            if (nn_test_case_failed) {
                printf("  row %d depth %d scale %.8g: x[%d]=%d max %d -> %d, float says %d\n", row,
                       (int)depth, (double)scale, (int)i, in[i], (int)mx, out[i], (int)want);
                return;
            }
        }
    }
    printf("  %ld outputs compared, %ld off by one from float, %ld below diff_min\n", compared,
           off_by_one, below_min);
    NN_CHECK(below_min > 10);
}

static void test_softmax_rows_independent(void)
{
    /* outer_size > 1: each row is normalised on its own; a uniform row of 4 gives 64 - 128. */
    static const int8_t in[8] = {5, 5, 5, 5, -100, 20, -100, -100};
    int8_t out[8], row1[4];
    nn_softmax_params p;
    softmax_params(1.0, 0.05f, &p);
    nn_softmax_s8(&p, 2, 4, in, out);
    NN_CHECK_EQ_INT(out[0], -64);
    NN_CHECK_EQ_INT(out[1], -64);
    NN_CHECK_EQ_INT(out[2], -64);
    NN_CHECK_EQ_INT(out[3], -64);
    nn_softmax_s8(&p, 1, 4, in + 4, row1);
    NN_CHECK(memcmp(row1, out + 4, 4) == 0);
}

int main(void)
{
    NN_RUN(test_softmax_params_known);
    NN_RUN(test_softmax_golden_person_detect);
    NN_RUN(test_softmax_golden_vww);
    NN_RUN(test_softmax_golden_ei_mobilenetv2);
    NN_RUN(test_softmax_rows_independent);
    NN_RUN(test_softmax_properties);
    return nn_test_finish();
}

#include "naive_reference.h"

#include <stdio.h>
#include <stdlib.h>

#include "nn_test.h"

long nnref_tie_count = 0;

int64_t nnref_floor_div(int64_t a, int64_t d)
{
    int64_t q = a / d;
    if ((a % d) != 0 && a < 0) {
        q -= 1;
    }
    return q;
}

int64_t nnref_round_half_away_div(int64_t a, int64_t d)
{
    const int64_t mag = a < 0 ? -a : a;
    const int64_t q = mag / d;
    const int64_t r = mag % d;
    int64_t res = q;
    if (d > 1 && 2 * r == d) {
        nnref_tie_count++;
    }
    if (2 * r >= d) {
        res = q + 1;
    }
    return a < 0 ? -res : res;
}

int32_t nnref_wrap32(int64_t v)
{
    /* (v mod 2^32) as unsigned, then re-centre into [-2^31, 2^31). */
    const int64_t two32 = (int64_t)1 << 32;
    int64_t m = v % two32;
    if (m < 0) {
        m += two32;
    }
    if (m >= ((int64_t)1 << 31)) {
        m -= two32;
    }
    return (int32_t)m;
}

int32_t nnref_srdhm(int32_t a, int32_t b)
{
    int64_t p;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    p = (int64_t)a * (int64_t)b;
    if ((p & (((int64_t)1 << 31) - 1)) == ((int64_t)1 << 30)) {
        nnref_tie_count++;
    }
    return (int32_t)nnref_floor_div(p + ((int64_t)1 << 30), (int64_t)1 << 31);
}

int32_t nnref_rounding_divide_by_pot(int32_t x, int e)
{
    return (int32_t)nnref_round_half_away_div(x, (int64_t)1 << e);
}

int32_t nnref_requant(int64_t acc, int32_t multiplier, int32_t shift)
{
    int64_t x = acc;
    if (shift > 0) {
        x = x * ((int64_t)1 << shift); /* callers keep |acc| * 2^shift well inside int64 */
    }
    {
        const int32_t y = nnref_srdhm(nnref_wrap32(x), multiplier);
        return nnref_rounding_divide_by_pot(y, shift < 0 ? -shift : 0);
    }
}

void nnref_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift)
{
    /* frexp and round written out (support code must not need libm): scaling by 2 is exact. */
    int e = 0;
    int negative = real < 0.0;
    double q = negative ? -real : real;
    int64_t m;
    if (q == 0.0) {
        *multiplier = 0;
        *shift = 0;
        return;
    }
    while (q >= 1.0) {
        q /= 2.0;
        e++;
    }
    while (q < 0.5) {
        q *= 2.0;
        e--;
    }
    /* q in [0.5, 1): q * 2^31 < 2^31 has at most 22 fractional bits, so + 0.5 is exact and
     * truncation is floor: round half away from zero of the magnitude. */
    m = (int64_t)(q * 2147483648.0 + 0.5);
    if (m == ((int64_t)1 << 31)) {
        m /= 2;
        e += 1;
    }
    if (e < -31) {
        m = 0;
        e = 0;
    }
    *multiplier = (int32_t)(negative ? -m : m);
    *shift = e;
}

int8_t *nnref_read_golden(const char *model, int index, size_t *size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/tensors/%s/t%03d.bin", NANONET_SHARED_DIR, model, index);
    return (int8_t *)nn_test_read_file(path, size);
}

void nnref_pick_requant(uint32_t *st, double typical_acc, int32_t *multiplier, int32_t *shift)
{
    const uint32_t k = nn_test_rand(st) % 10u;
    double real = 40.0 / (typical_acc < 1.0 ? 1.0 : typical_acc);
    int e;
    if (k == 0) {
        *multiplier = 0;
        *shift = nn_test_rand_range(st, -10, 0);
        return;
    }
    /* spread over a factor 8 around the target: mantissa in [1, 2), exponent -2 .. 0 */
    real *= 1.0 + (double)(nn_test_rand(st) >> 8) / 16777216.0;
    for (e = nn_test_rand_range(st, -2, 0); e < 0; ++e) {
        real /= 2.0;
    }
    nnref_quantize_multiplier(real, multiplier, shift);
    if (k == 1 && *multiplier != 0) {
        *multiplier = (int32_t)1 << 30; /* 0.5 * 2^shift: odd accumulators land on .5 */
    }
}

void nnref_pick_clamp(uint32_t *st, int32_t zp, int32_t *act_min, int32_t *act_max)
{
    const uint32_t k = nn_test_rand(st) % 4u;
    *act_min = -128;
    *act_max = 127;
    if (k == 1) { /* RELU */
        *act_min = zp;
    } else if (k == 2) { /* RELU6 with some scale */
        const int32_t six = nn_test_rand_range(st, 10, 200);
        *act_min = zp;
        *act_max = zp + six > 127 ? 127 : zp + six;
    } else if (k == 3) {
        *act_min = nn_test_rand_range(st, -128, 0);
        *act_max = nn_test_rand_range(st, *act_min, 127);
    }
}

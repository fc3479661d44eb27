/*
 * nn_test.h - the minimal harness every C test suite uses.
 *
 * A suite is one executable: main() calls NN_RUN(case) for each case and returns nn_test_finish().
 * A failed check prints file:line and the expression and marks the current case failed;
 * the suite prints one line per case and a closing "N passed, N failed" for its cases. A check that
 * fails outside any case (before the first, between two, after the last) counts as a failed case.
 */
#ifndef NANONET_NN_TEST_H
#define NANONET_NN_TEST_H

#include <stdint.h>
#include <stdio.h>

extern int nn_test_case_failed;

void nn_test_begin(const char *name);
void nn_test_end(void);
int nn_test_finish(void);

/* Deterministic xorshift32 PRNG for random shapes and data (seeded per case). */
uint32_t nn_test_rand(uint32_t *state);
/* Uniform integer in [lo, hi]. */
int32_t nn_test_rand_range(uint32_t *state, int32_t lo, int32_t hi);

/* A requantisation multiplier the kernels accept: 0, 2^30, INT32_MAX or uniform in [2^30, 2^31). */
int32_t nn_test_rand_multiplier(uint32_t *state);

/* Random per-channel bias, multiplier and shift for `channels` outputs of `taps` products each,
 * within what the model reader accepts: (taps * 32640 + |bias|) * 2^max(shift, 0) <= 2^31 - 129;
 * shifts mostly in [-12, 0], one in six anywhere in [-31, 30] that the bound allows. */
void nn_test_rand_channel_quant(uint32_t *state, int32_t taps, int32_t channels, int32_t *bias, int32_t *mult,
                                int32_t *shift);

/* Read a whole file into a malloc'd buffer; returns NULL (and prints why) on failure. */
uint8_t *nn_test_read_file(const char *path, size_t *size);

/* The two int8 outputs TFLM gave for `model` (e.g. "person_detect") on `input` (e.g. "tflm_person"),
 * from ../shared/golden/outputs.txt. Returns 0 if there is no such line. */
int nn_test_golden_output(const char *model, const char *input, int expected[2]);

#define NN_CHECK(expr)                                                              \
    do {                                                                            \
        if (!(expr)) {                                                              \
            printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr);                \
            nn_test_case_failed = 1;                                                \
        }                                                                           \
    } while (0)

#define NN_CHECK_EQ_INT(actual, expected)                                           \
    do {                                                                            \
        long long nn_a_ = (long long)(actual), nn_e_ = (long long)(expected);       \
        if (nn_a_ != nn_e_) {                                                       \
            printf("  FAIL %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
                   #actual, nn_a_, nn_e_);                                          \
            nn_test_case_failed = 1;                                                \
        }                                                                           \
    } while (0)

#define NN_RUN(fn)          \
    do {                    \
        nn_test_begin(#fn); \
        fn();               \
        nn_test_end();      \
    } while (0)

#endif

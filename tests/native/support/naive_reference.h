/*
 * naive_reference.h - independent reference arithmetic for the kernel tests.
 *
 * Written from the definitions in ../shared/docs/BRIEF.md ("int8 arithmetic"), deliberately
 * not from nn_requant.h: exact int64 products and explicit floor / round-half-away divisions.
 * Host-side helpers (QuantizeMultiplier in double) are here too, as tests need them to turn
 * real scales into kernel parameters. All names carry the nnref_ prefix.
 */
#ifndef NANONET_NAIVE_REFERENCE_H
#define NANONET_NAIVE_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

/* Number of exact rounding ties nnref_requant met (either rounding step) since the last reset. */
extern long nnref_tie_count;

/* floor(a / d) for d > 0. */
int64_t nnref_floor_div(int64_t a, int64_t d);
/* a / d rounded to nearest, ties away from zero, for d > 0. */
int64_t nnref_round_half_away_div(int64_t a, int64_t d);
/* Reduce to int32 modulo 2^32 (two's complement wrap), explicitly. */
int32_t nnref_wrap32(int64_t v);

/* round(a * b / 2^31) with ties toward +infinity (floor((a*b + 2^30) / 2^31)); INT32_MIN^2 -> INT32_MAX. */
int32_t nnref_srdhm(int32_t a, int32_t b);
/* x / 2^e rounded to nearest, ties away from zero. */
int32_t nnref_rounding_divide_by_pot(int32_t x, int e);
/* TFLM double-rounding MultiplyByQuantizedMultiplier: x * 2^max(s,0) (wrapping to int32), SRDHM, then
 * rounding division by 2^max(-s,0). */
int32_t nnref_requant(int64_t acc, int32_t multiplier, int32_t shift);

/* QuantizeMultiplier (TFLM): frexp, round half away from zero, 2^31 -> 2^30 with shift+1,
 * shift < -31 -> (0, 0). */
void nnref_quantize_multiplier(double real, int32_t *multiplier, int32_t *shift);

/* Read ../shared/golden/tensors/<model>/t<index>.bin (NNN three digits); malloc'd, NULL on failure. */
int8_t *nnref_read_golden(const char *model, int index, size_t *size);



/* Random test parameters shared by the kernel suites (PRNG of nn_test.h). */
/* Per-channel (multiplier, shift) whose real value maps accumulators of about typical_acc to
 * tens of output steps; now and then multiplier 0, or exactly 2^30 (0.5: many rounding ties). */
void nnref_pick_requant(uint32_t *st, double typical_acc, int32_t *multiplier, int32_t *shift);
/* Activation range for output zero point zp: none, RELU, RELU6-like or a random narrow one. */
void nnref_pick_clamp(uint32_t *st, int32_t zp, int32_t *act_min, int32_t *act_max);
#endif

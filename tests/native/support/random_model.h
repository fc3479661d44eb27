/*
 * random_model.h - structure-aware generator of random VALID packed models (.nnb), for the
 * planner / executor property test (test_random_models.c) and the fuzzer's seed corpus.
 *
 * Every op the engine runs appears: CONV_2D (1x1, 2x2, 3x3, 5x5, strides 1..3, dilation 1..2,
 * any pad the format allows), DEPTHWISE_CONV_2D (multipliers 1..3), PAD (H/W, foldable or not,
 * large pads before a depthwise, now and then on N or C), ADD (of a tensor with an earlier one
 * of the same shape, or with itself), AVERAGE_POOL_2D, MEAN, FULLY_CONNECTED (batches 1..2),
 * SOFTMAX and RESHAPE. Parameters are drawn from the whole range the model reader accepts
 * (zero points, clamps, multipliers, shifts, biases up to the reader's exactness bound), so the
 * kernels' arithmetic is exercised where the reader's proofs are tight.
 *
 * Now and then (rm_info.expect_invalid) the generator ends a model with an ADD whose operands
 * have the same element count but different shapes: the reader must refuse it (NN_ERR_BAD_SHAPE).
 *
 * Test support only: allocates freely and aborts on out-of-memory (nnb_builder).
 */
#ifndef NANONET_RANDOM_MODEL_H
#define NANONET_RANDOM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nnb_builder.h"

/* Op counts by opcode (index = NN_OP_*), and what the generated model is. */
typedef struct rm_info {
    uint32_t ops[NN_OP_COUNT_];
    uint32_t op_count;
    uint32_t expect_invalid; /* 1: ends with an ADD of differently shaped operands */
    uint32_t max_elements;   /* largest tensor */
} rm_info;

/* Generator state, for building specific models op by op (regression tests). */
typedef struct rm_gen {
    nnb_builder b;
    uint32_t seed;
    uint16_t input;       /* graph input tensor */
    uint16_t t;           /* current tensor (the next op's input) */
    int32_t n, h, w, c;   /* its NHWC view */
    int32_t zp;           /* its zero point */
    uint32_t history;     /* earlier tensors (for ADD) */
    uint16_t hist_t[64];
    int32_t hist_dims[64][4];
    int32_t hist_zp[64];
    rm_info info;
} rm_gen;

/* Starts a model whose graph input is [n, h, w, c] (raw int8 input spec) with zero point zp. */
void rm_begin(rm_gen *g, uint32_t seed, int32_t n, int32_t h, int32_t w, int32_t c, int32_t zp);

/*
 * Appends a CONV_2D (mult_or_out_c = output channels) or DEPTHWISE_CONV_2D (mult_or_out_c =
 * depth multiplier) with random weights and quantisation; pad_after_h / pad_after_w choose the
 * output size (in + pt + pad_after - eff_k) / stride + 1. Returns 0 if the shapes do not work.
 */
int rm_conv(rm_gen *g, uint32_t opcode, int32_t kh, int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw,
            int32_t pt, int32_t pl, int32_t pad_after_h, int32_t pad_after_w, int32_t mult_or_out_c);
/* PAD: before/after per N, H, W, C; same_zp: the output keeps the input's zero point. */
void rm_pad(rm_gen *g, const uint16_t before[4], const uint16_t after[4], int same_zp);
/* ADD of the current tensor and tensor `other` (whose NHWC view is other_dims) into the current shape. */
void rm_add(rm_gen *g, uint16_t other, const int32_t other_dims[4], int32_t other_zp);
/* RESHAPE the current tensor to the given dims (rank 1..4, same element count). */
void rm_reshape(rm_gen *g, uint32_t rank, const uint32_t *dims);
/* Sets the graph output to the current tensor; returns the malloc'd blob. Frees the builder. */
uint8_t *rm_finish(rm_gen *g, size_t *size);

/* A whole random model for `seed` (deterministic). */
uint8_t *rm_random_model(uint32_t seed, size_t *size, rm_info *info);

#endif

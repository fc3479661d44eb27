/*
 * nn_planner.h - the memory planner and the row-streaming executor (issue #3).
 *
 * For a parsed model and an SRAM budget in bytes, the planner splits the op list into steps.
 * A step either runs one op layer by layer (whole tensors), or streams a chain of ops one
 * output row at a time: each tensor produced and consumed inside the chain lives in a small
 * row window holding only the rows its consumers still need (no row is ever computed twice,
 * so the MACs executed equal nn_model_macs()). Explicit PAD ops whose value is the zero point
 * and that feed one convolution are folded into that convolution, and RESHAPEs read only by a
 * FULLY_CONNECTED or SOFTMAX into their reader: neither is ever materialised.
 *
 * Everything lives in one caller-provided arena:
 *   [alignment slack <= 15][plan: header, op records, step records][placed blocks]
 * The placed blocks are the whole tensors that cross a step boundary (lifetime in steps) and,
 * per step, one scratch block (the step's row windows and the decoded channel quantisation
 * of the op being run). Blocks are placed largest first, lowest fitting offset first.
 * peak_bytes is the exact arena size needed (slack, plan and blocks); the graph input is read
 * in place from the caller's buffer and never copied; the graph output is in the arena.
 */
#ifndef NANONET_NN_PLANNER_H
#define NANONET_NN_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "nn_executor.h"
#include "nn_model.h"
#include "nn_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Budget value meaning "the smallest plan the planner can make". */
#define NN_PLAN_BUDGET_MIN 0u

/* One step of a plan, for tables and pictures. */
typedef struct nn_plan_step {
    uint16_t first_op;       /* op table index of the first op of the step */
    uint16_t last_op;        /* op table index of the last op (inclusive; folded PADs included) */
    uint8_t streamed;        /* 1: row-streamed chain; 0: layer by layer */
    uint8_t opcode;          /* opcode of the last op */
    uint16_t folded_pads;    /* PAD (or RESHAPE) ops folded into an op of this step */
    uint32_t tensor_bytes;   /* whole tensors live during the step (inputs, outputs, crossing tensors) */
    uint32_t window_bytes;   /* row windows of the step's streamed tensors */
    uint32_t quant_bytes;    /* decoded channel quantisation scratch */
    uint32_t arena_end;      /* highest arena byte in use during the step (plan and slack included) */
} nn_plan_step;

/* Bytes of plan buffer nn_plan_create needs (a bound: the plan may use less). */
size_t nn_plan_buffer_size(const nn_model *model);

/*
 * Plan `model` for `budget` bytes of arena (NN_PLAN_BUDGET_MIN: the smallest plan) into
 * plan (plan_size >= nn_plan_buffer_size bytes, any alignment). On success *peak_bytes is
 * the arena size nn_executor_run_planned needs. *min_budget (may be NULL) receives the
 * smallest budget any plan of this planner fits. A budget below it gives NN_ERR_ARENA_TOO_SMALL.
 */
nn_status nn_plan_create(const nn_model *model, uint32_t budget, void *plan, size_t plan_size,
                         uint32_t *peak_bytes, uint32_t *min_budget);

/* Steps of a plan made by nn_plan_create. */
uint32_t nn_plan_step_count(const void *plan);
nn_status nn_plan_get_step(const void *plan, uint32_t index, nn_plan_step *step);

/* What a planned run did (for tests and benchmarks). */
typedef struct nn_run_stats {
    uint64_t macs;          /* multiply-accumulates of every kernel call, from the call's dims */
    uint32_t kernel_calls;
    uint32_t peak_bytes;    /* arena bytes the plan uses */
} nn_run_stats;

/*
 * Plan for `budget` at the head of the arena, then run. arena_size must be >= the plan's
 * peak_bytes (NN_ERR_ARENA_TOO_SMALL otherwise). observer (may be NULL) sees every tensor
 * that is materialised whole (streamed row windows and folded PADs are never whole).
 * stats may be NULL. kernels NULL means nn_default_kernels().
 */
struct nn_kernel_table;
nn_status nn_executor_run_planned(const nn_model *model, uint32_t budget,
                                  const int8_t *input, size_t input_size,
                                  int8_t *output, size_t output_size,
                                  uint8_t *arena, size_t arena_size,
                                  nn_tensor_observer observer, void *user,
                                  const struct nn_kernel_table *kernels, nn_run_stats *stats);

#ifdef __cplusplus
}
#endif

#endif

/*
 * nn_executor.h - the layer-by-layer executor.
 *
 * Runs the ops of a parsed model in order over one caller-provided arena. The arena holds
 * the tensor placement plan, the decoded channel quantisation of the op being run, and every
 * activation tensor while it is live; nn_executor_arena_size() says how large it must be.
 * Nothing is allocated and no float is used.
 */
#ifndef NANONET_NN_EXECUTOR_H
#define NANONET_NN_EXECUTOR_H

#include <stddef.h>
#include <stdint.h>

#include "nn_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called after each op with the tensor it wrote (for layer-by-layer comparison and tracing). */
typedef void (*nn_tensor_observer)(void *user, uint32_t op_index, uint32_t tensor_index,
                                   const int8_t *data, uint32_t size);

/* Bytes of arena the executor needs for this model (alignment slack included). */
size_t nn_executor_arena_size(const nn_model *model);

/*
 * Run the model. input_size and output_size must equal the element counts of the graph
 * input and output tensors. observer may be NULL.
 */
nn_status nn_executor_run(const nn_model *model,
                          const int8_t *input, size_t input_size,
                          int8_t *output, size_t output_size,
                          uint8_t *arena, size_t arena_size,
                          nn_tensor_observer observer, void *user);

/*
 * As nn_executor_run, with the kernels of the given table (see nn_kernel_table.h);
 * NULL means nn_default_kernels(). Used to run the reference kernels against the fast ones.
 */
struct nn_kernel_table;
nn_status nn_executor_run_with_kernels(const nn_model *model,
                                       const int8_t *input, size_t input_size,
                                       int8_t *output, size_t output_size,
                                       uint8_t *arena, size_t arena_size,
                                       nn_tensor_observer observer, void *user,
                                       const struct nn_kernel_table *kernels);

/* Multiply-accumulates one inference performs (for inspect and benchmarks). */
uint64_t nn_model_macs(const nn_model *model);

#ifdef __cplusplus
}
#endif

#endif

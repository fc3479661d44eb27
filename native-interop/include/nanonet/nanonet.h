/*
 * nanonet.h - the flat C API of the engine, exported by the host shared library (libnanonet)
 * and used by the nanoFramework interop glue. Only fixed-width integers and pointers cross it,
 * so P/Invoke signatures are trivial. Every entry validates its arguments and the blob.
 */
#ifndef NANONET_NANONET_H
#define NANONET_NANONET_H

#include <stdint.h>

#include "nn_executor.h"
#include "nn_model.h"
#include "nn_planner.h"
#include "nn_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define NANONET_API __declspec(dllexport)
#elif defined(__GNUC__)
#define NANONET_API __attribute__((visibility("default")))
#else
#define NANONET_API
#endif

/* Engine ABI version; bumped when a signature below changes. */
NANONET_API int32_t nanonet_abi_version(void);

NANONET_API const char *nanonet_status_name(int32_t status);
NANONET_API const char *nanonet_status_message(int32_t status);

/* Validate a blob. diag (may be NULL) receives where the fault is. Returns an nn_status. */
NANONET_API int32_t nanonet_validate(const uint8_t *blob, uint32_t size, nn_diag *diag);

/* Arena bytes needed to run this blob (0 on error; *status receives the nn_status). */
NANONET_API int32_t nanonet_arena_size(const uint8_t *blob, uint32_t size, uint32_t *arena_size);

/* Parse, then run one inference. observer may be NULL. */
NANONET_API int32_t nanonet_run(const uint8_t *blob, uint32_t size,
                                const int8_t *input, uint32_t input_size,
                                int8_t *output, uint32_t output_size,
                                uint8_t *arena, uint32_t arena_size,
                                nn_tensor_observer observer, void *user);

/* MACs per inference. */
NANONET_API int32_t nanonet_macs(const uint8_t *blob, uint32_t size, uint64_t *macs);

/* Parse once, then run `iterations` inferences, writing each one's wall time in nanoseconds to
 * nanoseconds[i] (for `nanonet bench`). use_reference != 0 runs the plain reference kernels.
 * budget < 0 runs layer by layer (arena >= nanonet_arena_size); budget >= 0 runs the memory plan for
 * that budget (0: the smallest plan; arena >= the plan's peak_bytes, see nanonet_plan). */
NANONET_API int32_t nanonet_bench(const uint8_t *blob, uint32_t size,
                                  const int8_t *input, uint32_t input_size,
                                  int8_t *output, uint32_t output_size,
                                  uint8_t *arena, uint32_t arena_size,
                                  uint32_t iterations, int32_t use_reference, int32_t budget,
                                  uint64_t *nanoseconds);

/*
 * Memory planner (nn_planner.h). budget 0 = the smallest plan. work: work_size >= bytes from
 * nanonet_plan_work_size. steps (may be NULL) receives up to max_steps steps; *step_count the
 * plan's step count, *peak_bytes the arena nanonet_run_planned needs, *min_budget the smallest
 * budget that works (also set when the budget is too small: NN_ERR_ARENA_TOO_SMALL).
 */
NANONET_API int32_t nanonet_plan_work_size(const uint8_t *blob, uint32_t size, uint32_t *work_size);
NANONET_API int32_t nanonet_plan(const uint8_t *blob, uint32_t size, uint32_t budget,
                                 uint8_t *work, uint32_t work_size,
                                 nn_plan_step *steps, uint32_t max_steps, uint32_t *step_count,
                                 uint32_t *peak_bytes, uint32_t *min_budget);

/* Plan for budget at the head of the arena, then run streamed (bit-exact with nanonet_run). */
NANONET_API int32_t nanonet_run_planned(const uint8_t *blob, uint32_t size, uint32_t budget,
                                        const int8_t *input, uint32_t input_size,
                                        int8_t *output, uint32_t output_size,
                                        uint8_t *arena, uint32_t arena_size,
                                        nn_tensor_observer observer, void *user);

#ifdef __cplusplus
}
#endif

#endif

/*
 * nanonet_api.c - the flat C API of libnanonet (nanonet.h): parse-then-act wrappers over the
 * model reader and the executor. Every entry validates its arguments and the whole blob.
 */
#include <stddef.h>

#include "nanonet/nanonet.h"

#define NANONET_ABI_VERSION 1

NANONET_API int32_t nanonet_abi_version(void)
{
    return NANONET_ABI_VERSION;
}

NANONET_API const char *nanonet_status_name(int32_t status)
{
    return nn_status_name((int)status);
}

NANONET_API const char *nanonet_status_message(int32_t status)
{
    return nn_status_message((int)status);
}

NANONET_API int32_t nanonet_validate(const uint8_t *blob, uint32_t size, nn_diag *diag)
{
    nn_model model;
    return (int32_t)nn_model_parse(blob, size, &model, diag);
}

NANONET_API int32_t nanonet_arena_size(const uint8_t *blob, uint32_t size, uint32_t *arena_size)
{
    nn_model model;
    nn_status status;
    size_t need;
    if (arena_size == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    *arena_size = 0;
    status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    need = nn_executor_arena_size(&model);
    if (need == 0 || (uint64_t)need > 0xFFFFFFFFu) {
        return NN_ERR_BAD_SHAPE; /* the model needs an arena of 4 GiB or more */
    }
    *arena_size = (uint32_t)need;
    return NN_OK;
}

NANONET_API int32_t nanonet_run(const uint8_t *blob, uint32_t size,
                                const int8_t *input, uint32_t input_size,
                                int8_t *output, uint32_t output_size,
                                uint8_t *arena, uint32_t arena_size,
                                nn_tensor_observer observer, void *user)
{
    nn_model model;
    nn_status status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    return (int32_t)nn_executor_run(&model, input, input_size, output, output_size, arena, arena_size,
                                    observer, user);
}

NANONET_API int32_t nanonet_macs(const uint8_t *blob, uint32_t size, uint64_t *macs)
{
    nn_model model;
    nn_status status;
    if (macs == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    *macs = 0;
    status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    *macs = nn_model_macs(&model);
    return NN_OK;
}

NANONET_API int32_t nanonet_plan_work_size(const uint8_t *blob, uint32_t size, uint32_t *work_size)
{
    nn_model model;
    nn_status status;
    if (work_size == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    *work_size = 0;
    status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    *work_size = (uint32_t)nn_plan_buffer_size(&model);
    return NN_OK;
}

NANONET_API int32_t nanonet_plan(const uint8_t *blob, uint32_t size, uint32_t budget,
                                 uint8_t *work, uint32_t work_size,
                                 nn_plan_step *steps, uint32_t max_steps, uint32_t *step_count,
                                 uint32_t *peak_bytes, uint32_t *min_budget)
{
    nn_model model;
    nn_status status;
    uint32_t i, n;
    if (work == NULL || step_count == NULL || peak_bytes == NULL || min_budget == NULL ||
        (steps == NULL && max_steps > 0)) {
        return NN_ERR_NULL_ARGUMENT;
    }
    *step_count = 0;
    *peak_bytes = 0;
    *min_budget = 0;
    status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    status = nn_plan_create(&model, budget, work, work_size, peak_bytes, min_budget);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    n = nn_plan_step_count(work);
    *step_count = n;
    for (i = 0; i < n && i < max_steps; i++) {
        nn_plan_get_step(work, i, &steps[i]);
    }
    return NN_OK;
}

NANONET_API int32_t nanonet_run_planned(const uint8_t *blob, uint32_t size, uint32_t budget,
                                        const int8_t *input, uint32_t input_size,
                                        int8_t *output, uint32_t output_size,
                                        uint8_t *arena, uint32_t arena_size,
                                        nn_tensor_observer observer, void *user)
{
    nn_model model;
    nn_status status = nn_model_parse(blob, size, &model, NULL);
    if (status != NN_OK) {
        return (int32_t)status;
    }
    return (int32_t)nn_executor_run_planned(&model, budget, input, input_size, output, output_size, arena, arena_size,
                                            observer, user, NULL, NULL);
}

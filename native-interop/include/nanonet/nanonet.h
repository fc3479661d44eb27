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

#ifdef __cplusplus
}
#endif

#endif

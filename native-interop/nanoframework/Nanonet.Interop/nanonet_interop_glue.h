//
// nanonet_interop_glue.h - what the Nanonet.Interop stubs share: the one engine state and the mapping of
// an nn_interop status to an HRESULT (nn_interop_status_kind decides; see native-interop/include/nanonet/nn_interop.h).
//
#ifndef NANONET_INTEROP_GLUE_H
#define NANONET_INTEROP_GLUE_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>

#include "nanonet/nn_interop.h"

// The engine state of this firmware, initialised on first use with the board's platform hook.
nn_interop *Nanonet_Interop_State();

// A status result: a broken call contract sets hr (ArgumentException, InvalidOperationException,
// OutOfMemoryException); any other status is returned to managed code as is.
signed int Nanonet_Interop_Status(int32_t status, HRESULT &hr);

// A count result (>= 0) or a negated status, mapped as Nanonet_Interop_Status does.
signed int Nanonet_Interop_Count(int32_t value, HRESULT &hr);

// The board's platform hook (nanonet_platform_esp32.c).
extern "C" const nn_interop_platform *nanonet_board_platform(void);

#endif // NANONET_INTEROP_GLUE_H

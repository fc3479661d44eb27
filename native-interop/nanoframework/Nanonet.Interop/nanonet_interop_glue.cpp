//
// nanonet_interop_glue.cpp - the engine state shared by the Nanonet.Interop stubs and the status-to-HRESULT map.
// nanoCLR runs every InternalCall on its one interpreter thread, so the state needs no lock.
//
#include "nanonet_interop_glue.h"

static nn_interop s_state;
static bool s_ready = false;

nn_interop *Nanonet_Interop_State()
{
    if (!s_ready)
    {
        // A platform without alloc, memory_info or micros is a build error of the board file, not a runtime case.
        s_ready = nn_interop_init(&s_state, nanonet_board_platform()) == NN_OK;
    }
    return &s_state;
}

static HRESULT Nanonet_Interop_Hr(int32_t status)
{
    switch (nn_interop_status_kind(status))
    {
        case NN_INTEROP_KIND_INVALID_PARAMETER:
            return CLR_E_INVALID_PARAMETER;
        case NN_INTEROP_KIND_INVALID_OPERATION:
            return CLR_E_INVALID_OPERATION;
        case NN_INTEROP_KIND_OUT_OF_MEMORY:
            return CLR_E_OUT_OF_MEMORY;
        default:
            return S_OK;
    }
}

signed int Nanonet_Interop_Status(int32_t status, HRESULT &hr)
{
    hr = Nanonet_Interop_Hr(status);
    return status;
}

signed int Nanonet_Interop_Count(int32_t value, HRESULT &hr)
{
    hr = value < 0 ? Nanonet_Interop_Hr(-value) : S_OK;
    return value;
}

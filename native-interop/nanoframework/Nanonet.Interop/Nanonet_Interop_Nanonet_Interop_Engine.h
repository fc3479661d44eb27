//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#ifndef NANONET_INTEROP_NANONET_INTEROP_ENGINE_H
#define NANONET_INTEROP_NANONET_INTEROP_ENGINE_H

#include "nanonet_interop_glue.h"

namespace Nanonet_Interop
{
    namespace Nanonet_Interop
    {
        struct Engine
        {
            static signed int LoadModel(CLR_RT_TypedArray_UINT8 param0, HRESULT &hr);
            static signed int UseLinkedModel(signed int param0, HRESULT &hr);
            static void Unload(HRESULT &hr);
            static signed int ArenaSize(signed int param0, HRESULT &hr);
            static signed int Plan(signed int param0, HRESULT &hr);
            static signed int PlannedBudget(HRESULT &hr);
            static signed int InputSize(HRESULT &hr);
            static signed int OutputSize(HRESULT &hr);
            static signed int Run(CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT8 param1, HRESULT &hr);
            static signed int LastStatus(HRESULT &hr);
            static const char * LastErrorDetail(HRESULT &hr);
            static const char * StatusName(signed int param0, HRESULT &hr);
            static signed int LastInferenceMicroseconds(HRESULT &hr);
        };
    }
}

#endif // NANONET_INTEROP_NANONET_INTEROP_ENGINE_H

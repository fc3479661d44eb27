//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#ifndef NANONET_INTEROP_NANONET_INTEROP_CAMERA_H
#define NANONET_INTEROP_NANONET_INTEROP_CAMERA_H

#include "nanonet_interop_glue.h"

namespace Nanonet_Interop
{
    namespace Nanonet_Interop
    {
        struct Camera
        {
            static signed int BoardConfig(signed int param0, signed int param1, CLR_RT_TypedArray_INT32 param2, HRESULT &hr);
            static signed int Init(CLR_RT_TypedArray_INT32 param0, HRESULT &hr);
            static signed int FrameSize(HRESULT &hr);
            static signed int Capture(CLR_RT_TypedArray_UINT8 param0, HRESULT &hr);
            static signed int Deinit(HRESULT &hr);
        };
    }
}

#endif // NANONET_INTEROP_NANONET_INTEROP_CAMERA_H

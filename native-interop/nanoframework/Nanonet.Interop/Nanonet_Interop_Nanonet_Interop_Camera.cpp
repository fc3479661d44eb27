//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs: the user part (thin: each calls one plain C entry of nn_interop.h), in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"
#include "Nanonet_Interop_Nanonet_Interop_Camera.h"

using namespace Nanonet_Interop::Nanonet_Interop;

signed int Camera::BoardConfig(signed int param0, signed int param1, CLR_RT_TypedArray_INT32 param2, HRESULT &hr)
{
    return Nanonet_Interop_Status(nn_camera_board_config(param0, param1, (int32_t *)param2.GetBuffer(), param2.GetSize()), hr);
}

signed int Camera::Init(CLR_RT_TypedArray_INT32 param0, HRESULT &hr)
{
    return Nanonet_Interop_Status(nn_interop_camera_init(Nanonet_Interop_State(), (const int32_t *)param0.GetBuffer(), param0.GetSize()), hr);
}

signed int Camera::FrameSize(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_camera_frame_size(Nanonet_Interop_State()), hr);
}

signed int Camera::Capture(CLR_RT_TypedArray_UINT8 param0, HRESULT &hr)
{
    // the frame is copied into the managed array during this call only (the heap may move it afterwards)
    return Nanonet_Interop_Count(nn_interop_camera_capture(Nanonet_Interop_State(), param0.GetBuffer(), param0.GetSize()), hr);
}

signed int Camera::Deinit(HRESULT &hr)
{
    return Nanonet_Interop_Status(nn_interop_camera_deinit(Nanonet_Interop_State()), hr);
}

//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"
#include "Nanonet_Interop_Nanonet_Interop_Camera.h"

using namespace Nanonet_Interop::Nanonet_Interop;

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Camera::BoardConfig___STATIC__I4__I4__I4__SZARRAY_I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 0, param0 ) );

        signed int param1;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 1, param1 ) );

        CLR_RT_TypedArray_INT32 param2;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32_ARRAY( stack, 2, param2 ) );

        signed int retValue = Camera::BoardConfig( param0, param1, param2, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Camera::Init___STATIC__I4__SZARRAY_I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        CLR_RT_TypedArray_INT32 param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32_ARRAY( stack, 0, param0 ) );

        signed int retValue = Camera::Init( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Camera::FrameSize___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Camera::FrameSize( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Camera::Capture___STATIC__I4__SZARRAY_U1( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        CLR_RT_TypedArray_UINT8 param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_UINT8_ARRAY( stack, 0, param0 ) );

        signed int retValue = Camera::Capture( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Camera::Deinit___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Camera::Deinit( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

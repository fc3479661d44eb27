//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"
#include "Nanonet_Interop_Nanonet_Interop_Engine.h"

using namespace Nanonet_Interop::Nanonet_Interop;

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::LoadModel___STATIC__I4__SZARRAY_U1( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        CLR_RT_TypedArray_UINT8 param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_UINT8_ARRAY( stack, 0, param0 ) );

        signed int retValue = Engine::LoadModel( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::UseLinkedModel___STATIC__I4__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 0, param0 ) );

        signed int retValue = Engine::UseLinkedModel( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::Unload___STATIC__VOID( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        (void)stack; // no argument, no result
        Engine::Unload( hr );
        NANOCLR_CHECK_HRESULT( hr );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::ArenaSize___STATIC__I4__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 0, param0 ) );

        signed int retValue = Engine::ArenaSize( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::Plan___STATIC__I4__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 0, param0 ) );

        signed int retValue = Engine::Plan( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::PlannedBudget___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Engine::PlannedBudget( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::InputSize___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Engine::InputSize( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::OutputSize___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Engine::OutputSize( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::Run___STATIC__I4__SZARRAY_I1__SZARRAY_I1( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        CLR_RT_TypedArray_INT8 param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT8_ARRAY( stack, 0, param0 ) );

        CLR_RT_TypedArray_INT8 param1;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT8_ARRAY( stack, 1, param1 ) );

        signed int retValue = Engine::Run( param0, param1, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::LastStatus___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Engine::LastStatus( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::LastErrorDetail___STATIC__STRING( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        const char * retValue = Engine::LastErrorDetail( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_LPCSTR( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::StatusName___STATIC__STRING__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int param0;
        NANOCLR_CHECK_HRESULT( Interop_Marshal_INT32( stack, 0, param0 ) );

        const char * retValue = Engine::StatusName( param0, hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_LPCSTR( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

HRESULT Library_Nanonet_Interop_Nanonet_Interop_Engine::LastInferenceMicroseconds___STATIC__I4( CLR_RT_StackFrame& stack )
{
    NANOCLR_HEADER(); hr = S_OK;
    {
        signed int retValue = Engine::LastInferenceMicroseconds( hr );
        NANOCLR_CHECK_HRESULT( hr );
        SetResult_INT32( stack, retValue );
    }
    NANOCLR_NOCLEANUP();
}

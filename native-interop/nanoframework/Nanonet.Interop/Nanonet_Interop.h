//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#ifndef NANONET_INTEROP_H
#define NANONET_INTEROP_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoPackStruct.h>

struct Library_Nanonet_Interop_Nanonet_Interop_Camera
{
    NANOCLR_NATIVE_DECLARE(BoardConfig___STATIC__I4__I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(Init___STATIC__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(FrameSize___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(Capture___STATIC__I4__SZARRAY_U1);
    NANOCLR_NATIVE_DECLARE(Deinit___STATIC__I4);

    //--//
};

struct Library_Nanonet_Interop_Nanonet_Interop_Engine
{
    NANOCLR_NATIVE_DECLARE(LoadModel___STATIC__I4__SZARRAY_U1);
    NANOCLR_NATIVE_DECLARE(UseLinkedModel___STATIC__I4__I4);
    NANOCLR_NATIVE_DECLARE(Unload___STATIC__VOID);
    NANOCLR_NATIVE_DECLARE(ArenaSize___STATIC__I4__I4);
    NANOCLR_NATIVE_DECLARE(Plan___STATIC__I4__I4);
    NANOCLR_NATIVE_DECLARE(PlannedBudget___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(InputSize___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(OutputSize___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(Run___STATIC__I4__SZARRAY_I1__SZARRAY_I1);
    NANOCLR_NATIVE_DECLARE(LastStatus___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(LastErrorDetail___STATIC__STRING);
    NANOCLR_NATIVE_DECLARE(StatusName___STATIC__STRING__I4);
    NANOCLR_NATIVE_DECLARE(LastInferenceMicroseconds___STATIC__I4);

    //--//
};

struct Library_Nanonet_Interop_Nanonet_Interop_Memory
{
    NANOCLR_NATIVE_DECLARE(InternalTotal___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(InternalFree___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(InternalLargestBlock___STATIC__I4);

    //--//
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_Nanonet_Interop;

#endif // NANONET_INTEROP_H

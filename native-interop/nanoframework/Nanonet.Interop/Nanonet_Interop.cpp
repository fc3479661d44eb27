//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"

// clang-format off

static const CLR_RT_MethodHandler method_lookup[] =
{
    Library_Nanonet_Interop_Nanonet_Interop_Camera::BoardConfig___STATIC__I4__I4__I4__SZARRAY_I4,
    Library_Nanonet_Interop_Nanonet_Interop_Camera::Init___STATIC__I4__SZARRAY_I4,
    Library_Nanonet_Interop_Nanonet_Interop_Camera::FrameSize___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Camera::Capture___STATIC__I4__SZARRAY_U1,
    Library_Nanonet_Interop_Nanonet_Interop_Camera::Deinit___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::LoadModel___STATIC__I4__SZARRAY_U1,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::UseLinkedModel___STATIC__I4__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::Unload___STATIC__VOID,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::ArenaSize___STATIC__I4__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::Plan___STATIC__I4__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::PlannedBudget___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::InputSize___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::OutputSize___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::Run___STATIC__I4__SZARRAY_I1__SZARRAY_I1,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::LastStatus___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::LastErrorDetail___STATIC__STRING,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::StatusName___STATIC__STRING__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Engine::LastInferenceMicroseconds___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Memory::InternalTotal___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Memory::InternalFree___STATIC__I4,
    Library_Nanonet_Interop_Nanonet_Interop_Memory::InternalLargestBlock___STATIC__I4,
};

const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_Nanonet_Interop =
{
    "Nanonet.Interop",
    0xBF06A66E,
    method_lookup,
    { 1, 0, 0, 0 }
};

// clang-format on

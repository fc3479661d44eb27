//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs: the user part (thin: each calls one plain C entry of nn_interop.h), in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"
#include "Nanonet_Interop_Nanonet_Interop_Engine.h"

using namespace Nanonet_Interop::Nanonet_Interop;

signed int Engine::LoadModel(CLR_RT_TypedArray_UINT8 param0, HRESULT &hr)
{
    // copied once into native memory: no pointer into the managed array survives this call
    return Nanonet_Interop_Status(nn_interop_load_model(Nanonet_Interop_State(), param0.GetBuffer(), param0.GetSize()), hr);
}

signed int Engine::UseLinkedModel(signed int param0, HRESULT &hr)
{
    return Nanonet_Interop_Status(nn_interop_use_linked_model(Nanonet_Interop_State(), param0), hr);
}

void Engine::Unload(HRESULT &hr)
{
    (void)hr;
    nn_interop_unload(Nanonet_Interop_State());
}

signed int Engine::ArenaSize(signed int param0, HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_arena_size(Nanonet_Interop_State(), param0), hr);
}

signed int Engine::Plan(signed int param0, HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_plan(Nanonet_Interop_State(), param0), hr);
}

signed int Engine::PlannedBudget(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_planned_budget(Nanonet_Interop_State()), hr);
}

signed int Engine::InputSize(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_input_size(Nanonet_Interop_State()), hr);
}

signed int Engine::OutputSize(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_output_size(Nanonet_Interop_State()), hr);
}

signed int Engine::Run(CLR_RT_TypedArray_INT8 param0, CLR_RT_TypedArray_INT8 param1, HRESULT &hr)
{
    // the engine reads the input in place and writes the output during this call only
    return Nanonet_Interop_Status(
        nn_interop_run(Nanonet_Interop_State(), param0.GetBuffer(), param0.GetSize(), param1.GetBuffer(), param1.GetSize()),
        hr);
}

signed int Engine::LastStatus(HRESULT &hr)
{
    (void)hr;
    return nn_interop_last_status(Nanonet_Interop_State());
}

const char * Engine::LastErrorDetail(HRESULT &hr)
{
    (void)hr;
    return nn_interop_last_detail(Nanonet_Interop_State());
}

const char * Engine::StatusName(signed int param0, HRESULT &hr)
{
    (void)hr;
    return nn_interop_status_name(param0 < 0 ? -param0 : param0);
}

signed int Engine::LastInferenceMicroseconds(HRESULT &hr)
{
    (void)hr;
    return nn_interop_last_microseconds(Nanonet_Interop_State());
}

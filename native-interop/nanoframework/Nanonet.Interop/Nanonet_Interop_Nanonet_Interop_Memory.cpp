//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs: the user part (thin: each calls one plain C entry of nn_interop.h), in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#include "Nanonet_Interop.h"
#include "Nanonet_Interop_Nanonet_Interop_Memory.h"

using namespace Nanonet_Interop::Nanonet_Interop;

signed int Memory::InternalTotal(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_sram_total(Nanonet_Interop_State()), hr);
}

signed int Memory::InternalFree(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_sram_free(Nanonet_Interop_State()), hr);
}

signed int Memory::InternalLargestBlock(HRESULT &hr)
{
    return Nanonet_Interop_Count(nn_interop_sram_largest_block(Nanonet_Interop_State()), hr);
}

//-----------------------------------------------------------------------------
//
//    Nanonet.Interop native stubs, in the MetadataProcessor 3.0.x layout and names.
//    Kept in step with firmware/Nanonet.Interop by tests/Nanonet.Interop.Tests:
//    a declaration change there fails CI until this file follows.
//
//-----------------------------------------------------------------------------

#ifndef NANONET_INTEROP_NANONET_INTEROP_MEMORY_H
#define NANONET_INTEROP_NANONET_INTEROP_MEMORY_H

#include "nanonet_interop_glue.h"

namespace Nanonet_Interop
{
    namespace Nanonet_Interop
    {
        struct Memory
        {
            static signed int InternalTotal(HRESULT &hr);
            static signed int InternalFree(HRESULT &hr);
            static signed int InternalLargestBlock(HRESULT &hr);
        };
    }
}

#endif // NANONET_INTEROP_NANONET_INTEROP_MEMORY_H

using System.Runtime.CompilerServices;

namespace Nanonet.Interop
{
    /// <summary>Internal SRAM of the chip (where the arena goes), in bytes.</summary>
    public static class Memory
    {
        /// <summary>Total internal SRAM of the 8-bit capable heap.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int InternalTotal();

        /// <summary>Free internal SRAM.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int InternalFree();

        /// <summary>Largest free block of internal SRAM: the largest arena that can be allocated now.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int InternalLargestBlock();
    }
}

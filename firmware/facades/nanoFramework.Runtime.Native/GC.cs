// Compile-only facade (see ../README.md): upstream names and signatures of nanoFramework.Runtime.Native 1.7.11
// (nanoframework-api/nanoFramework.Runtime.Native.api.txt), only the members the Nanonet firmware uses.
namespace nanoFramework.Runtime.Native
{
    /// <summary>Facade of nanoFramework's garbage collector control (clashes with System.GC: qualify it).</summary>
    public static class GC
    {
        /// <summary>Runs the collector; returns the free managed bytes. Facade: throws.</summary>
        /// <param name="compactHeap">Compact the heap too.</param>
        /// <returns>Free bytes.</returns>
        public static uint Run(bool compactHeap)
        {
            throw new System.NotImplementedException("compile-only facade of nanoFramework.Runtime.Native");
        }
    }
}

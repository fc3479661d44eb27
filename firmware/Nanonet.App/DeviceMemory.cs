using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>Free managed heap bytes (INFO): runs the collector without compacting and returns what it reports.</summary>
    public sealed class DeviceMemory : IMemoryInfo
    {
        /// <inheritdoc/>
        public long FreeBytes()
        {
            // Fully qualified: System.GC is a different class.
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}

using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>Microseconds from the ESP32 high-resolution timer (esp_timer: since boot).</summary>
    public sealed class HighResClock : IClock
    {
        /// <inheritdoc/>
        public long NowMicroseconds()
        {
            return (long)nanoFramework.Hardware.Esp32.HighResTimer.GetCurrent();
        }
    }
}

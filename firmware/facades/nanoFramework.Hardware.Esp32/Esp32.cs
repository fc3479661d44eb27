// Compile-only facade (see ../README.md): upstream names and signatures of nanoFramework.Hardware.Esp32 1.6.42
// (nanoframework-api/nanoFramework.Hardware.Esp32.api.txt), only the members the Nanonet app uses.
namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Facade of the ESP32 pin-function configuration (GPIO matrix).</summary>
    public class Configuration
    {
        /// <summary>Routes a device function (e.g. COM2_TX) to a GPIO pin. Facade: throws.</summary>
        /// <param name="pin">GPIO number.</param>
        /// <param name="value">The function.</param>
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            throw new System.NotImplementedException("compile-only facade of nanoFramework.Hardware.Esp32");
        }
    }

    /// <summary>Facade of the device functions; only the values the app uses (upstream values).</summary>
    public enum DeviceFunction
    {
        /// <summary>UART 2 (COM2) transmit.</summary>
        COM2_TX = 197120,

        /// <summary>UART 2 (COM2) receive.</summary>
        COM2_RX = 197121,
    }

    /// <summary>Facade of the ESP32 high-resolution timer.</summary>
    public class HighResTimer
    {
        /// <summary>Microseconds since boot. Facade: throws.</summary>
        /// <returns>Microseconds.</returns>
        public static ulong GetCurrent()
        {
            throw new System.NotImplementedException("compile-only facade of nanoFramework.Hardware.Esp32");
        }
    }
}

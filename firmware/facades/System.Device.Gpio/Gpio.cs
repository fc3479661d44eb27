// Compile-only facade (see ../README.md): upstream names and signatures of System.Device.Gpio 1.1.62
// (nanoframework-api/System.Device.Gpio.api.txt), only the members the Nanonet app uses.
namespace System.Device.Gpio
{
    /// <summary>Facade of the GPIO controller.</summary>
    public class GpioController
    {
        /// <summary>Creates the controller (logical numbering). Facade: throws.</summary>
        public GpioController()
        {
            throw new NotImplementedException("compile-only facade of System.Device.Gpio");
        }

        /// <summary>Opens a pin in a mode. Facade: throws.</summary>
        /// <param name="pinNumber">GPIO number.</param>
        /// <param name="mode">The mode.</param>
        /// <returns>The pin.</returns>
        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            throw new NotImplementedException("compile-only facade of System.Device.Gpio");
        }

        /// <summary>Writes a pin. Facade: throws.</summary>
        /// <param name="pinNumber">GPIO number.</param>
        /// <param name="value">The level.</param>
        public void Write(int pinNumber, PinValue value)
        {
            throw new NotImplementedException("compile-only facade of System.Device.Gpio");
        }
    }

    /// <summary>Facade of an open pin (only its type is used).</summary>
    public class GpioPin
    {
        internal GpioPin()
        {
        }
    }

    /// <summary>Pin modes (upstream values).</summary>
    public enum PinMode
    {
        /// <summary>Input.</summary>
        Input = 0,

        /// <summary>Input with pull-down.</summary>
        InputPullDown = 1,

        /// <summary>Input with pull-up.</summary>
        InputPullUp = 2,

        /// <summary>Push-pull output.</summary>
        Output = 3,
    }

    /// <summary>Facade of a pin level.</summary>
    public struct PinValue
    {
        /// <summary>High level. Facade: throws.</summary>
        public static PinValue High
        {
            get { throw new NotImplementedException("compile-only facade of System.Device.Gpio"); }
        }

        /// <summary>Low level. Facade: throws.</summary>
        public static PinValue Low
        {
            get { throw new NotImplementedException("compile-only facade of System.Device.Gpio"); }
        }
    }
}

using System.IO.Ports;
using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>
    /// The host protocol's serial link over a UART (System.IO.Ports.SerialPort). The ESP32 GPIO matrix routes the
    /// port to any pins: <see cref="Open"/> sets them with Configuration.SetPinFunction before opening. The receive
    /// buffer is larger than one protocol frame, so a whole CLASSIFY request can arrive while an inference runs
    /// (an InternalCall blocks every managed thread). <see cref="Read"/> never waits: it takes only what
    /// BytesToRead says is there.
    /// </summary>
    public sealed class UartLink : ISerialLink
    {
        private readonly SerialPort port;

        private UartLink(SerialPort port)
        {
            this.port = port;
        }

        /// <summary>Routes the pins of a COM2 port and opens it.</summary>
        /// <param name="portName">"COM2" (the pin functions set here are COM2's).</param>
        /// <param name="baudRate">Baud rate.</param>
        /// <param name="txPin">TX GPIO.</param>
        /// <param name="rxPin">RX GPIO.</param>
        /// <param name="readBufferSize">Receive buffer bytes (more than one frame).</param>
        /// <returns>The open link.</returns>
        public static UartLink Open(string portName, int baudRate, int txPin, int rxPin, int readBufferSize)
        {
            if (portName != "COM2")
            {
                throw new System.ArgumentException("pin routing is written for COM2, not " + portName);
            }

            nanoFramework.Hardware.Esp32.Configuration.SetPinFunction(txPin, nanoFramework.Hardware.Esp32.DeviceFunction.COM2_TX);
            nanoFramework.Hardware.Esp32.Configuration.SetPinFunction(rxPin, nanoFramework.Hardware.Esp32.DeviceFunction.COM2_RX);
            var port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One);
            port.ReadBufferSize = readBufferSize;
            port.ReadTimeout = 0;
            port.Open();
            return new UartLink(port);
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count)
        {
            int waiting = port.BytesToRead;
            if (waiting <= 0)
            {
                return 0;
            }

            return port.Read(buffer, offset, waiting < count ? waiting : count);
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            port.Write(buffer, offset, count);
        }
    }
}

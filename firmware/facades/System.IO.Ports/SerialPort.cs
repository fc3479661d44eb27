// Compile-only facade (see ../README.md): upstream names and signatures of System.IO.Ports 1.1.139
// (nanoframework-api/System.IO.Ports.api.txt), only the members the Nanonet app uses. Upstream also references
// nanoFramework.Runtime.Events 1.11.37 and System.IO.Streams 1.1.96 (DataReceived, BaseStream); none of the
// members here needs them, so this facade does not.
namespace System.IO.Ports
{
    /// <summary>Facade of a serial port.</summary>
    public class SerialPort
    {
        /// <summary>Creates a port (not opened). Facade: throws.</summary>
        /// <param name="portName">"COM1", "COM2", ...</param>
        /// <param name="baudRate">Baud rate.</param>
        /// <param name="parity">Parity.</param>
        /// <param name="dataBits">Data bits.</param>
        /// <param name="stopBits">Stop bits.</param>
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One)
        {
            throw new NotImplementedException("compile-only facade of System.IO.Ports");
        }

        /// <summary>Bytes waiting in the receive buffer. Facade: throws.</summary>
        public int BytesToRead
        {
            get { throw new NotImplementedException("compile-only facade of System.IO.Ports"); }
        }

        /// <summary>Receive buffer size (set before Open). Facade: throws.</summary>
        public int ReadBufferSize
        {
            get { throw new NotImplementedException("compile-only facade of System.IO.Ports"); }
            set { throw new NotImplementedException("compile-only facade of System.IO.Ports"); }
        }

        /// <summary>Read timeout in milliseconds. Facade: throws.</summary>
        public int ReadTimeout
        {
            get { throw new NotImplementedException("compile-only facade of System.IO.Ports"); }
            set { throw new NotImplementedException("compile-only facade of System.IO.Ports"); }
        }

        /// <summary>Opens the port. Facade: throws.</summary>
        public void Open()
        {
            throw new NotImplementedException("compile-only facade of System.IO.Ports");
        }

        /// <summary>Reads received bytes. Facade: throws.</summary>
        /// <param name="buffer">Receives bytes.</param>
        /// <param name="offset">First index.</param>
        /// <param name="count">At most this many.</param>
        /// <returns>Bytes read.</returns>
        public int Read(byte[] buffer, int offset, int count)
        {
            throw new NotImplementedException("compile-only facade of System.IO.Ports");
        }

        /// <summary>Writes bytes. Facade: throws.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">First index.</param>
        /// <param name="count">Number of bytes.</param>
        public void Write(byte[] buffer, int offset, int count)
        {
            throw new NotImplementedException("compile-only facade of System.IO.Ports");
        }
    }

    /// <summary>Parity (upstream values).</summary>
    public enum Parity
    {
        /// <summary>None.</summary>
        None = 0,

        /// <summary>Odd.</summary>
        Odd = 1,

        /// <summary>Even.</summary>
        Even = 2,
    }

    /// <summary>Stop bits (upstream values).</summary>
    public enum StopBits
    {
        /// <summary>One.</summary>
        One = 1,

        /// <summary>Two.</summary>
        Two = 2,

        /// <summary>One and a half.</summary>
        OnePointFive = 3,
    }
}

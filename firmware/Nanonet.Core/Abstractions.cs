namespace Nanonet.Core
{
    /// <summary>
    /// The inference engine: on the board the C engine through the interop assembly, on the host the same C engine
    /// through host-tools/Nanonet.Native. Status 0 is NN_OK; any other value is an nn_status code.
    /// </summary>
    public interface IInferenceEngine
    {
        /// <summary>Validates a packed model.</summary>
        /// <param name="model">The .nnb blob.</param>
        /// <returns>The nn_status (0: valid).</returns>
        int Validate(byte[] model);

        /// <summary>Plans the model's memory.</summary>
        /// <param name="model">The .nnb blob.</param>
        /// <param name="arenaBytes">Receives the arena size the engine needs.</param>
        /// <returns>The nn_status.</returns>
        int Plan(byte[] model, out int arenaBytes);

        /// <summary>Runs one inference into a caller-owned output buffer.</summary>
        /// <param name="model">The .nnb blob.</param>
        /// <param name="input">The int8 input tensor.</param>
        /// <param name="output">Receives the int8 outputs.</param>
        /// <param name="microseconds">Receives the inference time.</param>
        /// <param name="peakBytes">Receives the engine's peak memory of this inference.</param>
        /// <returns>The nn_status.</returns>
        int Run(byte[] model, sbyte[] input, sbyte[] output, out int microseconds, out int peakBytes);

        /// <summary>The stable name of a status, e.g. "NN_ERR_BAD_CRC".</summary>
        /// <param name="status">The status.</param>
        /// <returns>The name.</returns>
        string StatusName(int status);
    }

    /// <summary>A camera delivering frames of one fixed format and size.</summary>
    public interface ICamera
    {
        /// <summary>The <see cref="PixelFormat"/> of the frames.</summary>
        int Format { get; }

        /// <summary>Frame width.</summary>
        int Width { get; }

        /// <summary>Frame height.</summary>
        int Height { get; }

        /// <summary>Captures one frame.</summary>
        /// <param name="buffer">Receives Width * Height * bytes-per-pixel bytes.</param>
        /// <returns>0 on success, otherwise a camera status (the message comes from <see cref="StatusMessage"/>).</returns>
        int Capture(byte[] buffer);

        /// <summary>Describes a camera status.</summary>
        /// <param name="status">The status.</param>
        /// <returns>The message.</returns>
        string StatusMessage(int status);
    }

    /// <summary>A microsecond clock (HighResTimer on the board).</summary>
    public interface IClock
    {
        /// <summary>Microseconds since an arbitrary start.</summary>
        /// <returns>The time.</returns>
        long NowMicroseconds();
    }

    /// <summary>Free memory of the device.</summary>
    public interface IMemoryInfo
    {
        /// <summary>Free bytes (managed heap on the board).</summary>
        /// <returns>The free bytes.</returns>
        long FreeBytes();
    }

    /// <summary>The serial link to the host.</summary>
    public interface ISerialLink
    {
        /// <summary>Reads what has arrived, without waiting.</summary>
        /// <param name="buffer">Receives bytes.</param>
        /// <param name="offset">Where to put them.</param>
        /// <param name="count">At most this many.</param>
        /// <returns>Bytes read (0: none waiting).</returns>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes bytes.</summary>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        void Write(byte[] buffer, int offset, int count);
    }

    /// <summary>Where the classification loop writes its text lines (the debug console on the board).</summary>
    public interface ILineSink
    {
        /// <summary>Writes one line.</summary>
        /// <param name="line">The line, without newline.</param>
        void WriteLine(string line);
    }
}

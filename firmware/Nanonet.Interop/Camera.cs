using System.Runtime.CompilerServices;

namespace Nanonet.Interop
{
    /// <summary>
    /// The OV2640 camera through esp32-camera (a custom firmware with the camera glue; other firmware answers
    /// 105, NN_INTEROP_ERR_NO_CAMERA). Configuration: int[20] = { format (0 grayscale, 1 RGB565), width, height
    /// (96x96, 160x120 or 320x240), XCLK Hz (0: 20 MHz), PWDN, RESET (-1: not wired), XCLK, SDA, SCL,
    /// D0..D7, VSYNC, HREF, PCLK }. Statuses as <see cref="Engine"/>'s.
    /// </summary>
    public static class Camera
    {
        /// <summary>Fills <paramref name="config"/> with a named board's pin map, <paramref name="format"/> and 96x96.</summary>
        /// <param name="board">0: Seeed Studio XIAO ESP32S3 Sense.</param>
        /// <param name="format">0: grayscale, 1: RGB565.</param>
        /// <param name="config">int[20] to fill.</param>
        /// <returns>0 or a status.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int BoardConfig(int board, int format, int[] config);

        /// <summary>Validates the configuration and starts the camera (restarting it if running).</summary>
        /// <param name="config">int[20] as described on the class.</param>
        /// <returns>0, 105 (no camera in this firmware) or 108 (the driver failed).</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Init(int[] config);

        /// <summary>Bytes of one frame: width * height * (1 or 2).</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int FrameSize();

        /// <summary>Captures one frame into <paramref name="frame"/> (exactly <see cref="FrameSize"/> bytes).</summary>
        /// <param name="frame">Receives the pixels.</param>
        /// <returns>The bytes written, or -108 when the driver gave no frame.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Capture(byte[] frame);

        /// <summary>Stops the camera and frees its frame buffers.</summary>
        /// <returns>0.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Deinit();
    }
}

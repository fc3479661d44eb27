using Nanonet.Core;
using Nanonet.Interop;

namespace Nanonet.App
{
    /// <summary>
    /// The core's camera over the firmware's esp32-camera glue (Nanonet.Interop.Camera): the board's pin map from
    /// <c>Camera.BoardConfig(board, format, config)</c>, 96x96 frames, grayscale for a one-channel model and RGB565
    /// for a three-channel one. esp32-camera delivers RGB565 high byte first: <see cref="PixelFormat.Rgb565BigEndian"/>.
    /// </summary>
    public sealed class InteropCamera : ICamera
    {
        private InteropCamera(int format, int width, int height)
        {
            Format = format;
            Width = width;
            Height = height;
        }

        /// <inheritdoc/>
        public int Format { get; private set; }

        /// <inheritdoc/>
        public int Width { get; private set; }

        /// <inheritdoc/>
        public int Height { get; private set; }

        /// <summary>Starts the camera; returns null (and prints why) when the firmware has none or it fails.</summary>
        /// <param name="board">Board index (0: XIAO ESP32S3 Sense).</param>
        /// <param name="channels">The model's input channels (1: grayscale, 3: RGB565).</param>
        /// <param name="log">Where the reason goes.</param>
        /// <returns>The camera, or null.</returns>
        public static InteropCamera Start(int board, int channels, ILineSink log)
        {
            int interopFormat = channels == 1 ? 0 : 1;
            var config = new int[20];
            int status = Camera.BoardConfig(board, interopFormat, config);
            if (status == 0)
            {
                status = Camera.Init(config);
            }

            if (status != 0)
            {
                log.WriteLine("error camera " + Engine.StatusName(status) + ": " + Engine.LastErrorDetail() + "; serving serial requests only");
                return null;
            }

            var camera = new InteropCamera(interopFormat == 0 ? PixelFormat.Gray8 : PixelFormat.Rgb565BigEndian, config[1], config[2]);
            int expected = camera.Width * camera.Height * PixelFormat.BytesPerPixel(camera.Format);
            if (Camera.FrameSize() != expected)
            {
                log.WriteLine("error camera frame size " + Camera.FrameSize().ToString() + " is not " + expected.ToString() + "; serving serial requests only");
                Camera.Deinit();
                return null;
            }

            log.WriteLine("camera: " + camera.Width.ToString() + "x" + camera.Height.ToString() + " " + PixelFormat.Name(camera.Format));
            return camera;
        }

        /// <inheritdoc/>
        public int Capture(byte[] buffer)
        {
            int n = Camera.Capture(buffer);
            return n >= 0 ? 0 : -n;
        }

        /// <inheritdoc/>
        public string StatusMessage(int status)
        {
            return Engine.StatusName(status) + ": " + Engine.LastErrorDetail();
        }
    }
}

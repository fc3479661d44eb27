using nanoFramework.TestFramework;
using Nanonet.Core;

namespace NFUnitTest
{
    /// <summary>
    /// Preprocessing vectors on the device, with person_detect's input spec (96x96x1, q = gray - 128). Expected bytes
    /// computed by hand: uniform frames, exact 2x2 area averages, RGB565 white and red through the luma weights
    /// (77, 150, 29, +128, >> 8).
    /// </summary>
    [TestClass]
    public class PreprocessTests
    {
        /// <summary>A uniform 96x96 gray frame of 200 gives 72 everywhere.</summary>
        [TestMethod]
        public void UniformGray()
        {
            FramePreprocessor p = Make();
            var frame = Fill(96 * 96, 200);
            var tensor = new sbyte[p.TensorLength];
            p.Process(frame, 0, PixelFormat.Gray8, 96, 96, tensor);
            AllEqual(tensor, 72);
        }

        /// <summary>A 192x192 frame of 2x2 blocks {10, 20, 30, 40} averages to 25 exactly: 25 - 128 = -103.</summary>
        [TestMethod]
        public void AreaAverageTwoByTwo()
        {
            FramePreprocessor p = Make();
            var frame = new byte[192 * 192];
            for (int y = 0; y < 192; y++)
            {
                for (int x = 0; x < 192; x++)
                {
                    frame[(y * 192) + x] = (byte)(10 + (10 * (x % 2)) + (20 * (y % 2)));
                }
            }

            var tensor = new sbyte[p.TensorLength];
            p.Process(frame, 0, PixelFormat.Gray8, 192, 192, tensor);
            AllEqual(tensor, -103);
        }

        /// <summary>RGB565 white (0xFFFF) has luma 255: 127; pure red (0xF800, big endian) has luma 77: -51.</summary>
        [TestMethod]
        public void Rgb565Luma()
        {
            FramePreprocessor p = Make();
            var white = Fill(96 * 96 * 2, 0xFF);
            var tensor = new sbyte[p.TensorLength];
            p.Process(white, 0, PixelFormat.Rgb565BigEndian, 96, 96, tensor);
            AllEqual(tensor, 127);

            var red = new byte[96 * 96 * 2];
            for (int i = 0; i < red.Length; i += 2)
            {
                red[i] = 0xF8;
                red[i + 1] = 0x00;
            }

            p.Process(red, 0, PixelFormat.Rgb565BigEndian, 96, 96, tensor);
            AllEqual(tensor, 77 - 128);
            Assert.AreEqual(77, FramePreprocessor.Luma(255, 0, 0), "luma of red");
        }

        private static FramePreprocessor Make()
        {
            byte[] blob = Resources.GetBytes(Resources.BinaryResources.person_detect);
            return new FramePreprocessor(ModelInfo.Parse(blob, false));
        }

        private static byte[] Fill(int length, int value)
        {
            var a = new byte[length];
            for (int i = 0; i < length; i++)
            {
                a[i] = (byte)value;
            }

            return a;
        }

        private static void AllEqual(sbyte[] tensor, int expected)
        {
            for (int i = 0; i < tensor.Length; i++)
            {
                if (tensor[i] != expected)
                {
                    Assert.AreEqual((sbyte)expected, tensor[i], "tensor[" + i.ToString() + "]");
                }
            }
        }
    }
}

using nanoFramework.TestFramework;
using Nanonet.Core.Protocol;

namespace NFUnitTest
{
    /// <summary>Protocol round trips through the core on the device: encode, decode byte by byte and in one push.</summary>
    [TestClass]
    public class ProtocolTests
    {
        /// <summary>A frame with a payload comes back identical, pushed byte by byte.</summary>
        [TestMethod]
        public void RoundTripByteByByte()
        {
            var payload = new byte[300];
            for (int i = 0; i < payload.Length; i++)
            {
                payload[i] = (byte)((i * 7) + 3);
            }

            byte[] wire = FrameEncoder.Encode(Wire.Classify, 4242, payload);
            Assert.AreEqual(Wire.HeaderSize + payload.Length + Wire.TrailerSize, wire.Length, "frame length");
            var sink = new Collector();
            var decoder = new FrameDecoder(sink);
            for (int i = 0; i < wire.Length; i++)
            {
                decoder.Push(wire[i]);
            }

            Assert.AreEqual(1, sink.Frames, "frames");
            Assert.AreEqual(0, sink.Errors, "errors");
            Assert.AreEqual((int)Wire.Classify, (int)sink.Last.Type, "type");
            Assert.AreEqual(4242, sink.Last.Sequence, "sequence");
            Assert.AreEqual(payload.Length, sink.Last.Payload.Length, "payload length");
            for (int i = 0; i < payload.Length; i++)
            {
                Assert.AreEqual((int)payload[i], (int)sink.Last.Payload[i], "payload byte " + i.ToString());
            }
        }

        /// <summary>Two empty INFO frames behind garbage, in one push: both decode, the garbage is counted.</summary>
        [TestMethod]
        public void GarbageThenTwoFrames()
        {
            byte[] a = FrameEncoder.Encode(Wire.Info, 1, new byte[0]);
            byte[] b = FrameEncoder.Encode(Wire.Info, 2, new byte[0]);
            var all = new byte[3 + a.Length + b.Length];
            all[0] = 0x00;
            all[1] = 0x11;
            all[2] = 0x22;
            System.Array.Copy(a, 0, all, 3, a.Length);
            System.Array.Copy(b, 0, all, 3 + a.Length, b.Length);
            var sink = new Collector();
            var decoder = new FrameDecoder(sink);
            decoder.Push(all, 0, all.Length);
            Assert.AreEqual(2, sink.Frames, "frames");
            Assert.AreEqual(2, sink.Last.Sequence, "last sequence");
            Assert.AreEqual(3L, decoder.GarbageBytes, "garbage bytes");
        }

        /// <summary>A flipped payload byte is reported as an error, not delivered.</summary>
        [TestMethod]
        public void CorruptedPayloadIsAnError()
        {
            byte[] wire = FrameEncoder.Encode(Wire.Classify, 9, new byte[] { 1, 2, 3, 4 });
            wire[Wire.HeaderSize + 1] ^= 0x40;
            var sink = new Collector();
            new FrameDecoder(sink).Push(wire, 0, wire.Length);
            Assert.AreEqual(0, sink.Frames, "frames");
            Assert.IsTrue(sink.Errors >= 1, "an error is reported");
        }

        private sealed class Collector : IFrameListener
        {
            public int Frames;
            public int Errors;
            public Frame Last;

            public void OnFrame(Frame frame)
            {
                Frames++;
                Last = frame;
            }

            public void OnFrameError(int code, int type, int sequence, string message)
            {
                Errors++;
            }
        }
    }
}

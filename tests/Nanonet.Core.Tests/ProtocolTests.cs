using System.Diagnostics;
using Nanonet.Core;
using Nanonet.Core.Protocol;

namespace Nanonet.Core.Tests;

public class CodecTests
{
    private static Frame RoundTrip(byte type, int seq, byte[] payload)
    {
        var c = new Collector();
        new FrameDecoder(c).Push(FrameEncoder.Encode(type, seq, payload), 0, Wire.HeaderSize + payload.Length + 4);
        var f = Assert.Single(c.Frames);
        Assert.Empty(c.Errors);
        Assert.Equal(type, f.Type);
        Assert.Equal(seq & 0xFFFF, f.Sequence);
        Assert.Equal(payload, f.Payload);
        return f;
    }

    [Fact]
    public void EveryMessageRoundTrips()
    {
        var tensor = Enumerable.Range(0, 27648).Select(i => (sbyte)(i * 7)).ToArray();
        var c = ClassifyRequest.Parse(RoundTrip(Wire.Classify, 1, new ClassifyRequest(2, tensor).ToPayload()).Payload);
        Assert.Equal(2, c.TopK);
        Assert.Equal(tensor, c.Tensor);

        var pixels = new byte[96 * 96 * 2];
        new Random(1).NextBytes(pixels);
        var cf = ClassifyFrameRequest.Parse(RoundTrip(Wire.ClassifyFrame, 65535, new ClassifyFrameRequest(1, PixelFormat.Rgb565BigEndian, 96, 96, pixels).ToPayload()).Payload);
        Assert.Equal((1, PixelFormat.Rgb565BigEndian, 96, 96), (cf.TopK, cf.Format, cf.Width, cf.Height));
        Assert.Equal(pixels, cf.Pixels);

        Assert.Equal(4, StreamStartRequest.Parse(RoundTrip(Wire.StreamStart, 3, new StreamStartRequest(4).ToPayload()).Payload).TopK);
        RoundTrip(Wire.StreamStop, 4, []);
        RoundTrip(Wire.Info, 5, []);
        Assert.Equal(77, BenchRequest.Parse(RoundTrip(Wire.Bench, 6, new BenchRequest(77).ToPayload()).Payload).Iterations);

        var info = new InfoReply
        {
            FirmwareVersion = "1.2.3", ModelName = "person_detect", ModelBytes = 224998, ModelCrc = 0xDEADBEEF, ColourLayout = 1,
            InputDims = [1, 96, 96, 1], InputElements = 9216, OutputElements = 2, FreeMemory = 4000000, ArenaBytes = 58895, PeakBytes = 16463,
            Labels = ["no person", "person", "ünïcødé ✓"],
        };
        var i2 = InfoReply.Parse(RoundTrip(Wire.ReplyTo(Wire.Info), 5, info.ToPayload()).Payload);
        Assert.Equivalent(info, i2, strict: true);

        var cr = new ClassificationReply
        {
            FrameNumber = 9, Microseconds = 52341, PeakBytes = 16463, Outputs = [-113, 113],
            Top = [new Prediction(1, "person", 113, 883), new Prediction(0, "no person", -113, 117)],
        };
        var c2 = ClassificationReply.Parse(RoundTrip(Wire.StreamResult, 9, cr.ToPayload()).Payload);
        Assert.Equivalent(cr, c2, strict: true);

        var br = new BenchReply { Iterations = 10, MinMicroseconds = 1, MedianMicroseconds = 2, MaxMicroseconds = 3, PeakBytes = 4 };
        Assert.Equivalent(br, BenchReply.Parse(RoundTrip(Wire.ReplyTo(Wire.Bench), 7, br.ToPayload()).Payload), strict: true);

        var er = new ErrorReply(ErrorCode.BadCrc, Wire.Classify, "BAD_CRC: bad CRC");
        Assert.Equivalent(er, ErrorReply.Parse(RoundTrip(Wire.Error, 8, er.ToPayload()).Payload), strict: true);
        RoundTrip(0x42, 0, new byte[Wire.MaxPayload]);
        Assert.Throws<ArgumentException>(() => FrameEncoder.Encode(1, 0, new byte[Wire.MaxPayload + 1]));
    }

    [Fact]
    public void ShortPayloadsAreBadPayload()
    {
        Assert.Equal(ErrorCode.BadPayload, Assert.Throws<ProtocolException>(() => BenchRequest.Parse([1])).Code);
        Assert.Equal(ErrorCode.BadPayload, Assert.Throws<ProtocolException>(() => BenchRequest.Parse([0, 0])).Code);
        Assert.Equal(ErrorCode.BadPayload, Assert.Throws<ProtocolException>(() => ClassifyFrameRequest.Parse([0, 1, 2, 0, 2, 0, 1, 2, 3])).Code);
        Assert.Equal(ErrorCode.BadPayload, Assert.Throws<ProtocolException>(() => InfoReply.Parse([3, 65])).Code);
    }
}

public class DecoderTests
{
    private static byte[] Valid(int seq, int len, Random rng)
    {
        var p = new byte[len];
        rng.NextBytes(p);
        return FrameEncoder.Encode(Wire.Classify, seq, p);
    }

    [Fact]
    public void ResyncsAfterGarbageTruncationBadCrcOversizeAndVersion()
    {
        var rng = new Random(2);
        var c = new Collector();
        var d = new FrameDecoder(c);
        var garbage = new byte[5000];
        rng.NextBytes(garbage);
        d.Push(garbage, 0, garbage.Length);
        var v = Valid(1, 30, rng);
        d.Push(v, 0, v.Length);
        Assert.Equal(1, Assert.Single(c.Frames).Sequence);

        // truncated frame (claims 20000 bytes, sends 10), then a valid one: TRUNCATED, then the frame
        var t = Valid(2, 20000, rng)[..22];
        d.Push(t, 0, t.Length);
        v = Valid(3, 5, rng);
        d.Push(v, 0, v.Length);
        Assert.Equal(3, c.Frames[^1].Sequence);
        Assert.Equal((ErrorCode.Truncated, 2), (c.Errors[^1].Code, c.Errors[^1].Sequence));

        // wrong CRC
        var bad = Valid(4, 40, rng);
        bad[20] ^= 0x10;
        d.Push(bad, 0, bad.Length);
        Assert.Equal((ErrorCode.BadCrc, 4), (c.Errors[^1].Code, c.Errors[^1].Sequence));

        // oversized length
        var big = FrameEncoder.EncodeUnchecked(Wire.Classify, 5, [], Wire.MaxPayload + 1, Wire.Version);
        d.Push(big, 0, big.Length);
        Assert.Equal((ErrorCode.TooLong, 5), (c.Errors[^1].Code, c.Errors[^1].Sequence));
        var huge = FrameEncoder.EncodeUnchecked(Wire.Classify, 6, [], int.MaxValue, Wire.Version);
        d.Push(huge, 0, huge.Length);
        Assert.Equal(ErrorCode.TooLong, c.Errors[^1].Code);

        var ver = FrameEncoder.EncodeUnchecked(Wire.Info, 7, [], 0, 2);
        d.Push(ver, 0, ver.Length);
        Assert.Equal((ErrorCode.BadVersion, 7), (c.Errors[^1].Code, c.Errors[^1].Sequence));

        // a client closing mid-frame: Reset drops it
        var half = Valid(8, 100, rng)[..50];
        d.Push(half, 0, half.Length);
        Assert.True(d.InFrame);
        Assert.True(d.Reset());
        Assert.Equal(ErrorCode.Truncated, c.Errors[^1].Code);
        Assert.Equal(0, d.Buffered);

        v = Valid(9, 0, rng);
        int frames = c.Frames.Count;
        d.Push(v, 0, v.Length);
        Assert.Equal(frames + 1, c.Frames.Count);
        Assert.Equal(9, c.Frames[^1].Sequence);
    }

    [Fact]
    public void ByteAtATimeAndFrameSplitAnywhere()
    {
        var rng = new Random(4);
        for (int i = 0; i < 300; i++)
        {
            var c = new Collector();
            var d = new FrameDecoder(c);
            var v = Valid(i, rng.Next(0, 300), rng);
            int cut = rng.Next(0, v.Length + 1);
            d.Push(v, 0, cut);
            d.Push(v, cut, v.Length - cut);
            Assert.Equal(i, Assert.Single(c.Frames).Sequence);
        }
    }

    /// <summary>
    /// At least 1,000,000 random and mutated frames: the decoder never throws, never holds more than one maximal
    /// frame, and the valid frame sent after each piece of garbage always comes out.
    /// </summary>
    [Fact]
    public void FuzzMillionFrames()
    {
        var rng = new Random(12345);
        var c = new Collector();
        var d = new FrameDecoder(c);
        const int Rounds = 1_000_000; // a million garbage or mutated frames, each followed by a valid one: 2,000,000 frames
        var sw = Stopwatch.StartNew();
        long bytes = 0;
        for (int round = 0; round < Rounds; round++)
        {
            byte[] g = Garbage(rng, round);
            d.Push(g, 0, g.Length);
            Assert.InRange(d.Buffered, 0, Wire.MaxFrame);
            int seq = round & 0xFFFF;
            var payload = new byte[rng.Next(0, 48)];
            rng.NextBytes(payload);
            var v = FrameEncoder.Encode(Wire.Info, seq, payload);
            int before = c.Frames.Count;
            d.Push(v, 0, v.Length);
            Assert.True(c.Frames.Count > before, $"round {round}: valid frame not decoded after {g.Length} bytes of garbage");
            var last = c.Frames[^1];
            Assert.True(last.Type == Wire.Info && last.Sequence == seq && last.Payload.AsSpan().SequenceEqual(payload), $"round {round}: wrong frame type {last.Type} seq {last.Sequence} len {last.Payload.Length} (want {seq}, {payload.Length}); garbage {g.Length}: {Convert.ToHexString(g)}");
            Assert.Equal(0, d.Buffered);
            bytes += g.Length + v.Length;
            if (c.Frames.Count > 1000)
            {
                c.Frames.Clear();
                c.Errors.Clear();
            }
        }

        Console.WriteLine($"fuzz: {Rounds * 2} frames, {bytes} bytes in {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// A frame cut at least 5 bytes before its end. (A frame missing only its last byte or so can be completed by the
    /// first bytes of the next frame, and then the stream really does hold that frame: no decoder could tell.)
    /// </summary>
    private static byte[] Cut(byte[] frame, Random rng) => frame[..rng.Next(0, Math.Max(1, frame.Length - 5))];

    private static byte[] Garbage(Random rng, int round)
    {
        int kind = rng.Next(8);
        var payload = new byte[rng.Next(0, kind == 7 ? 2000 : 64)];
        rng.NextBytes(payload);
        var frame = FrameEncoder.Encode((byte)rng.Next(256), rng.Next(65536), payload);
        switch (kind)
        {
            case 0: // random bytes, with markers sprinkled in
                var r = new byte[rng.Next(0, 80)];
                rng.NextBytes(r);
                for (int i = 0; i + 1 < r.Length; i += rng.Next(1, 20))
                {
                    r[i] = Wire.Marker0;
                    r[i + 1] = Wire.Marker1;
                }

                return r;
            case 1: // bit flips
                for (int i = rng.Next(1, 4); i > 0; i--)
                {
                    frame[rng.Next(frame.Length)] ^= (byte)(1 << rng.Next(8));
                }

                return frame;
            case 2: // truncated
                return Cut(frame, rng);
            case 3: // a lying length with an intact header check (up to the maximum)
                var lying = FrameEncoder.EncodeUnchecked(Wire.Classify, round, payload, rng.Next(0, Wire.MaxPayload + 1), Wire.Version);
                return lying[..Math.Min(lying.Length, Wire.HeaderSize + rng.Next(0, 80))];
            case 4: // oversized length
                return FrameEncoder.EncodeUnchecked(Wire.Classify, round, payload, rng.Next(Wire.MaxPayload + 1, int.MaxValue), Wire.Version);
            case 5: // a byte deleted or inserted
                var list = frame.ToList();
                if (rng.Next(2) == 0 && list.Count > 5)
                {
                    list.RemoveAt(rng.Next(list.Count - 5)); // not in the last bytes: see Cut
                }
                else
                {
                    list.Insert(rng.Next(list.Count + 1), (byte)rng.Next(256));
                }

                return [.. list];
            case 6: // two truncated frames back to back
                var second = FrameEncoder.Encode(Wire.Classify, 1, payload);
                return [.. Cut(frame, rng), .. Cut(second, rng)];
            default: // a long frame cut short
                return Cut(frame, rng);
        }
    }
}

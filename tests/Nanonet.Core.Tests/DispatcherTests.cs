using Nanonet.Core;
using Nanonet.Core.Host;
using Nanonet.Core.Protocol;

namespace Nanonet.Core.Tests;

internal sealed class FakeCamera(int format, int width, int height, Func<int, byte[], int> capture) : ICamera
{
    private int n;

    public int Format => format;

    public int Width => width;

    public int Height => height;

    public int Capture(byte[] buffer) => capture(n++, buffer);

    public string StatusMessage(int status) => "sensor timeout";
}

public class DispatcherTests
{
    private sealed class Board
    {
        public Board(string nnb, ICamera? camera = null)
        {
            Blob = Golden.Model(nnb);
            Model = ModelInfo.Parse(Blob, true);
            Classifier = new Classifier(Blob, Model, new NativeInferenceEngine());
            Dispatcher = new Dispatcher(Blob, Classifier, Link, new FakeClock(), new FakeMemory(), "0.1.0", Path.GetFileNameWithoutExtension(nnb));
            Loop = new ClassificationLoop(Dispatcher, Classifier, camera, Lines, 2);
        }

        public byte[] Blob { get; }

        public ModelInfo Model { get; }

        public Classifier Classifier { get; }

        public MemoryLink Link { get; } = new();

        public ListLines Lines { get; } = new();

        public Dispatcher Dispatcher { get; }

        public ClassificationLoop Loop { get; }

        public Frame Request(byte type, int seq, byte[] payload)
        {
            int before = Link.Replies.Count;
            Link.Send(FrameEncoder.Encode(type, seq, payload));
            for (int i = 0; i < 2000 && Link.Replies.Skip(before).All(f => f.Sequence != seq || f.Type == Wire.StreamResult); i++)
            {
                Loop.Step();
            }

            return Link.Replies.Skip(before).First(f => f.Sequence == seq && f.Type != Wire.StreamResult);
        }
    }

    [Fact]
    public void ClassifyGivesTheGoldenOutputsThroughTheRealEngine()
    {
        var boards = new Dictionary<string, Board>();
        foreach (var (input, model, outputs) in Golden.Rows())
        {
            string nnb = Golden.NnbOf(model);
            var board = boards.TryGetValue(nnb, out var b) ? b : boards[nnb] = new Board(nnb);
            string kind = board.Model.InputChannels == 3 ? "rgb96" : "gray96";
            var tensor = Golden.ReadRequired(TestPaths.GoldenInput($"{input}.{kind}.i8")).Select(x => (sbyte)x).ToArray();
            var reply = board.Request(Wire.Classify, 100, new ClassifyRequest(0, tensor).ToPayload());
            Assert.Equal(Wire.ReplyTo(Wire.Classify), reply.Type);
            var r = ClassificationReply.Parse(reply.Payload);
            Assert.Equal(outputs, r.Outputs);
            Assert.Equal(2, r.Top.Length);
            Assert.Equal(outputs[0] >= outputs[1] ? 0 : 1, r.Top[0].Index);
            Assert.Equal(board.Model.Labels[r.Top[0].Index], r.Top[0].Label);
            Assert.Equal(board.Classifier.ArenaBytes, r.PeakBytes);
        }
    }

    [Fact]
    public void InfoBenchFrameAndErrors()
    {
        var b = new Board("person_detect.nnb");
        var info = InfoReply.Parse(b.Request(Wire.Info, 1, []).Payload);
        Assert.Equal(("0.1.0", "person_detect", 9216L, 2L), (info.FirmwareVersion, info.ModelName, info.InputElements, info.OutputElements));
        Assert.Equal(["no person", "person"], info.Labels);
        Assert.Equal(b.Blob.Length, info.ModelBytes);
        Assert.True(info.ArenaBytes > 0);

        var bench = b.Request(Wire.Bench, 2, new BenchRequest(5).ToPayload());
        var br = BenchReply.Parse(bench.Payload);
        Assert.Equal(5, br.Iterations);
        Assert.True(br.MinMicroseconds <= br.MedianMicroseconds && br.MedianMicroseconds <= br.MaxMicroseconds);

        var frame = Golden.ReadRequired(TestPaths.GoldenInput("tflm_person.gray96.i8")).Select(x => (byte)(x ^ 0x80)).ToArray();
        var fr = ClassificationReply.Parse(b.Request(Wire.ClassifyFrame, 3, new ClassifyFrameRequest(1, PixelFormat.Gray8, 96, 96, frame).ToPayload()).Payload);
        Assert.Equal("person", Assert.Single(fr.Top).Label);

        ErrorReply Error(Frame f)
        {
            Assert.Equal(Wire.Error, f.Type);
            return ErrorReply.Parse(f.Payload);
        }

        Assert.Equal(ErrorCode.WrongTensorSize, Error(b.Request(Wire.Classify, 4, new ClassifyRequest(0, new sbyte[10]).ToPayload())).Code);
        Assert.Equal(ErrorCode.UnknownType, Error(b.Request(0x33, 5, [])).Code);
        Assert.Equal(ErrorCode.BadPayload, Error(b.Request(Wire.Bench, 6, [])).Code);
        Assert.Equal(ErrorCode.BadPayload, Error(b.Request(Wire.ClassifyFrame, 7, new ClassifyFrameRequest(0, PixelFormat.Rgb888, 2, 2, new byte[11]).ToPayload())).Code);
        Assert.Equal(ErrorCode.CameraError, Error(b.Request(Wire.StreamStart, 8, [0])).Code);

        var bad = FrameEncoder.Encode(Wire.Info, 9, []);
        bad[^1] ^= 1;
        b.Link.Send(bad);
        b.Loop.Step();
        var e = Error(b.Link.Replies[^1]);
        Assert.Equal((ErrorCode.BadCrc, 9), (e.Code, b.Link.Replies[^1].Sequence));
        Assert.StartsWith("BAD_CRC", e.Message);
    }

    [Fact]
    public void BurstOfTenThousandRandomFramesThenAValidRequest()
    {
        var b = new Board("person_detect.nnb");
        var rng = new Random(77);
        for (int i = 0; i < 10_000; i++)
        {
            var payload = new byte[rng.Next(0, 64)];
            rng.NextBytes(payload);
            var f = FrameEncoder.Encode((byte)rng.Next(256), i, payload);
            if (rng.Next(3) == 0)
            {
                f[rng.Next(f.Length)] ^= 0x41;
            }

            b.Link.Send(rng.Next(4) == 0 ? f[..rng.Next(f.Length)] : f);
            if (i % 7 == 0)
            {
                b.Loop.Step();
            }
        }

        var tensor = Golden.ReadRequired(TestPaths.GoldenInput("tflm_person.gray96.i8")).Select(x => (sbyte)x).ToArray();
        b.Link.Send(new byte[] { 0x00, 0x11 }); // garbage after a possibly truncated last frame
        for (int i = 0; i < 100 && (b.Link.Pending > 0 || b.Dispatcher.Queued > 0); i++)
        {
            b.Loop.Step(); // the burst: every frame answered (mostly errors, BUSY when the queue is full) or dropped
        }

        Assert.Equal(0, b.Link.Pending);
        Assert.Contains(b.Link.Replies, f => f.Type == Wire.Error && ErrorReply.Parse(f.Payload).Code == ErrorCode.UnknownType);
        var reply = b.Request(Wire.Classify, 60000, new ClassifyRequest(0, tensor).ToPayload());
        Assert.Equal(Wire.ReplyTo(Wire.Classify), reply.Type);
        Assert.Equal([-113, 113], ClassificationReply.Parse(reply.Payload).Outputs);
        Assert.All(b.Link.Replies, f => Assert.True(f.Type == Wire.Error || (f.Type & Wire.ReplyBit) != 0));
    }

    [Fact]
    public void CameraLoopLinesStreamingAndSurvivedFailures()
    {
        var golden = Golden.ReadRequired(TestPaths.GoldenInput("tflm_person.gray96.i8")).Select(x => (byte)(x ^ 0x80)).ToArray();
        var camera = new FakeCamera(PixelFormat.Gray8, 96, 96, (n, buf) =>
        {
            if (n == 1)
            {
                return 5;
            }

            if (n == 2)
            {
                throw new InvalidOperationException("i2c failure");
            }

            golden.CopyTo(buf, 0);
            return 0;
        });
        var b = new Board("person_detect.nnb", camera);
        b.Loop.Step();
        b.Loop.Step();
        b.Loop.Step();
        Assert.Matches(@"^person \d+\.\d{3} \d+ \d+$", b.Lines.Lines[0]);
        Assert.Equal("error camera status 5: sensor timeout", b.Lines.Lines[1]);
        Assert.Equal("error camera i2c failure", b.Lines.Lines[2]);

        Assert.Equal(Wire.ReplyTo(Wire.StreamStart), b.Request(Wire.StreamStart, 1, [1]).Type);
        b.Loop.Step();
        b.Loop.Step();
        var stream = b.Link.Replies.Where(f => f.Type == Wire.StreamResult).Select(f => ClassificationReply.Parse(f.Payload)).ToList();
        Assert.True(stream.Count >= 2);
        Assert.All(stream, s => Assert.Equal("person", Assert.Single(s.Top).Label));
        Assert.Equal(Wire.ReplyTo(Wire.StreamStop), b.Request(Wire.StreamStop, 2, []).Type);
        int count = b.Link.Replies.Count(f => f.Type == Wire.StreamResult);
        b.Loop.Step();
        Assert.Equal(count, b.Link.Replies.Count(f => f.Type == Wire.StreamResult));

        // a bench runs one iteration per step: the camera keeps classifying in between
        int lines = b.Lines.Lines.Count;
        b.Link.Send(FrameEncoder.Encode(Wire.Bench, 3, new BenchRequest(3).ToPayload()));
        for (int i = 0; i < 4; i++)
        {
            b.Loop.Step();
        }

        Assert.Equal(lines + 4, b.Lines.Lines.Count);
        Assert.Equal(3, BenchReply.Parse(b.Link.Replies[^1].Payload).Iterations);
    }
}

using Nanonet.Core.Protocol;

namespace Nanonet.Serial.Tests;

/// <summary>
/// Bad input on the serial line of <c>nanonet sim</c> (a real pseudo-terminal): random garbage, truncated frames,
/// a wrong CRC, an oversized length, an unknown command, a client closing mid-frame, a burst of 10,000 random
/// frames. Each gets an error reply or is dropped, the simulated board keeps running, and the next valid request
/// is answered correctly (CLASSIFY of a golden input gives TFLM's output).
/// </summary>


public sealed class RobustnessTests : IClassFixture<RobustnessTests.Board>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly Board _board;

    public RobustnessTests(Board board) => _board = board;

    /// <summary>One simulated board (person_detect) for the whole class.</summary>
    public sealed class Board : IDisposable
    {
        public SimProcess Sim { get; } = new(Path.Combine(TestPaths.Models, "person_detect.nnb"));

        public void Dispose() => Sim.Dispose();
    }

    private BoardClient Connect() => BoardClient.Open(_board.Sim.Link);

    private static sbyte[] GoldenPerson()
    {
        var bytes = File.ReadAllBytes(TestPaths.GoldenInput("tflm_person.gray96.i8"));
        var tensor = new sbyte[bytes.Length];
        Buffer.BlockCopy(bytes, 0, tensor, 0, bytes.Length);
        return tensor;
    }

    /// <summary>The next valid request is answered correctly: TFLM's -113 113 for the person picture.</summary>
    private void AssertStillAnswers(BoardClient client)
    {
        Assert.True(_board.Sim.Running, "the simulated board died: " + _board.Sim.Output);
        var reply = client.Classify(GoldenPerson());
        Assert.Equal(new sbyte[] { -113, 113 }, reply.Outputs);
        Assert.Equal("person", reply.Top[0].Label);
    }

    private static ErrorReply ExpectError(BoardClient client, int sequence)
    {
        var frame = client.NextReply(Wait);
        Assert.NotNull(frame);
        Assert.Equal(Wire.Error, frame.Type);
        Assert.Equal(sequence, frame.Sequence);
        return ErrorReply.Parse(frame.Payload);
    }

    [Fact]
    public void RandomGarbageIsDropped()
    {
        using var client = Connect();
        var rng = new Random(1);
        var garbage = new byte[65536];
        rng.NextBytes(garbage);
        client.SendRaw(garbage);
        AssertStillAnswers(client);
    }

    [Fact]
    public void AWrongCrcGetsABadCrcError()
    {
        using var client = Connect();
        var frame = FrameEncoder.Encode(Wire.Info, 4242, [1, 2, 3]);
        frame[Wire.HeaderSize + 1] ^= 0x10; // a payload byte: the CRC no longer matches
        client.SendRaw(frame);
        Assert.Equal(ErrorCode.BadCrc, ExpectError(client, 4242).Code);
        AssertStillAnswers(client);
    }

    [Fact]
    public void AnOversizedLengthGetsATooLongError()
    {
        using var client = Connect();
        client.SendRaw(FrameEncoder.EncodeUnchecked(Wire.Classify, 4343, [], 1 << 20, Wire.Version));
        Assert.Equal(ErrorCode.TooLong, ExpectError(client, 4343).Code);
        AssertStillAnswers(client);
    }

    [Fact]
    public void AnUnknownCommandGetsAnUnknownTypeError()
    {
        using var client = Connect();
        client.SendRaw(FrameEncoder.Encode(0x42, 4444, []));
        var error = ExpectError(client, 4444);
        Assert.Equal(ErrorCode.UnknownType, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        AssertStillAnswers(client);
    }

    [Fact]
    public void ATruncatedFrameIsReportedOrDroppedAndTheNextIsServed()
    {
        using var client = Connect();
        var whole = FrameEncoder.Encode(Wire.Classify, 4545, new ClassifyRequest(0, GoldenPerson()).ToPayload());
        client.SendRaw(whole[..(whole.Length / 2)]); // cut short; the next frame follows at once
        var reply = client.Classify(GoldenPerson());
        Assert.Equal(new sbyte[] { -113, 113 }, reply.Outputs);
        AssertStillAnswers(client);
    }

    [Fact]
    public void AClientClosingMidFrameLeavesTheBoardServing()
    {
        using (var first = Connect())
        {
            var whole = FrameEncoder.Encode(Wire.Classify, 4646, new ClassifyRequest(0, GoldenPerson()).ToPayload());
            first.SendRaw(whole[..100]);
        }
        Thread.Sleep(700); // past the board's 500 ms idle timeout for a partial frame
        using var second = Connect();
        AssertStillAnswers(second);
    }

    [Fact]
    public void ABurstOfTenThousandRandomFramesLeavesTheBoardServing()
    {
        using var client = Connect();
        var rng = new Random(7);
        var types = new byte[] { Wire.Info, Wire.Classify, Wire.ClassifyFrame, Wire.StreamStart, Wire.StreamStop, Wire.Bench, 0x00, 0x42, 0x7F, 0xA0, 0xFF };
        using var burst = new MemoryStream();
        for (int i = 0; i < 10000; i++)
        {
            var payload = new byte[rng.Next(0, 40)];
            rng.NextBytes(payload);
            var type = types[rng.Next(types.Length)];
            if (type is Wire.Bench or Wire.StreamStart)
            {
                type = 0x42; // no 10,000 benchmarks or camera streams: the line must stay answerable in test time
            }
            var frame = FrameEncoder.Encode(type, 10000 + i, payload);
            switch (rng.Next(4))
            {
                case 0:
                    frame[rng.Next(frame.Length)] ^= (byte)(1 << rng.Next(8)); // a flipped bit
                    break;
                case 1:
                    frame = frame[..rng.Next(frame.Length)]; // cut short
                    break;
            }
            burst.Write(frame);
        }
        client.SendRaw(burst.ToArray());
        // drain what the board answers to the burst (error replies, INFO replies), then a valid request
        while (client.NextReply(TimeSpan.FromSeconds(2)) is not null)
        {
        }
        AssertStillAnswers(client);
    }
}

using Nanonet.Core;
using Nanonet.Core.Protocol;

namespace Nanonet.Core.Tests;

/// <summary>Collects what a decoder reports.</summary>
internal sealed class Collector : IFrameListener
{
    public List<Frame> Frames { get; } = [];

    public List<(int Code, int Type, int Sequence, string Message)> Errors { get; } = [];

    public void OnFrame(Frame frame) => Frames.Add(frame);

    public void OnFrameError(int code, int type, int sequence, string message) => Errors.Add((code, type, sequence, message));
}

/// <summary>An in-memory serial link: the test writes what the host sends, reads back what the device wrote.</summary>
internal sealed class MemoryLink : ISerialLink
{
    private readonly Queue<byte> incoming = new();
    private readonly Collector replies = new();
    private readonly FrameDecoder decoder;

    public MemoryLink() => decoder = new FrameDecoder(replies);

    public int ReadChunk { get; set; } = 1024;

    public void Send(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            incoming.Enqueue(b);
        }
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && n < ReadChunk && incoming.Count > 0)
        {
            buffer[offset + n++] = incoming.Dequeue();
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => decoder.Push(buffer, offset, count);

    public List<Frame> Replies => replies.Frames;

    public int Pending => incoming.Count;
}

internal sealed class FakeClock : IClock
{
    public long Now { get; set; }

    public long NowMicroseconds() => Now += 10;
}

internal sealed class FakeMemory : IMemoryInfo
{
    public long FreeBytes() => 123456;
}

internal sealed class ListLines : ILineSink
{
    public List<string> Lines { get; } = [];

    public void WriteLine(string line) => Lines.Add(line);
}

internal static class Golden
{
    public static byte[] Model(string file) => ReadRequired(Path.Combine(TestPaths.Models, file));

    public static byte[] ReadRequired(string path)
    {
        Assert.True(File.Exists(path), "reference data missing: " + path);
        return File.ReadAllBytes(path);
    }

    public static string NnbOf(string goldenModel) => goldenModel switch
    {
        "person_detect" => "person_detect.nnb",
        "vww96" => "vww_96.nnb",
        "ei_mbv2" => "mobilenet_v2_035_96_gray.nnb",
        _ => throw new InvalidOperationException("unknown golden model " + goldenModel),
    };

    /// <summary>(input name, model, outputs) rows of ../shared/golden/outputs.txt.</summary>
    public static List<(string Input, string Model, sbyte[] Outputs)> Rows()
    {
        string path = Path.Combine(TestPaths.Shared, "golden", "outputs.txt");
        Assert.True(File.Exists(path), "reference data missing: " + path);
        var rows = new List<(string, string, sbyte[])>();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            rows.Add((f[0], f[1], f.Skip(2).Select(sbyte.Parse).ToArray()));
        }

        Assert.Equal(6, rows.Count);
        return rows;
    }
}

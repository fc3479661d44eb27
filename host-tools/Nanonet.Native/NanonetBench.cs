using System.Runtime.InteropServices;

namespace Nanonet.Native;

/// <summary>Timings of repeated inferences, measured inside the native engine.</summary>
/// <param name="Nanoseconds">Wall time of each inference, in run order.</param>
/// <param name="Output">The output of the last inference.</param>
/// <param name="ArenaBytes">The arena (working memory) the engine ran in.</param>
/// <param name="Macs">Multiply-accumulates per inference.</param>
public sealed record BenchResult(long[] Nanoseconds, sbyte[] Output, int ArenaBytes, long Macs);

/// <summary>Benchmark entry of libnanonet (nanonet_bench of nanonet.h).</summary>
public static unsafe class NanonetBench
{
    /// <summary>Parses the model once, then times <paramref name="iterations"/> inferences natively.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <param name="input">The int8 input tensor.</param>
    /// <param name="iterations">How many inferences (>= 1).</param>
    /// <param name="reference">Run the plain reference kernels instead of the default (fast) table.</param>
    /// <param name="budget">SRAM budget for the memory plan (0: the smallest plan), or null to run layer by layer.</param>
    /// <returns>The timings, the last output, the arena size (the plan's peak_bytes when planned) and the MAC count.</returns>
    public static BenchResult Run(byte[] blob, sbyte[] input, int iterations, bool reference = false, int? budget = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        int arenaBytes = budget is int planBudget ? NanonetPlanner.Plan(blob, planBudget).PeakBytes : NanonetEngine.ArenaSize(blob);
        long macs = NanonetEngine.Macs(blob);
        var output = new sbyte[NanonetEngine.OutputSize(blob)];
        var ns = new ulong[iterations];
        var arena = new byte[arenaBytes];
        int status;
        fixed (byte* b = blob)
        fixed (sbyte* x = input)
        fixed (sbyte* y = output)
        fixed (byte* a = arena)
        fixed (ulong* t = ns)
        {
            status = BenchMethods.Bench(b, (uint)blob.Length, x, (uint)input.Length, y, (uint)output.Length, a,
                (uint)arena.Length, (uint)iterations, reference ? 1 : 0, budget ?? -1, t);
        }

        if (status != 0)
        {
            throw new EngineException(new NativeResult(status, NanonetEngine.StatusName(status), NanonetEngine.StatusMessage(status), -1, -1, -1));
        }

        return new BenchResult(Array.ConvertAll(ns, v => checked((long)v)), output, arenaBytes, macs);
    }
}

internal static unsafe partial class BenchMethods
{
    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "nanonet_bench")]
    internal static partial int Bench(byte* blob, uint size, sbyte* input, uint inputSize, sbyte* output, uint outputSize,
        byte* arena, uint arenaSize, uint iterations, int useReference, int budget, ulong* nanoseconds);
}

using System.Runtime.InteropServices;

namespace Nanonet.Native;

/// <summary>One step of a memory plan (nn_plan_step of nn_planner.h).</summary>
/// <param name="FirstOp">Op table index of the first op of the step.</param>
/// <param name="LastOp">Op table index of the last op (inclusive).</param>
/// <param name="Streamed">True: a chain of ops run one output row at a time; false: one op, whole tensors.</param>
/// <param name="OpCode">Opcode of the step's last op (nn_format.h NN_OP_*).</param>
/// <param name="FoldedOps">PAD or RESHAPE ops folded into the step's ops (never materialised).</param>
/// <param name="TensorBytes">Whole tensors live during the step.</param>
/// <param name="WindowBytes">Row windows of the step's streamed tensors.</param>
/// <param name="QuantBytes">Decoded channel quantisation scratch.</param>
/// <param name="ArenaEnd">Highest arena byte in use during the step (plan and alignment slack included).</param>
public sealed record PlanStep(int FirstOp, int LastOp, bool Streamed, int OpCode, int FoldedOps,
    int TensorBytes, int WindowBytes, int QuantBytes, int ArenaEnd);

/// <summary>A memory plan: its steps, the arena it needs and the smallest budget any plan fits.</summary>
/// <param name="Steps">The steps, in run order.</param>
/// <param name="PeakBytes">The whole arena the planned run needs (model weights excluded).</param>
/// <param name="MinBudget">The smallest budget the planner can meet for this model.</param>
public sealed record MemoryPlan(IReadOnlyList<PlanStep> Steps, int PeakBytes, int MinBudget);

/// <summary>Thrown when a model cannot run within the requested budget.</summary>
public sealed class OverBudgetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="budget">The budget asked for.</param>
    /// <param name="minBudget">The smallest budget that works.</param>
    public OverBudgetException(int budget, int minBudget)
        : base($"the model needs at least {minBudget} bytes of arena; the budget is {budget} bytes (use --sram-budget {minBudget} or more)")
    {
        Budget = budget;
        MinBudget = minBudget;
    }

    /// <summary>The budget asked for.</summary>
    public int Budget { get; }

    /// <summary>The smallest budget that works.</summary>
    public int MinBudget { get; }
}

/// <summary>The memory planner and planned (row-streaming) runs of libnanonet (nanonet_plan, nanonet_run_planned).</summary>
public static unsafe class NanonetPlanner
{
    [StructLayout(LayoutKind.Sequential)]
    private struct NnPlanStep
    {
        public ushort FirstOp;
        public ushort LastOp;
        public byte Streamed;
        public byte OpCode;
        public ushort FoldedPads;
        public uint TensorBytes;
        public uint WindowBytes;
        public uint QuantBytes;
        public uint ArenaEnd;
    }

    /// <summary>Plans the model for an arena budget in bytes (0: the smallest plan).</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <param name="budget">Arena budget in bytes; 0 for the smallest plan.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="OverBudgetException">The budget is below the smallest plan.</exception>
    public static MemoryPlan Plan(byte[] blob, int budget = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        NanonetEngine.EnsureValid(blob);
        uint workSize = 0, count = 0, peak = 0, min = 0;
        int status;
        fixed (byte* b = blob)
        {
            status = PlannerMethods.PlanWorkSize(b, (uint)blob.Length, &workSize);
        }

        Check(status);
        var work = new byte[workSize + 8];
        var steps = new NnPlanStep[1024];
        fixed (byte* b = blob)
        fixed (byte* w = work)
        fixed (NnPlanStep* s = steps)
        {
            byte* aligned = (byte*)(((nint)w + 7) & ~(nint)7);
            status = PlannerMethods.Plan(b, (uint)blob.Length, (uint)budget, aligned, workSize, s, (uint)steps.Length,
                &count, &peak, &min);
        }

        if (status == 17 && min > 0)
        {
            throw new OverBudgetException(budget, checked((int)min));
        }

        Check(status);
        var list = new List<PlanStep>((int)count);
        for (int i = 0; i < (int)count && i < steps.Length; i++)
        {
            var s = steps[i];
            list.Add(new PlanStep(s.FirstOp, s.LastOp, s.Streamed != 0, s.OpCode, s.FoldedPads, checked((int)s.TensorBytes),
                checked((int)s.WindowBytes), checked((int)s.QuantBytes), checked((int)s.ArenaEnd)));
        }

        return new MemoryPlan(list, checked((int)peak), checked((int)min));
    }

    /// <summary>Runs one inference with the plan for <paramref name="budget"/> (bit-exact with <see cref="NanonetEngine.Run"/>).</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <param name="input">The int8 input tensor.</param>
    /// <param name="budget">Arena budget in bytes; 0 for the smallest plan.</param>
    /// <returns>The int8 output tensor.</returns>
    public static sbyte[] RunPlanned(byte[] blob, sbyte[] input, int budget = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = Plan(blob, budget);
        var output = new sbyte[NanonetEngine.OutputSize(blob)];
        RunPlannedInto(blob, budget, input, output, new byte[plan.PeakBytes]);
        return output;
    }

    /// <summary>One planned inference in a caller-kept arena: the plan left at its head by an earlier run is reused.</summary>
    internal static void RunPlannedInto(byte[] blob, int budget, sbyte[] input, sbyte[] output, byte[] arena)
    {
        int status;
        fixed (byte* b = blob)
        fixed (sbyte* x = input)
        fixed (sbyte* y = output)
        fixed (byte* a = arena)
        {
            status = PlannerMethods.RunPlanned(b, (uint)blob.Length, (uint)budget, x, (uint)input.Length, y,
                (uint)output.Length, a, (uint)arena.Length, null, null);
        }

        Check(status);
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new EngineException(new NativeResult(status, NanonetEngine.StatusName(status),
                NanonetEngine.StatusMessage(status), -1, -1, -1));
        }
    }
}

/// <summary>Raw planner entry points of libnanonet.</summary>
internal static unsafe partial class PlannerMethods
{
    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "nanonet_plan_work_size")]
    internal static partial int PlanWorkSize(byte* blob, uint size, uint* workSize);

    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "nanonet_plan")]
    internal static partial int Plan(byte* blob, uint size, uint budget, byte* work, uint workSize,
        void* steps, uint maxSteps, uint* stepCount, uint* peakBytes, uint* minBudget);

    [LibraryImport(NativeMethods.LibraryName, EntryPoint = "nanonet_run_planned")]
    internal static partial int RunPlanned(byte* blob, uint size, uint budget, sbyte* input, uint inputSize,
        sbyte* output, uint outputSize, byte* arena, uint arenaSize,
        delegate* unmanaged[Cdecl]<void*, uint, uint, sbyte*, uint, void> observer, void* user);
}

/// <summary>
/// A model planned once for a budget, its arena kept (pinned, so the plan at its aligned head stays valid): every
/// <see cref="Run"/> after the first reuses the plan, as the board does in its steady state.
/// </summary>
public sealed class PlannedRunner
{
    private readonly byte[] _blob;
    private readonly int _budget;
    private readonly byte[] _arena;

    /// <summary>Plans <paramref name="blob"/> for <paramref name="budget"/> (0: the smallest plan).</summary>
    /// <exception cref="EngineException">The engine rejects the model.</exception>
    /// <exception cref="OverBudgetException">The budget is below the smallest plan.</exception>
    public PlannedRunner(byte[] blob, int budget = 0)
    {
        ArgumentNullException.ThrowIfNull(blob);
        _blob = blob;
        _budget = budget;
        PeakBytes = NanonetPlanner.Plan(blob, budget).PeakBytes;
        _arena = GC.AllocateArray<byte>(PeakBytes, pinned: true);
    }

    /// <summary>The arena the plan needs (its peak_bytes).</summary>
    public int PeakBytes { get; }

    /// <summary>One inference into <paramref name="output"/>.</summary>
    /// <exception cref="EngineException">A wrong input or output size, or an engine error.</exception>
    public void Run(sbyte[] input, sbyte[] output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        NanonetPlanner.RunPlannedInto(_blob, _budget, input, output, _arena);
    }
}

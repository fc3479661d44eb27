using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Nanonet.Native;

/// <summary>
/// Receives each activation tensor the engine writes, right after the op that wrote it.
/// The span is only valid during the call: copy it to keep it.
/// </summary>
/// <param name="opIndex">Index of the op in the packed model's op table.</param>
/// <param name="tensorIndex">Index of the tensor in the packed model's tensor table.</param>
/// <param name="data">The tensor's int8 values (NHWC).</param>
public delegate void TensorObserver(int opIndex, int tensorIndex, ReadOnlySpan<sbyte> data);

/// <summary>
/// Safe entry points to the native Nanonet engine (libnanonet), the same C99 engine that runs on the
/// ESP32-S3. Every method validates the packed model (.nnb blob) first; failures throw
/// <see cref="EngineException"/>.
/// </summary>
public static unsafe class NanonetEngine
{
    private const int HeaderSize = 64;
    private const int TensorEntrySize = 20;

    /// <summary>The engine's ABI version (nanonet_abi_version).</summary>
    public static int AbiVersion => NativeMethods.AbiVersion();

    /// <summary>The stable name of an nn_status code, e.g. "NN_ERR_BAD_CRC".</summary>
    /// <param name="status">The status code.</param>
    /// <returns>The name.</returns>
    public static string StatusName(int status) => Marshal.PtrToStringUTF8((nint)NativeMethods.StatusName(status)) ?? "NN_ERR_UNKNOWN_STATUS";

    /// <summary>The one-sentence description of an nn_status code.</summary>
    /// <param name="status">The status code.</param>
    /// <returns>The sentence.</returns>
    public static string StatusMessage(int status) => Marshal.PtrToStringUTF8((nint)NativeMethods.StatusMessage(status)) ?? "unknown status";

    /// <summary>Validates a packed model without throwing.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <returns>The engine's verdict, with the fault location when the blob is invalid.</returns>
    public static NativeResult Validate(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var diag = new NnDiag { Status = 0, OpIndex = -1, TensorIndex = -1, ByteOffset = -1 };
        int status;
        // An empty array pins to a null pointer, which the C API reports as a missing argument; an empty model
        // is a truncated one, so hand the engine a valid pointer with length 0.
        byte empty = 0;
        fixed (byte* pinned = blob)
        {
            byte* p = blob.Length == 0 ? &empty : pinned;
            status = NativeMethods.Validate(p, (uint)blob.Length, &diag);
        }

        return status == 0
            ? new NativeResult(0, StatusName(0), StatusMessage(0), -1, -1, -1)
            : new NativeResult(status, StatusName(status), StatusMessage(status), diag.OpIndex, diag.TensorIndex, diag.ByteOffset);
    }

    /// <summary>Throws <see cref="EngineException"/> unless the blob is a valid packed model.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    public static void EnsureValid(byte[] blob)
    {
        var result = Validate(blob);
        if (!result.IsOk)
        {
            throw new EngineException(result);
        }
    }

    /// <summary>Bytes of working memory (arena) the engine needs to run this model.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <returns>The arena size in bytes.</returns>
    public static int ArenaSize(byte[] blob)
    {
        EnsureValid(blob);
        return ArenaSizeOfValid(blob);
    }

    /// <summary>The arena size of a blob <see cref="EnsureValid"/> has already accepted.</summary>
    private static int ArenaSizeOfValid(byte[] blob)
    {
        uint arena = 0;
        int status;
        fixed (byte* p = blob)
        {
            status = NativeMethods.ArenaSize(p, (uint)blob.Length, &arena);
        }

        ThrowOnError(status, blob);
        return checked((int)arena);
    }

    /// <summary>Multiply-accumulates one inference of this model performs.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <returns>The MAC count.</returns>
    public static long Macs(byte[] blob)
    {
        EnsureValid(blob);
        ulong macs = 0;
        int status;
        fixed (byte* p = blob)
        {
            status = NativeMethods.Macs(p, (uint)blob.Length, &macs);
        }

        ThrowOnError(status, blob);
        return checked((long)macs);
    }

    /// <summary>Element count of the graph input tensor of a valid packed model.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <returns>The input size in int8 values.</returns>
    public static int InputSize(byte[] blob)
    {
        EnsureValid(blob);
        return InputElements(blob);
    }

    /// <summary>Element count of the graph output tensor of a valid packed model.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <returns>The output size in int8 values.</returns>
    public static int OutputSize(byte[] blob)
    {
        EnsureValid(blob);
        return OutputElements(blob);
    }

    /// <summary>Runs one inference.</summary>
    /// <param name="blob">The .nnb bytes.</param>
    /// <param name="input">The int8 input tensor; its length must equal the input tensor's element count.</param>
    /// <param name="observer">Optional: called after every op with the tensor it wrote.
    /// An exception thrown by the observer stops reporting and is rethrown once the engine returns.</param>
    /// <returns>The int8 output tensor.</returns>
    public static sbyte[] Run(byte[] blob, sbyte[] input, TensorObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureValid(blob); // once: the sizes below are read from the validated header
        int inputSize = InputElements(blob);
        if (input.Length != inputSize)
        {
            throw new EngineException(new NativeResult(18, StatusName(18),
                $"input has {input.Length} values but the model's input tensor has {inputSize}", -1, -1, -1));
        }

        int outputSize = OutputElements(blob);
        int arenaSize = ArenaSizeOfValid(blob);
        var output = new sbyte[outputSize];
        var arena = new byte[Math.Max(arenaSize, 1)];

        var state = observer is null ? null : new ObserverState(observer);
        GCHandle handle = state is null ? default : GCHandle.Alloc(state);
        int status;
        try
        {
            fixed (byte* pBlob = blob)
            fixed (sbyte* pIn = input)
            fixed (sbyte* pOut = output)
            fixed (byte* pArena = arena)
            {
                delegate* unmanaged[Cdecl]<void*, uint, uint, sbyte*, uint, void> callback = state is null ? null : &OnTensor;
                status = NativeMethods.Run(pBlob, (uint)blob.Length, pIn, (uint)input.Length, pOut, (uint)output.Length,
                    pArena, (uint)arenaSize, callback, state is null ? null : (void*)GCHandle.ToIntPtr(handle));
            }
        }
        finally
        {
            if (handle.IsAllocated)
            {
                handle.Free();
            }
        }

        state?.Error?.Throw();
        ThrowOnError(status, blob);
        return output;
    }

    private static int InputElements(byte[] blob) => TensorElements(blob, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(46)));

    private static int OutputElements(byte[] blob) => TensorElements(blob, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(48)));

    private static int TensorElements(byte[] blob, int tensorIndex)
    {
        // Only called after nanonet_validate accepted the blob, so every offset below is in range.
        int tensors = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(28));
        int entry = tensors + (tensorIndex * TensorEntrySize);
        int rank = blob[entry + 1];
        int count = 1;
        for (int d = 0; d < rank; d++)
        {
            count *= BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(entry + 4 + (2 * d)));
        }

        return count;
    }

    private static void ThrowOnError(int status, byte[] blob)
    {
        if (status == 0)
        {
            return;
        }

        // The run entry points have no nn_diag: ask the reader where the fault is when it is the blob's.
        var diag = blob.Length >= HeaderSize ? Validate(blob) : default;
        if (diag.Status == status)
        {
            throw new EngineException(diag);
        }

        throw new EngineException(new NativeResult(status, StatusName(status), StatusMessage(status), -1, -1, -1));
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void OnTensor(void* user, uint opIndex, uint tensorIndex, sbyte* data, uint size)
    {
        // Never let an exception unwind through native frames: keep it and rethrow after the run.
        if (GCHandle.FromIntPtr((nint)user).Target is not ObserverState state || state.Error is not null)
        {
            return;
        }

        try
        {
            state.Observer((int)opIndex, (int)tensorIndex, new ReadOnlySpan<sbyte>(data, checked((int)size)));
        }
        catch (Exception ex)
        {
            state.Error = ExceptionDispatchInfo.Capture(ex);
        }
    }

    private sealed class ObserverState(TensorObserver observer)
    {
        public TensorObserver Observer { get; } = observer;

        public ExceptionDispatchInfo? Error { get; set; }
    }
}

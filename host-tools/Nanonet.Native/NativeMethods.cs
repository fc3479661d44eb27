using System.Runtime.InteropServices;

namespace Nanonet.Native;

/// <summary>nn_diag of nn_model.h: where the model reader found a fault (-1 when not applicable).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NnDiag
{
    public int Status;
    public int OpIndex;
    public int TensorIndex;
    public int ByteOffset;
}

/// <summary>Raw entry points of libnanonet (nanonet.h). Only fixed-width integers and pointers cross.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string LibraryName = "nanonet";

    static NativeMethods()
    {
        // Load libnanonet from next to this assembly first (the build copies it there), so an
        // unrelated file named "nanonet" (the CLI's own apphost) can never be picked up instead.
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    private static nint Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return 0;
        }

        string file = OperatingSystem.IsWindows() ? "nanonet.dll" : OperatingSystem.IsMacOS() ? "libnanonet.dylib" : "libnanonet.so";
        foreach (var dir in new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory })
        {
            if (!string.IsNullOrEmpty(dir) && NativeLibrary.TryLoad(Path.Combine(dir, file), out nint handle))
            {
                return handle;
            }
        }

        return 0; // fall back to the runtime's default probing
    }

    [LibraryImport(LibraryName, EntryPoint = "nanonet_abi_version")]
    internal static partial int AbiVersion();

    // The returned strings are static in the library: return raw pointers so nothing tries to free them.
    [LibraryImport(LibraryName, EntryPoint = "nanonet_status_name")]
    internal static partial byte* StatusName(int status);

    [LibraryImport(LibraryName, EntryPoint = "nanonet_status_message")]
    internal static partial byte* StatusMessage(int status);

    [LibraryImport(LibraryName, EntryPoint = "nanonet_validate")]
    internal static partial int Validate(byte* blob, uint size, NnDiag* diag);

    [LibraryImport(LibraryName, EntryPoint = "nanonet_arena_size")]
    internal static partial int ArenaSize(byte* blob, uint size, uint* arenaSize);

    [LibraryImport(LibraryName, EntryPoint = "nanonet_run")]
    internal static partial int Run(byte* blob, uint size,
                                    sbyte* input, uint inputSize,
                                    sbyte* output, uint outputSize,
                                    byte* arena, uint arenaSize,
                                    delegate* unmanaged[Cdecl]<void*, uint, uint, sbyte*, uint, void> observer,
                                    void* user);

    [LibraryImport(LibraryName, EntryPoint = "nanonet_macs")]
    internal static partial int Macs(byte* blob, uint size, ulong* macs);
}

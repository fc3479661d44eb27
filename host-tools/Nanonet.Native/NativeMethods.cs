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

    /// <summary>
    /// The engine's file name on this OS: libnanonet.so, libnanonet.dylib, and on Windows libnanonet.dll (with the prefix:
    /// nanonet.dll is the CLI's own assembly, which Windows' default probing for "nanonet" would find first).
    /// </summary>
    internal static string LibraryFile =>
        OperatingSystem.IsWindows() ? "libnanonet.dll" : OperatingSystem.IsMacOS() ? "libnanonet.dylib" : "libnanonet.so";

    /// <summary>
    /// The runtime identifiers whose runtimes/RID/native/ folder holds this process's engine, most specific first: the
    /// runtime's own (e.g. linux-x64) and the portable OS-architecture one (a distribution's runtime may report its own
    /// RID). The tool package lays the engines out as NuGet lays native assets: runtimes/linux-x64/native/libnanonet.so,
    /// runtimes/linux-arm64/native/libnanonet.so, runtimes/win-x64/native/libnanonet.dll.
    /// </summary>
    internal static IReadOnlyList<string> RuntimeIdentifiers()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var portable = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        return RuntimeInformation.RuntimeIdentifier == portable ? [portable] : [RuntimeInformation.RuntimeIdentifier, portable];
    }

    /// <summary>Where the engine is looked for, in order: next to the assembly (a build's output), then runtimes/RID/native/ (the tool package).</summary>
    internal static IReadOnlyList<string> CandidatePaths(System.Reflection.Assembly assembly)
    {
        var paths = new List<string>();
        foreach (var dir in new[] { Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory }.Where(d => !string.IsNullOrEmpty(d)).Distinct())
        {
            paths.Add(Path.Combine(dir!, LibraryFile));
            paths.AddRange(RuntimeIdentifiers().Select(rid => Path.Combine(dir!, "runtimes", rid, "native", LibraryFile)));
        }

        return paths;
    }

    private static nint Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return 0;
        }

        var candidates = CandidatePaths(assembly);
        foreach (var path in candidates)
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle))
            {
                return handle;
            }
        }

        // Then the system's library path (LD_LIBRARY_PATH, PATH, ...) by file name. Never the runtime's default probing
        // for "nanonet": on Windows that finds nanonet.dll, the CLI's own assembly, and fails later on a missing entry point.
        if (NativeLibrary.TryLoad(LibraryFile, out nint systemHandle))
        {
            return systemHandle;
        }

        throw new DllNotFoundException($"{LibraryFile} for {RuntimeIdentifiers()[^1]} is in none of {string.Join(", ", candidates)} nor on the system's library path");
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

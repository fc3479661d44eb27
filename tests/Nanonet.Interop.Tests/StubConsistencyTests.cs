using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Nanonet.Interop.Tests;

/// <summary>
/// The native stubs in native-interop/nanoframework/Nanonet.Interop/ must be what the MetadataProcessor 3.0.x
/// would generate for the compiled Nanonet.Interop.dll: same mangled names, same method_lookup order, same
/// native-methods checksum and native version. A C# change that needs new firmware fails here until the
/// stubs follow. The assembly must hold extern declarations only, reference only mscorlib, and contain no
/// type the compiler synthesised (each would add lookup slots and change the checksum).
/// </summary>
public sealed class StubConsistencyTests
{
    private static readonly string DllPath = typeof(StubConsistencyTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "InteropDll").Value!;

    private static readonly string StubDir = Path.Combine(TestPaths.RepoRoot, "native-interop", "nanoframework", "Nanonet.Interop");

    private static readonly Lazy<NativeMetadata> Meta = new(() =>
    {
        Assert.True(File.Exists(DllPath), "compiled interop assembly missing: " + DllPath + " (build firmware/Nanonet.Interop first)");
        return NativeMetadata.Read(DllPath);
    });

    private static NativeMetadata M => Meta.Value;

    private static string Stub(string file)
    {
        string path = Path.Combine(StubDir, file);
        Assert.True(File.Exists(path), "stub file missing: " + path);
        return File.ReadAllText(path);
    }

    private static IEnumerable<IGrouping<string, MethodSlot>> NativeClasses =>
        M.Slots.Where(s => s.IsNative && s.IncludedType).GroupBy(s => s.ClassPart);

    [Fact]
    public void Crc_is_MDPs_crc32_msb_first_without_final_xor()
    {
        // CRC-32/POSIX (poly 0x04C11DB7, init 0, MSB first) is the same register with a final XOR: check 0x765E7680.
        Assert.Equal(0x765E7680u, NativeMetadata.Crc32(Encoding.ASCII.GetBytes("123456789"), 0) ^ 0xFFFFFFFFu);
        Assert.Equal(0x04C11DB7u, NativeMetadata.Crc32(new byte[] { 1 }, 0));
    }

    [Fact]
    public void Assembly_is_named_Nanonet_Interop_and_references_only_mscorlib()
    {
        Assert.Equal("Nanonet.Interop", M.AssemblyName);
        Assert.Equal(new[] { "mscorlib" }, M.AssemblyReferences);
    }

    [Fact]
    public void Assembly_holds_only_the_declared_types()
    {
        // <Module> plus the three interop classes: no EmbeddedAttribute, RefSafetyRules, <PrivateImplementationDetails>.
        Assert.Equal(
            new[] { "<Module>", "Nanonet.Interop.Camera", "Nanonet.Interop.Engine", "Nanonet.Interop.Memory" },
            M.TypeNames.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_method_is_a_native_static_extern()
    {
        var managed = M.Slots.Where(s => !s.IsNative).Select(s => s.TypeFullName + "::" + s.MangledName).ToList();
        Assert.True(managed.Count == 0, "managed methods in the interop assembly (NULL slots): " + string.Join(", ", managed));
        Assert.All(M.Slots, s => Assert.Contains("___STATIC__", s.MangledName));
        Assert.All(M.Slots, s => Assert.True(s.IncludedType, s.TypeFullName + " is not stubbed by MDP"));
    }

    [Fact]
    public void Native_version_matches_the_assembly_attribute()
    {
        Assert.Equal(new Version(1, 0, 0, 0), M.NativeVersion);
        var (_, _, version) = ParseAssemblyData();
        Assert.Equal(M.NativeVersion, version);
    }

    [Fact]
    public void Lookup_table_matches_the_metadata()
    {
        var expected = M.Slots.Select(s => s.Entry(M.SafeName)).ToList();
        var actual = ParseLookupTable();
        Assert.True(expected.SequenceEqual(actual),
            "method_lookup in Nanonet_Interop.cpp differs from the compiled assembly.\nexpected:\n    " +
            string.Join(",\n    ", expected) + "\nfound:\n    " + string.Join(",\n    ", actual));
    }

    [Fact]
    public void Checksum_matches_the_metadata()
    {
        var (name, checksum, _) = ParseAssemblyData();
        Assert.Equal(M.AssemblyName, name);
        Assert.True(M.Checksum == checksum,
            $"native checksum in Nanonet_Interop.cpp is 0x{checksum:X8}, the compiled assembly needs 0x{M.Checksum:X8}: " +
            "a declaration changed, so the firmware's stubs must be regenerated (and the firmware rebuilt)");
    }

    [Fact]
    public void Assembly_header_declares_every_native_method()
    {
        string header = Stub("Nanonet_Interop.h");
        var structs = Regex.Matches(header, @"struct\s+(Library_\w+)\s*\{(.*?)\};", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => Regex.Matches(m.Groups[2].Value, @"NANOCLR_NATIVE_DECLARE\((\w+)\);")
                .Select(d => d.Groups[1].Value).ToList());
        var expected = NativeClasses.ToDictionary(g => $"Library_{M.SafeName}_{g.Key}", g => g.Select(s => s.MangledName).ToList());
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), structs.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, methods) in expected)
        {
            Assert.True(methods.SequenceEqual(structs[name]),
                $"{name} in Nanonet_Interop.h declares {string.Join(", ", structs[name])}; expected {string.Join(", ", methods)}");
        }

        Assert.Contains($"extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_{M.SafeName};", header);
    }

    [Fact]
    public void Marshalling_files_define_every_native_method_once()
    {
        foreach (var g in NativeClasses)
        {
            string file = $"{M.SafeName}_{g.Key}_mshl.cpp";
            string code = Stub(file);
            var defined = Regex.Matches(code, $@"HRESULT\s+Library_{M.SafeName}_{g.Key}::(\w+)\s*\(\s*CLR_RT_StackFrame\s*&\s*stack\s*\)")
                .Select(m => m.Groups[1].Value).ToList();
            Assert.True(g.Select(s => s.MangledName).SequenceEqual(defined),
                $"{file} defines {string.Join(", ", defined)}; expected {string.Join(", ", g.Select(s => s.MangledName))}");
        }

        var extra = Directory.GetFiles(StubDir, "*_mshl.cpp").Select(Path.GetFileName)
            .Except(NativeClasses.Select(g => $"{M.SafeName}_{g.Key}_mshl.cpp")).ToList();
        Assert.True(extra.Count == 0, "marshalling files for no class: " + string.Join(", ", extra));
    }

    [Fact]
    public void Class_headers_and_sources_name_every_native_method()
    {
        foreach (var g in NativeClasses)
        {
            string className = g.First().TypeFullName.Split('.', '/').Last();
            string header = Stub($"{M.SafeName}_{g.Key}.h");
            string source = Stub($"{M.SafeName}_{g.Key}.cpp");
            Assert.Matches($@"struct\s+{className}\s*\{{", header);
            foreach (var s in g)
            {
                string method = s.MangledName[..s.MangledName.IndexOf("___", StringComparison.Ordinal)];
                Assert.Matches($@"static\s+[\w\s\*&]+\b{method}\s*\(", header);
                Assert.Matches($@"\b{className}::{method}\s*\(", source);
            }
        }
    }

    [Fact]
    public void Cmake_module_lists_every_stub_source()
    {
        string cmake = Stub($"FindINTEROP-{M.AssemblyName}.cmake");
        var sources = new List<string> { $"{M.SafeName}.cpp" };
        foreach (var g in NativeClasses)
        {
            sources.Add($"{M.SafeName}_{g.Key}.cpp");
            sources.Add($"{M.SafeName}_{g.Key}_mshl.cpp");
        }

        foreach (string s in sources)
        {
            Assert.Contains(s, cmake);
        }

        Assert.Contains($"{M.AssemblyName}_INCLUDE_DIRS", cmake);
        Assert.Contains($"{M.AssemblyName}_SOURCES", cmake);
        Assert.Contains("FIND_PACKAGE_HANDLE_STANDARD_ARGS", cmake);
    }

    private static List<string> ParseLookupTable()
    {
        string cpp = Stub("Nanonet_Interop.cpp");
        var m = Regex.Match(cpp, @"static\s+const\s+CLR_RT_MethodHandler\s+method_lookup\[\]\s*=\s*\{(.*?)\};", RegexOptions.Singleline);
        Assert.True(m.Success, "no method_lookup[] in Nanonet_Interop.cpp");
        string body = Regex.Replace(m.Groups[1].Value, @"//[^\n]*", string.Empty);
        return body.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
    }

    private static (string Name, uint Checksum, Version Version) ParseAssemblyData()
    {
        string cpp = Stub("Nanonet_Interop.cpp");
        var m = Regex.Match(cpp,
            $@"const\s+CLR_RT_NativeAssemblyData\s+g_CLR_AssemblyNative_{M.SafeName}\s*=\s*\{{\s*""([^""]+)""\s*,\s*0x([0-9A-Fa-f]{{8}})\s*,\s*method_lookup\s*,\s*\{{\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\}}\s*\}};");
        Assert.True(m.Success, $"no g_CLR_AssemblyNative_{M.SafeName} = {{ name, 0xCHECKSUM, method_lookup, {{ version }} }} in Nanonet_Interop.cpp");
        return (m.Groups[1].Value, Convert.ToUInt32(m.Groups[2].Value, 16),
            new Version(int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value), int.Parse(m.Groups[6].Value)));
    }
}

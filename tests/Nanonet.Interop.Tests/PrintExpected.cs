namespace Nanonet.Interop.Tests;

/// <summary>Writes what the stubs must contain to the test output (for a developer updating the stubs).</summary>
public sealed class PrintExpected(ITestOutputHelper output)
{
    [Fact]
    public void Expected_lookup_table_and_checksum()
    {
        var m = NativeMetadata.Read(typeof(PrintExpected).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "InteropDll").Value!);
        foreach (var s in m.Slots)
        {
            output.WriteLine("    " + s.Entry(m.SafeName) + ",");
        }

        output.WriteLine($"checksum 0x{m.Checksum:X8}, native version {m.NativeVersion}");
        Assert.NotEmpty(m.Slots);
    }
}

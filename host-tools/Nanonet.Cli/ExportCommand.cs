using System.CommandLine;
using System.Globalization;
using System.Text;
using Nanonet.Packing;

namespace Nanonet.Cli;

/// <summary>
/// <c>nanonet export MODEL --c-array OUT.c [--name SYMBOL]</c>: the packed model as a 16-byte aligned const C array
/// (OUT.c) and a header (OUT.h, beside it) with its size and CRC-32, for firmware to link into flash.
/// </summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the summary line goes.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A packed model (.nnb) or an int8 .tflite (packed in memory)." };
        var cArray = new Option<string>("--c-array")
        {
            Description = "The C source to write (OUT.c); its header OUT.h is written beside it.",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "The array's C identifier (default: OUT's file name made one)." };
        var command = new Command("export", "Write a packed model as an aligned const C array with its size and CRC in a header, to link into firmware.")
        {
            model, cArray, name,
        };
        command.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(cArray)!, parse.GetValue(name), stdout));
        return command;
    }

    /// <summary>The header written beside a .c file: the same name with .h.</summary>
    /// <param name="sourcePath">The .c file.</param>
    /// <returns>The .h file.</returns>
    public static string HeaderPath(string sourcePath) => Path.ChangeExtension(sourcePath, ".h");

    private static int Execute(string modelPath, string sourcePath, string? symbol, TextWriter stdout)
    {
        if (sourcePath.Length > 0 && !sourcePath.EndsWith(".c", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"--c-array '{sourcePath}': name a .c file (its header goes beside it as .h)");
        }

        string headerPath = HeaderPath(sourcePath);
        OutputFile.CheckWritable(sourcePath, "--c-array", modelPath, headerPath);
        OutputFile.CheckWritable(headerPath, "--c-array's header", modelPath, sourcePath);
        symbol ??= CArrayExport.SymbolFor(sourcePath);
        if (!CArrayExport.IsValidSymbol(symbol))
        {
            throw new CliException($"--name '{symbol}' is not a C identifier (letters, digits and '_', not starting with a digit, not a keyword)");
        }

        var loaded = ModelLoader.Load(modelPath);
        var files = CArrayExport.Render(loaded.Blob, symbol, Path.GetFileName(headerPath), Path.GetFileName(modelPath));
        var utf8 = new UTF8Encoding(false);
        OutputFile.Write(headerPath, "--c-array's header", utf8.GetBytes(files.Header));
        OutputFile.Write(sourcePath, "--c-array", utf8.GetBytes(files.Source));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exported '{modelPath}' -> '{sourcePath}' and '{headerPath}': {symbol}, {loaded.Blob.Length} bytes, CRC-32 0x{System.IO.Hashing.Crc32.HashToUInt32(loaded.Blob):X8}"));
        return 0;
    }
}

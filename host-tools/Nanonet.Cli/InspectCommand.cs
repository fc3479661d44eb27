using System.CommandLine;
using System.Globalization;
using Nanonet.Native;
using Nanonet.Packing;
using Spectre.Console;

namespace Nanonet.Cli;

/// <summary><c>nanonet inspect MODEL</c>: one table row per op, then the totals.</summary>
public static class InspectCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the table goes.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A packed model (.nnb) or a .tflite (packed in memory)." };
        var format = JsonOutput.FormatOption();
        var command = new Command("inspect", "Show the ops, shapes, MACs and memory of a model.") { model, format };
        command.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(format) == "json", stdout));
        return command;
    }

    /// <summary>Creates a plain (no colour, no ANSI) Spectre console over a writer.</summary>
    /// <param name="writer">The writer.</param>
    /// <returns>The console.</returns>
    public static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }

    private static string Shape(int[] shape) => "[" + string.Join(",", shape) + "]";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static int Execute(string modelPath, bool json, TextWriter stdout)
    {
        var model = ModelLoader.Load(modelPath);
        var file = model.File;
        long engineMacs = NanonetEngine.Macs(model.Blob);
        int arena = NanonetEngine.ArenaSize(model.Blob);
        int planned = NanonetPlanner.Plan(model.Blob).PeakBytes;
        long parameterBytes = file.Ops.Sum(o => (long)o.ParameterBytes);
        if (json)
        {
            JsonOutput.Write(stdout, new Dictionary<string, object?>
            {
                ["model"] = modelPath,
                ["format_version"] = file.Version,
                ["input"] = new Dictionary<string, object?>
                {
                    ["shape"] = file.Input.Shape, ["layout"] = file.ColourLayout.ToString(),
                    ["scale"] = file.Input.Scale, ["zero_point"] = file.Input.ZeroPoint,
                },
                ["output"] = new Dictionary<string, object?>
                {
                    ["shape"] = file.Output.Shape, ["scale"] = file.Output.Scale, ["zero_point"] = file.Output.ZeroPoint,
                },
                ["labels"] = file.Labels,
                ["ops"] = file.Ops.Select(op => new Dictionary<string, object?>
                {
                    ["index"] = op.Index, ["op"] = op.Code.ToString(),
                    ["input_shapes"] = op.Inputs.Select(i => file.Tensors[i].Shape).ToArray(),
                    ["output_shape"] = file.Tensors[op.Output].Shape, ["macs"] = op.Macs, ["weight_bytes"] = op.ParameterBytes,
                }).ToArray(),
                ["total_macs"] = engineMacs,
                ["parameter_bytes"] = parameterBytes,
                ["model_bytes"] = model.Blob.Length,
                ["arena_bytes_layer_by_layer"] = arena,
                ["peak_bytes_smallest_plan"] = planned,
            });
            return 0;
        }

        var table = new Table().Border(TableBorder.Ascii);
        table.AddColumn("#");
        table.AddColumn("op");
        table.AddColumn("input shape(s)");
        table.AddColumn("output shape");
        table.AddColumn(new TableColumn("MACs").RightAligned());
        table.AddColumn(new TableColumn("weight bytes").RightAligned());
        foreach (var op in file.Ops)
        {
            var inputs = string.Join(" ", op.Inputs.Select(i => Shape(file.Tensors[i].Shape)));
            table.AddRow(
                op.Index.ToString(CultureInfo.InvariantCulture),
                op.Code.ToString(),
                Markup.Escape(inputs),
                Markup.Escape(Shape(file.Tensors[op.Output].Shape)),
                N(op.Macs),
                N(op.ParameterBytes));
        }

        var console = CreateConsole(stdout);
        console.Write(table);
        long parameters = file.Ops.Sum(o => (long)o.ParameterBytes);
        stdout.WriteLine($"model:           {modelPath} (format v{file.Version})");
        stdout.WriteLine($"input:           {Shape(file.Input.Shape)} {file.ColourLayout}, scale {file.Input.Scale.ToString("G9", CultureInfo.InvariantCulture)}, zero point {file.Input.ZeroPoint}");
        stdout.WriteLine($"output:          {Shape(file.Output.Shape)}, scale {file.Output.Scale.ToString("G9", CultureInfo.InvariantCulture)}, zero point {file.Output.ZeroPoint}");
        stdout.WriteLine($"labels:          {(file.Labels.Count == 0 ? "(none)" : string.Join(", ", file.Labels))}");
        stdout.WriteLine($"ops:             {file.Ops.Count}");
        stdout.WriteLine($"total MACs:      {N(engineMacs)}");
        stdout.WriteLine($"parameter bytes: {N(parameters)}");
        stdout.WriteLine($"model size:      {N(model.Blob.Length)} bytes");
        stdout.WriteLine($"arena:           {N(arena)} bytes layer by layer (whole tensors), {N(planned)} bytes at the smallest plan (peak_bytes, nanonet plan)");
        return 0;
    }
}

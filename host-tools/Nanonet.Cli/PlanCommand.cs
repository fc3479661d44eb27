using System.CommandLine;
using System.Globalization;
using System.Text;
using Nanonet.Native;
using Nanonet.Packing;
using Spectre.Console;

namespace Nanonet.Cli;

/// <summary>
/// <c>nanonet plan MODEL [--sram-budget BYTES] [--plot FILE]</c> or
/// <c>nanonet plan --arch mobilenet-v1|mobilenet-v2 --alpha A --resolution R --channels 1|3 --classes N</c>:
/// the memory plan's steps, then <c>peak_bytes N</c> (the whole engine arena, model weights excluded).
/// </summary>
public static class PlanCommand
{
    private static readonly string[] OpNames = { "?", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MEAN",
        "FULLY_CONNECTED", "RESHAPE", "SOFTMAX", "ADD", "PAD" };

    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the table goes.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = "A packed model (.nnb) or a .tflite (packed in memory); omit with --arch.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var budget = new Option<int>("--sram-budget")
        {
            Description = "Arena budget in bytes (default: the smallest plan).",
            DefaultValueFactory = _ => 0,
        };
        var arch = new Option<string?>("--arch") { Description = "Plan an architecture without weights: mobilenet-v1 or mobilenet-v2." };
        arch.AcceptOnlyFromAmong("mobilenet-v1", "mobilenet-v2");
        var alpha = new Option<double>("--alpha") { Description = "Width multiplier (with --arch).", DefaultValueFactory = _ => 1.0 };
        var resolution = new Option<int>("--resolution") { Description = "Input height and width (with --arch).", DefaultValueFactory = _ => 96 };
        var channels = new Option<int>("--channels") { Description = "Input channels, 1 or 3 (with --arch).", DefaultValueFactory = _ => 3 };
        var classes = new Option<int>("--classes") { Description = "Output classes (with --arch).", DefaultValueFactory = _ => 2 };
        var plot = new Option<string?>("--plot") { Description = "Write a bar chart of arena bytes per step to FILE: SVG or PNG by its extension." };
        var format = JsonOutput.FormatOption();
        var command = new Command("plan", "Plan the engine's memory: how each part of the network runs, and the peak arena.")
        {
            model, budget, arch, alpha, resolution, channels, classes, plot, format,
        };
        command.SetAction(parse => Execute(parse.GetValue(model), parse.GetValue(budget), parse.GetValue(arch),
            parse.GetValue(alpha), parse.GetValue(resolution), parse.GetValue(channels), parse.GetValue(classes),
            parse.GetValue(plot), parse.GetValue(format) == "json", stdout));
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static int Execute(string? modelPath, int budget, string? arch, double alpha, int resolution, int channels,
        int classes, string? plotPath, bool json, TextWriter stdout)
    {
        if (budget < 0)
        {
            throw new CliException($"--sram-budget must be >= 0, not {budget}");
        }

        if (plotPath is not null)
        {
            OutputFile.CheckWritable(plotPath, "--plot", modelPath);
            PlanPlot.CheckExtension(plotPath);
        }

        byte[] blob;
        string title;
        if (arch is not null)
        {
            if (modelPath is not null)
            {
                throw new CliException("give either MODEL or --arch, not both");
            }

            blob = ArchModel.Build(arch, alpha, resolution, channels, classes);
            title = string.Create(CultureInfo.InvariantCulture, $"{arch} alpha {alpha} at {resolution}x{resolution}x{channels}, {classes} classes");
            var check = NanonetEngine.Validate(blob);
            if (!check.IsOk)
            {
                // e.g. alpha 4 at 480x480: a tensor larger than the engine's limits
                throw new CliException($"{title} is beyond what the engine runs: {check}");
            }
        }
        else
        {
            if (modelPath is null)
            {
                throw new CliException("give a MODEL or --arch");
            }

            blob = ModelLoader.Load(modelPath).Blob;
            title = Path.GetFileName(modelPath);
        }

        var file = NnbFile.Parse(blob);
        MemoryPlan plan;
        try
        {
            plan = NanonetPlanner.Plan(blob, budget);
        }
        catch (OverBudgetException e)
        {
            throw new CliException($"{title} does not fit in {N(e.Budget)} bytes: the smallest budget that works is {e.MinBudget} bytes");
        }

        if (plotPath is not null)
        {
            OutputFile.Write(plotPath, "--plot", PlanPlot.ForFile(plotPath, title, plan, budget));
        }

        if (json)
        {
            JsonOutput.Write(stdout, new Dictionary<string, object?>
            {
                ["model"] = title,
                ["budget"] = budget,
                ["smallest_budget"] = plan.MinBudget,
                ["peak_bytes"] = plan.PeakBytes,
                ["steps"] = plan.Steps.Select((s, i) => new Dictionary<string, object?>
                {
                    ["step"] = i, ["first_op"] = s.FirstOp, ["last_op"] = s.LastOp, ["streamed"] = s.Streamed,
                    ["folded_ops"] = s.FoldedOps,
                    ["last_op_code"] = s.OpCode < OpNames.Length ? OpNames[s.OpCode] : s.OpCode.ToString(CultureInfo.InvariantCulture),
                    ["output_shape"] = file.Tensors[file.Ops[s.LastOp].Output].Shape,
                    ["tensor_bytes"] = s.TensorBytes, ["window_bytes"] = s.WindowBytes, ["quant_bytes"] = s.QuantBytes,
                    ["other_bytes"] = s.ArenaEnd - s.TensorBytes - s.WindowBytes - s.QuantBytes, ["arena_end"] = s.ArenaEnd,
                }).ToArray(),
            });
            return 0;
        }

        var table = new Table().Border(TableBorder.Ascii);
        table.AddColumn("step");
        table.AddColumn("ops");
        table.AddColumn("runs");
        table.AddColumn("last op");
        table.AddColumn("output shape");
        table.AddColumn(new TableColumn("tensors").RightAligned());
        table.AddColumn(new TableColumn("row windows").RightAligned());
        table.AddColumn(new TableColumn("quant").RightAligned());
        table.AddColumn(new TableColumn("plan, slack, placement").RightAligned());
        table.AddColumn(new TableColumn("arena bytes").RightAligned());
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            var s = plan.Steps[i];
            string ops = s.FirstOp == s.LastOp ? s.FirstOp.ToString(CultureInfo.InvariantCulture) : $"{s.FirstOp}-{s.LastOp}";
            string runs = s.Streamed ? "streamed" : "layer";
            if (s.FoldedOps > 0)
            {
                runs += $" ({s.FoldedOps} folded)";
            }

            var shape = file.Tensors[file.Ops[s.LastOp].Output].Shape;
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), ops, runs,
                s.OpCode < OpNames.Length ? OpNames[s.OpCode] : s.OpCode.ToString(CultureInfo.InvariantCulture),
                Markup.Escape("[" + string.Join(",", shape) + "]"), N(s.TensorBytes), N(s.WindowBytes), N(s.QuantBytes),
                N(s.ArenaEnd - s.TensorBytes - s.WindowBytes - s.QuantBytes), N(s.ArenaEnd));
        }

        stdout.WriteLine(title);
        InspectCommand.CreateConsole(stdout).Write(table);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget {(budget == 0 ? "smallest" : N(budget))}, {plan.Steps.Count} steps ({plan.Steps.Count(s => s.Streamed)} streamed), smallest budget {plan.MinBudget}"));
        if (plotPath is not null)
        {
            stdout.WriteLine($"plot written to {plotPath}");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_bytes {plan.PeakBytes}"));
        return 0;
    }
}

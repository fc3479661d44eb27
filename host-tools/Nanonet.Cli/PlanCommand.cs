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
        var plot = new Option<string?>("--plot") { Description = "Write an SVG bar chart of arena bytes per step to FILE." };
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

        if (json)
        {
            if (plotPath is not null)
            {
                OutputFile.Write(plotPath, "--plot", System.Text.Encoding.UTF8.GetBytes(Svg(title, plan)));
            }

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
                    ["arena_end"] = s.ArenaEnd,
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
                Markup.Escape("[" + string.Join(",", shape) + "]"), N(s.TensorBytes), N(s.WindowBytes), N(s.QuantBytes), N(s.ArenaEnd));
        }

        stdout.WriteLine(title);
        InspectCommand.CreateConsole(stdout).Write(table);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget {(budget == 0 ? "smallest" : N(budget))}, {plan.Steps.Count} steps ({plan.Steps.Count(s => s.Streamed)} streamed), smallest budget {plan.MinBudget}"));
        if (plotPath is not null)
        {
            OutputFile.Write(plotPath, "--plot", System.Text.Encoding.UTF8.GetBytes(Svg(title, plan)));
            stdout.WriteLine($"plot written to {plotPath}");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_bytes {plan.PeakBytes}"));
        return 0;
    }

    /// <summary>An SVG bar chart of the arena bytes in use during each step (stacked: fixed, tensors, windows, quant).</summary>
    /// <param name="title">Chart title.</param>
    /// <param name="plan">The plan.</param>
    /// <returns>The SVG text.</returns>
    public static string Svg(string title, MemoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        const int left = 70, top = 40, height = 300, barGap = 2;
        int n = Math.Max(1, plan.Steps.Count);
        int barWidth = Math.Max(6, Math.Min(40, 900 / n));
        int width = left + (n * (barWidth + barGap)) + 170;
        double max = Math.Max(1, plan.PeakBytes);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{top + height + 60}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(inv, $"<rect width=\"{width}\" height=\"{top + height + 60}\" fill=\"white\"/>\n");
        sb.Append(inv, $"<text x=\"{left}\" y=\"20\" font-size=\"14\">{Escape(title)}: arena bytes per step (peak_bytes {plan.PeakBytes})</text>\n");
        for (int k = 0; k <= 4; k++)
        {
            double v = max * k / 4;
            double y = top + height - (height * k / 4.0);
            sb.Append(inv, $"<line x1=\"{left}\" y1=\"{y:F1}\" x2=\"{left + (n * (barWidth + barGap))}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n");
            sb.Append(inv, $"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{v:F0}</text>\n");
        }

        string[] colours = { "#bbbbbb", "#4e79a7", "#f28e2b", "#59a14f" };
        string[] names = { "plan, slack and placement gaps", "whole tensors", "row windows", "decoded quantisation" };
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            var s = plan.Steps[i];
            int rest = Math.Max(0, s.ArenaEnd - s.TensorBytes - s.WindowBytes - s.QuantBytes);
            int[] parts = { rest, s.TensorBytes, s.WindowBytes, s.QuantBytes };
            double x = left + (i * (barWidth + barGap));
            double y = top + height;
            for (int p = 0; p < parts.Length; p++)
            {
                double h = height * parts[p] / max;
                y -= h;
                if (h > 0)
                {
                    sb.Append(inv, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barWidth}\" height=\"{h:F1}\" fill=\"{colours[p]}\"><title>step {i} ops {s.FirstOp}-{s.LastOp}: {names[p]} {parts[p]} bytes</title></rect>\n");
                }
            }

            if (s.Streamed)
            {
                sb.Append(inv, $"<text x=\"{x + (barWidth / 2.0):F1}\" y=\"{top + height + 12}\" text-anchor=\"middle\" font-size=\"9\">S</text>\n");
            }
        }

        sb.Append(inv, $"<text x=\"{left}\" y=\"{top + height + 30}\">steps (S = row-streamed chain, others layer by layer)</text>\n");
        for (int p = 0; p < names.Length; p++)
        {
            double lx = left + (n * (barWidth + barGap)) + 15;
            double ly = top + (p * 18);
            sb.Append(inv, $"<rect x=\"{lx:F1}\" y=\"{ly:F1}\" width=\"12\" height=\"12\" fill=\"{colours[p]}\"/>\n");
            sb.Append(inv, $"<text x=\"{lx + 16:F1}\" y=\"{ly + 10:F1}\">{names[p]}</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

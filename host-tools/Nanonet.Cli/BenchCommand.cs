using System.CommandLine;
using System.Globalization;
using Nanonet.Native;

namespace Nanonet.Cli;

/// <summary><c>nanonet bench MODEL [--iterations N] [--input X] [--reference]</c>: time the native engine.</summary>
public static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the figures go.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL") { Description = "A packed model (.nnb) or a .tflite (packed in memory)." };
        var iterations = new Option<int>("--iterations", "-n")
        {
            Description = "Timed inferences (after one untimed warm-up run).",
            DefaultValueFactory = _ => 50,
        };
        var input = new Option<string?>("--input", "-i")
        {
            Description = "Input tensor (.i8) or picture; default: all values 0.",
        };
        var reference = new Option<bool>("--reference") { Description = "Time the plain reference kernels instead of the fast ones." };
        var budget = new Option<int>("--sram-budget")
        {
            Description = "SRAM budget in bytes for the memory plan the inferences run (default 0: the smallest plan).",
            DefaultValueFactory = _ => 0,
        };
        var layerByLayer = new Option<bool>("--layer-by-layer") { Description = "Run whole tensors layer by layer instead of the memory plan." };
        var format = JsonOutput.FormatOption();
        var command = new Command("bench", "Time inferences of a model in the native engine (min, median, p90 and max microseconds, MACs, MAC/s, peak bytes).")
        {
            model, iterations, input, reference, budget, layerByLayer, format,
        };
        command.Validators.Add(result =>
        {
            // a budget only means something for the memory plan: never dropped silently
            if (result.GetValue(layerByLayer) && result.GetResult(budget) is { Implicit: false })
            {
                result.AddError("--sram-budget applies to the memory plan, not to --layer-by-layer: give one of them");
            }
        });
        command.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(iterations), parse.GetValue(input),
            parse.GetValue(reference), parse.GetValue(layerByLayer) ? null : parse.GetValue(budget), stdout, parse.GetValue(format) == "json"));
        return command;
    }

    /// <summary>Most timed inferences of one run (each keeps a timing sample).</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Runs the benchmark and prints one field a line.</summary>
    /// <param name="modelPath">The model.</param>
    /// <param name="iterations">Timed inferences.</param>
    /// <param name="inputPath">Optional input; zeros when null.</param>
    /// <param name="reference">Use the reference kernels.</param>
    /// <param name="budget">SRAM budget of the memory plan (0: smallest), or null for layer by layer.</param>
    /// <param name="stdout">Output.</param>
    /// <returns>The exit code.</returns>
    /// <param name="json">Print one JSON document instead of the lines.</param>
    public static int Execute(string modelPath, int iterations, string? inputPath, bool reference, int? budget, TextWriter stdout, bool json = false)
    {
        if (iterations < 1 || iterations > MaxIterations)
        {
            throw new CliException($"--iterations must be in [1, {MaxIterations}], not {iterations}");
        }

        if (budget < 0)
        {
            throw new CliException("--sram-budget must be a number of bytes >= 0");
        }

        var loaded = ModelLoader.Load(modelPath);
        sbyte[] x = inputPath is null ? new sbyte[loaded.File.Input.ElementCount] : RunCommand.LoadInput(loaded.File, inputPath);
        NanonetBench.Run(loaded.Blob, x, 1, reference, budget); // warm-up: caches, page faults
        var result = NanonetBench.Run(loaded.Blob, x, iterations, reference, budget);
        var us = result.Nanoseconds.Select(v => v / 1000.0).Order().ToArray();
        double median = us.Length % 2 == 1 ? us[us.Length / 2] : (us[(us.Length / 2) - 1] + us[us.Length / 2]) / 2;
        var ci = CultureInfo.InvariantCulture;
        // the nearest-rank 90th percentile: the smallest time at least 90 % of the runs did not exceed
        double p90 = us[Math.Max(0, (int)Math.Ceiling(0.9 * us.Length) - 1)];
        double macPerSecond = median > 0 ? result.Macs / (median * 1e-6) : 0.0;
        if (json)
        {
            JsonOutput.Write(stdout, new Dictionary<string, object?>
            {
                ["model"] = modelPath,
                ["kernels"] = reference ? "reference" : "fast",
                ["execution"] = budget is null ? "layer_by_layer" : "planned",
                ["sram_budget"] = budget,
                ["iterations"] = iterations,
                ["us_per_inference"] = new Dictionary<string, double>
                {
                    ["min"] = Math.Round(us[0], 1), ["median"] = Math.Round(median, 1), ["p90"] = Math.Round(p90, 1), ["max"] = Math.Round(us[^1], 1),
                },
                ["macs"] = result.Macs,
                ["mac_per_s"] = Math.Round(macPerSecond),
                ["peak_bytes"] = result.ArenaBytes,
                ["output"] = result.Output,
            });
            return 0;
        }

        stdout.WriteLine($"model: {modelPath}");
        stdout.WriteLine($"kernels: {(reference ? "reference" : "fast")}");
        stdout.WriteLine(budget is int b ? $"execution: planned, sram budget {(b == 0 ? "smallest plan" : b.ToString(CultureInfo.InvariantCulture))}" : "execution: layer by layer");
        stdout.WriteLine($"iterations: {iterations}");
        stdout.WriteLine(string.Format(ci, "us_per_inference: min {0:F1} median {1:F1} p90 {2:F1} max {3:F1}", us[0], median, p90, us[^1]));
        stdout.WriteLine(string.Format(ci, "macs: {0}", result.Macs));
        stdout.WriteLine(string.Format(ci, "mac_per_s: {0:F0}", macPerSecond));
        stdout.WriteLine(string.Format(ci, "peak_bytes: {0}", result.ArenaBytes));
        stdout.WriteLine("output: " + string.Join(' ', result.Output.Select(v => v.ToString(ci))));
        return 0;
    }
}

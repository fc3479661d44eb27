using System.CommandLine;
using System.Text.RegularExpressions;
using Nanonet.Imaging;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Cli;

/// <summary>
/// Entry point of the <c>nanonet</c> command. Exit code 0 on success; on any error, exactly one line
/// "nanonet: error: ..." on stderr and a non-zero exit code (1 for a failed command, 2 for bad usage).
/// </summary>
public static class Program
{
    /// <summary>Process entry point.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the CLI in-process with the given output writers (used by the tests).</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Where normal output goes.</param>
    /// <param name="stderr">Where the one-line error goes.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var root = BuildCommand(stdout);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // "Unrecognized command or argument 'x'" says more than "Required command was not provided."
                var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
                stderr.WriteLine("nanonet: error: " + PlainTypeNames(OneLine(error.Message)) + " (see nanonet --help)");
                return 2;
            }

            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception ex)
        {
            stderr.WriteLine("nanonet: error: " + OneLine(Describe(ex)));
            return 1;
        }
    }

    /// <summary>Builds the command tree (pack, inspect, run, plan, bench, quantize, eval).</summary>
    /// <param name="stdout">Where commands write their output.</param>
    /// <returns>The root command.</returns>
    public static RootCommand BuildCommand(TextWriter stdout)
    {
        var root = new RootCommand("nanonet: pack, inspect, plan, run, benchmark, quantise and evaluate int8 MobileNets with the Nanonet engine; talk to a board (or a simulated one) over serial.");
        root.Subcommands.Add(PackCommand.Create(stdout));
        root.Subcommands.Add(InspectCommand.Create(stdout));
        root.Subcommands.Add(RunCommand.Create(stdout));
        root.Subcommands.Add(PlanCommand.Create(stdout));
        root.Subcommands.Add(BenchCommand.Create(stdout));
        root.Subcommands.Add(QuantizeCommand.Create(stdout));
        root.Subcommands.Add(EvalCommand.Create(stdout));
        root.Subcommands.Add(BoardCommands.CreateDemo(stdout));
        root.Subcommands.Add(BoardCommands.CreateSim(stdout));
        root.Subcommands.Add(BoardCommands.CreateInfo(stdout));
        root.Subcommands.Add(BoardCommands.CreateClassify(stdout));
        root.Subcommands.Add(BoardCommands.CreateMonitor(stdout));
        return root;
    }

    private static string Describe(Exception ex) => ex switch
    {
        CliException => ex.Message,
        ImageDecodeException => ex.Message,
        EngineException => "engine: " + ex.Message,
        OverBudgetException o => $"the model does not fit in {o.Budget} bytes: the smallest budget that works is {o.MinBudget} bytes",
        UnsupportedModelException => "unsupported model: " + ex.Message,
        Nanonet.Tflite.TfliteFormatException => "invalid TFLite model: " + ex.Message,
        NnbFormatException => "invalid packed model: " + ex.Message,
        DllNotFoundException or EntryPointNotFoundException => "the native engine libnanonet could not be loaded: " + ex.Message,
        FileNotFoundException f => $"file '{f.FileName}' not found",
        IOException or UnauthorizedAccessException => ex.Message,
        _ => $"internal error ({ex.GetType().Name}): {ex.Message}",
    };

    /// <summary>System.CommandLine names .NET types in parse errors ("System.Nullable`1[System.Int32]"): say what is wanted.</summary>
    private static string PlainTypeNames(string message) =>
        Regex.Replace(message, @"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'", m => m.Groups[1].Value switch
        {
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" => "as a whole number",
            "Single" or "Double" or "Decimal" => "as a number",
            var other => $"as {other}",
        });

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

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
                var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("unknown option", StringComparison.Ordinal))
                    ?? parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
                var message = OneLine(error.Message);
                // an unmatched token that looks like an option, on a command without a list argument to absorb it
                var unmatched = Regex.Match(message, @"^Unrecognized command or argument '(.+)'\.?$");
                if (unmatched.Success && LooksLikeOption(unmatched.Groups[1].Value) && parse.CommandResult.Command is not RootCommand)
                {
                    message = UnknownOption(parse.CommandResult.Command, unmatched.Groups[1].Value);
                }

                stderr.WriteLine("nanonet: error: " + PlainTypeNames(message) + " (see nanonet --help)");
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

    /// <summary>Builds the command tree (pack, export, inspect, run, plan, bench, quantize, eval, and the board's).</summary>
    /// <param name="stdout">Where commands write their output.</param>
    /// <returns>The root command.</returns>
    public static RootCommand BuildCommand(TextWriter stdout)
    {
        var root = new RootCommand("nanonet: pack, inspect, plan, run, benchmark, quantise and evaluate int8 MobileNets with the Nanonet engine; talk to a board (or a simulated one) over serial.");
        root.Subcommands.Add(PackCommand.Create(stdout));
        root.Subcommands.Add(ExportCommand.Create(stdout));
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
        foreach (var command in root.Subcommands)
        {
            RefuseUnknownOptions(command);
        }

        return root;
    }

    /// <summary>
    /// A token that looks like an option but is none of the command's (<c>--sram-budjet</c>) would otherwise be taken as
    /// a value of the command's file arguments (an input picture named "--sram-budjet"): it is a usage error naming the
    /// option, with the nearest option the command has.
    /// </summary>
    private static void RefuseUnknownOptions(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (LooksLikeOption(token.Value))
                    {
                        result.AddError(UnknownOption(command, token.Value));
                        return;
                    }
                }
            });
        }

        foreach (var sub in command.Subcommands)
        {
            RefuseUnknownOptions(sub);
        }
    }

    private static string UnknownOption(Command command, string token)
    {
        var near = NearestOption(command, token);
        return $"unknown option '{token}' for '{command.Name}'" + (near is null ? string.Empty : $" (did you mean {near}?)");
    }

    /// <summary>"-x" or "--word", but not "-" (standard input) nor a negative number.</summary>
    private static bool LooksLikeOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string? NearestOption(Command command, string token)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var option in command.Options)
        {
            foreach (var name in option.Aliases.Prepend(option.Name))
            {
                int d = EditDistance(name, token);
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = option.Name;
                }
            }
        }

        return bestDistance <= Math.Max(2, token.Length / 4) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            row[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
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

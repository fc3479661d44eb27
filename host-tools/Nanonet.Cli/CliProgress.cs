using Spectre.Console;

namespace Nanonet.Cli;

/// <summary>
/// Progress bars for long commands: drawn with Spectre.Console only when the command writes to the process's own
/// console and that console is a terminal. In-process runs (tests) and redirected output get no bar, so their
/// output stays deterministic.
/// </summary>
public static class CliProgress
{
    /// <summary>True when progress bars should be drawn for output going to <paramref name="stdout"/>.</summary>
    /// <param name="stdout">The command's output writer.</param>
    /// <returns>Whether it is the interactive console.</returns>
    public static bool IsInteractive(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/>, giving it a (stage, done, total) callback that drives one bar per stage.</summary>
    /// <typeparam name="T">Result type.</typeparam>
    /// <param name="stdout">The command's output writer.</param>
    /// <param name="work">The work.</param>
    /// <returns>Its result.</returns>
    public static T Run<T>(TextWriter stdout, Func<Action<string, int, int>?, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!IsInteractive(stdout))
        {
            return work(null);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var gate = new object();
                result = work((stage, done, total) =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(stage, out var task))
                        {
                            task = ctx.AddTask(Markup.Escape(stage), maxValue: Math.Max(total, 1));
                            tasks[stage] = task;
                        }

                        task.Value = done;
                    }
                });
            });
        return result;
    }
}

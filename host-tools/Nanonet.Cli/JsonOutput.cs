using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nanonet.Cli;

/// <summary>
/// The <c>--format text|json</c> option of inspect, plan, bench and eval, and the one way their JSON is written:
/// indented, snake_case keys as the commands build them, numbers as numbers, non-ASCII text as is.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The option: text (tables, the default) or json (one JSON document on stdout, nothing else).</summary>
    /// <returns>A new option.</returns>
    public static Option<string> FormatOption()
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "text: tables and lines; json: one JSON document.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        return format;
    }

    /// <summary>Writes a document (dictionaries, lists, strings, numbers, booleans, nulls) as JSON.</summary>
    /// <param name="stdout">Where it goes.</param>
    /// <param name="document">The document.</param>
    public static void Write(TextWriter stdout, object document)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        stdout.WriteLine(JsonSerializer.Serialize(document, Options));
    }
}

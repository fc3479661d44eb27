using System.Globalization;
using System.Text;
using Nanonet.Native;
using SkiaSharp;

namespace Nanonet.Cli;

/// <summary>
/// The <c>plan --plot</c> chart: one stacked bar per step (the table's step numbers under the bars), split into the
/// table's columns (whole tensors, row windows, decoded quantisation, and the rest: plan, slack and placement), a
/// value axis with round ticks, a dashed line at the SRAM budget when one was given, and a legend sized to its text.
/// One layout of shapes is drawn as SVG or, through SkiaSharp, as PNG, by the file's extension.
/// </summary>
public static class PlanPlot
{
    /// <summary>The parts of a bar, bottom up, with their colours: the table's columns.</summary>
    public static readonly (string Name, string Colour)[] Parts =
    [
        ("whole tensors", "#4e79a7"),
        ("row windows", "#f28e2b"),
        ("decoded quantisation", "#59a14f"),
        ("plan, slack and placement", "#bbbbbb"),
    ];

    private abstract record Shape;

    private sealed record Box(double X, double Y, double W, double H, string Fill, string? Tooltip) : Shape;

    private sealed record Stroke(double X1, double Y1, double X2, double Y2, string Colour, bool Dashed, double Width) : Shape;

    private sealed record Label(double X, double Y, string Text, double Size, string Anchor, string Colour) : Shape;

    private const double FontSize = 12;

    /// <summary>Text width estimate for layout (sans-serif, average glyph 0.6 em): generous, so nothing is clipped.</summary>
    private static double TextWidth(string text, double size) => text.Length * size * 0.6;

    /// <summary>A round tick step (1, 2 or 5 times a power of ten) giving 4 to 8 intervals up to <paramref name="max"/>.</summary>
    /// <param name="max">The largest value to show.</param>
    /// <returns>The step.</returns>
    public static long TickStep(long max)
    {
        long step = 1;
        while (true)
        {
            foreach (long m in new long[] { 1, 2, 5 })
            {
                if (max / (step * m) <= 7)
                {
                    return step * m;
                }
            }

            step *= 10;
        }
    }

    private static (List<Shape> Shapes, double Width, double Height) Layout(string title, MemoryPlan plan, int budget)
    {
        const double left = 80, top = 50, plotHeight = 300, gap = 2;
        int n = Math.Max(1, plan.Steps.Count);
        double barWidth = Math.Clamp(900.0 / n, 8, 40);
        double plotWidth = n * (barWidth + gap);
        long maxValue = Math.Max(Math.Max(1, plan.PeakBytes), budget);
        long step = TickStep(maxValue);
        long axisMax = ((maxValue + step - 1) / step) * step;
        double Y(double v) => top + plotHeight - (plotHeight * v / axisMax);
        var shapes = new List<Shape>();
        var inv = CultureInfo.InvariantCulture;

        string heading = string.Create(inv, $"{title}: arena bytes per step (peak_bytes {plan.PeakBytes:N0})");
        shapes.Add(new Label(left, 24, heading, 15, "start", "#000"));
        for (long v = 0; v <= axisMax; v += step)
        {
            shapes.Add(new Stroke(left, Y(v), left + plotWidth, Y(v), "#dddddd", false, 1));
            shapes.Add(new Label(left - 8, Y(v) + 4, v.ToString("N0", inv), FontSize, "end", "#000"));
        }

        // label every k-th step so that the numbers do not overlap
        int every = 1;
        while (TextWidth((n - 1).ToString(inv), 10) + 4 > every * (barWidth + gap))
        {
            every++;
        }

        for (int i = 0; i < plan.Steps.Count; i++)
        {
            var s = plan.Steps[i];
            int[] parts = [s.TensorBytes, s.WindowBytes, s.QuantBytes, Math.Max(0, s.ArenaEnd - s.TensorBytes - s.WindowBytes - s.QuantBytes)];
            double x = left + (i * (barWidth + gap));
            double bottom = 0;
            for (int p = 0; p < parts.Length; p++)
            {
                if (parts[p] > 0)
                {
                    shapes.Add(new Box(x, Y(bottom + parts[p]), barWidth, Y(bottom) - Y(bottom + parts[p]), Parts[p].Colour,
                        string.Create(inv, $"step {i} (ops {s.FirstOp}-{s.LastOp}): {Parts[p].Name} {parts[p]:N0} bytes")));
                }

                bottom += parts[p];
            }

            if (i % every == 0)
            {
                shapes.Add(new Label(x + (barWidth / 2), top + plotHeight + 14, i.ToString(inv), 10, "middle", "#000"));
            }

            if (s.Streamed)
            {
                shapes.Add(new Label(x + (barWidth / 2), top + plotHeight + 27, "S", 10, "middle", "#000"));
            }
        }

        if (budget > 0)
        {
            shapes.Add(new Stroke(left, Y(budget), left + plotWidth, Y(budget), "#d62728", true, 1.5));
            shapes.Add(new Label(left + plotWidth, Y(budget) - 5, string.Create(inv, $"budget {budget:N0}"), FontSize, "end", "#d62728"));
        }

        shapes.Add(new Label(left, top + plotHeight + 46, "step (as in the table; S: a row-streamed chain, the others layer by layer)", FontSize, "start", "#000"));

        double legendX = left + plotWidth + 20;
        double legendWidth = 0;
        for (int p = 0; p < Parts.Length; p++)
        {
            double ly = top + (p * 20);
            shapes.Add(new Box(legendX, ly, 12, 12, Parts[p].Colour, null));
            shapes.Add(new Label(legendX + 18, ly + 11, Parts[p].Name, FontSize, "start", "#000"));
            legendWidth = Math.Max(legendWidth, 18 + TextWidth(Parts[p].Name, FontSize));
        }

        double width = Math.Max(legendX + legendWidth + 20, left + TextWidth(heading, 15) + 20);
        return (shapes, Math.Ceiling(width), top + plotHeight + 60);
    }

    /// <summary>The chart as SVG.</summary>
    /// <param name="title">The model's name.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="budget">The SRAM budget asked for (0: none, no line).</param>
    /// <returns>The SVG document.</returns>
    public static string Svg(string title, MemoryPlan plan, int budget = 0)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(plan);
        var (shapes, width, height) = Layout(title, plan, budget);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {width:F0} {height:F0}\" font-family=\"sans-serif\">\n");
        sb.Append(inv, $"<rect width=\"{width:F0}\" height=\"{height:F0}\" fill=\"white\"/>\n");
        foreach (var shape in shapes)
        {
            switch (shape)
            {
                case Box b:
                    sb.Append(inv, $"<rect x=\"{b.X:F1}\" y=\"{b.Y:F1}\" width=\"{b.W:F1}\" height=\"{b.H:F1}\" fill=\"{b.Fill}\"");
                    sb.Append(b.Tooltip is null ? "/>\n" : $"><title>{Escape(b.Tooltip)}</title></rect>\n");
                    break;
                case Stroke l:
                    sb.Append(inv, $"<line x1=\"{l.X1:F1}\" y1=\"{l.Y1:F1}\" x2=\"{l.X2:F1}\" y2=\"{l.Y2:F1}\" stroke=\"{l.Colour}\" stroke-width=\"{l.Width:F1}\"{(l.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}/>\n");
                    break;
                case Label t:
                    sb.Append(inv, $"<text x=\"{t.X:F1}\" y=\"{t.Y:F1}\" font-size=\"{t.Size:F0}\" text-anchor=\"{t.Anchor}\" fill=\"{t.Colour}\">{Escape(t.Text)}</text>\n");
                    break;
            }
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>The chart as PNG (SkiaSharp, the same layout as <see cref="Svg"/>).</summary>
    /// <param name="title">The model's name.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="budget">The SRAM budget asked for (0: none, no line).</param>
    /// <returns>The PNG file's bytes.</returns>
    public static byte[] Png(string title, MemoryPlan plan, int budget = 0)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(plan);
        var (shapes, width, height) = Layout(title, plan, budget);
        using var surface = SKSurface.Create(new SKImageInfo((int)width, (int)height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new CliException("--plot: cannot create a drawing surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName("sans-serif") ?? SKTypeface.Default;
        foreach (var shape in shapes)
        {
            switch (shape)
            {
                case Box b:
                {
                    using var paint = new SKPaint { Color = SKColor.Parse(b.Fill), Style = SKPaintStyle.Fill };
                    canvas.DrawRect((float)b.X, (float)b.Y, (float)b.W, (float)b.H, paint);
                    break;
                }

                case Stroke l:
                {
                    using var effect = l.Dashed ? SKPathEffect.CreateDash([6f, 4f], 0) : null;
                    using var paint = new SKPaint { Color = SKColor.Parse(l.Colour), StrokeWidth = (float)l.Width, IsAntialias = true, PathEffect = effect };
                    canvas.DrawLine((float)l.X1, (float)l.Y1, (float)l.X2, (float)l.Y2, paint);
                    break;
                }

                case Label t:
                {
                    using var font = new SKFont(typeface, (float)t.Size);
                    using var paint = new SKPaint { Color = SKColor.Parse(t.Colour), IsAntialias = true };
                    var align = t.Anchor switch { "end" => SKTextAlign.Right, "middle" => SKTextAlign.Center, _ => SKTextAlign.Left };
                    canvas.DrawText(t.Text, (float)t.X, (float)t.Y, align, font, paint);
                    break;
                }
            }
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The chart's bytes for a file: SVG for .svg, PNG for .png.</summary>
    /// <param name="path">The --plot file.</param>
    /// <param name="title">The model's name.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="budget">The SRAM budget asked for (0: none).</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="CliException">Another extension.</exception>
    public static byte[] ForFile(string path, string title, MemoryPlan plan, int budget)
    {
        CheckExtension(path);
        return Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase)
            ? Png(title, plan, budget)
            : new UTF8Encoding(false).GetBytes(Svg(title, plan, budget));
    }

    /// <summary>Checks the --plot file's extension before any work.</summary>
    /// <param name="path">The --plot file.</param>
    public static void CheckExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (path.Length > 0 && ext is not ".svg" and not ".png")
        {
            throw new CliException($"--plot '{path}': name a .svg or a .png file");
        }
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

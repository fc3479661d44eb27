using System.Globalization;
using CsvHelper;
using Nanonet.Imaging;
using Nanonet.Native;
using Nanonet.Packing;

namespace Nanonet.Quantization;

/// <summary>A user-facing problem with a folder of pictures or a labels file (missing, empty, malformed).</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the file or folder.</param>
    public DatasetException(string message) : base(message) { }
}

/// <summary>How pictures become float model inputs: the same int8 codes the quantised model gets, dequantised.</summary>
public static class FloatInput
{
    /// <summary>The quantised input of models made by <see cref="Quantizer"/>: scale 1/255, zero point -128 (real = pixel / 255).</summary>
    public static QuantParams DefaultParams { get; } = new(1f / 255f, -128);

    /// <summary>The int8 codes of 8-bit pixels through the table q = pixel - 128 (what the packed model's pixel table does).</summary>
    /// <param name="pixels">Pixel bytes.</param>
    /// <returns>The codes.</returns>
    public static sbyte[] Codes(ReadOnlySpan<byte> pixels)
    {
        var q = new sbyte[pixels.Length];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = (sbyte)(pixels[i] - 128);
        }
        return q;
    }

    /// <summary>real = (q - zero point) * scale in float32, for every code.</summary>
    /// <param name="codes">The int8 codes.</param>
    /// <param name="p">The input quantisation.</param>
    /// <returns>The float input.</returns>
    public static float[] Dequantize(ReadOnlySpan<sbyte> codes, QuantParams p)
    {
        var r = new float[codes.Length];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = (codes[i] - p.ZeroPoint) * p.Scale;
        }
        return r;
    }
}

/// <summary>A model that scores a picture given as 8-bit pixels (H x W x C, the image pipeline's output).</summary>
public interface IImageClassifier
{
    /// <summary>Input height.</summary>
    int Height { get; }

    /// <summary>Input width.</summary>
    int Width { get; }

    /// <summary>Input channels (1 gray, 3 RGB).</summary>
    int Channels { get; }

    /// <summary>Number of classes (output values).</summary>
    int Classes { get; }

    /// <summary>Class names (may be empty).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Scores of one picture.</summary>
    /// <param name="pixels">Height * Width * Channels bytes.</param>
    /// <returns>One score per class.</returns>
    float[] Score(byte[] pixels);
}

/// <summary>A packed int8 model run by the C engine; pixels map through the model's pixel tables.</summary>
public sealed class Int8Classifier : IImageClassifier
{
    private readonly byte[] _blob;
    private readonly NnbFile _file;
    private readonly sbyte[][] _tables;

    /// <summary>Creates the classifier.</summary>
    /// <param name="blob">The .nnb bytes (valid).</param>
    /// <exception cref="DatasetException">The model does not take a picture (raw input or not [1,H,W,1|3]).</exception>
    public Int8Classifier(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        NanonetEngine.EnsureValid(blob);
        _blob = blob;
        _file = NnbFile.Parse(blob);
        var shape = _file.Input.Shape;
        int channels = _file.ColourLayout switch { ColourLayout.Gray8 => 1, ColourLayout.Rgb888 => 3, _ => 0 };
        if (channels == 0 || shape.Length != 4 || shape[0] != 1 || shape[3] != channels)
        {
            throw new DatasetException($"the model's input [{string.Join(",", shape)}] ({_file.ColourLayout}) is not a picture");
        }
        Height = shape[1];
        Width = shape[2];
        Channels = channels;
        _tables = Enumerable.Range(0, channels).Select(c => _file.PixelTables[_file.PixelTables.Count == 1 ? 0 : c]).ToArray();
    }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int Classes => _file.Output.ElementCount;

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => _file.Labels;

    /// <summary>The int8 input codes of a picture (through the pixel tables).</summary>
    /// <param name="pixels">Pixel bytes.</param>
    /// <returns>The codes.</returns>
    public sbyte[] Codes(byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var q = new sbyte[pixels.Length];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = _tables[i % Channels][pixels[i]];
        }
        return q;
    }

    /// <inheritdoc/>
    public float[] Score(byte[] pixels) => ScoreCodes(Codes(pixels));

    /// <summary>The scores of an input tensor already in the model's int8 codes (a camera frame preprocessed as the
    /// firmware does it).</summary>
    /// <param name="codes">The input tensor.</param>
    /// <returns>The dequantised outputs.</returns>
    public float[] ScoreCodes(sbyte[] codes)
    {
        var output = NanonetEngine.Run(_blob, codes);
        var o = _file.Output;
        return Array.ConvertAll(output, q => o.Scale * (q - o.ZeroPoint));
    }
}

/// <summary>
/// A float model run by <see cref="FloatModel"/>. Pixels become q = pixel - 128 and then real = (q - zp) * scale
/// with the input parameters of the quantised model (default scale 1/255, zp -128), so float and int8 models see
/// the same picture.
/// </summary>
public sealed class FloatClassifier : IImageClassifier
{
    private readonly FloatModel _model;
    private readonly QuantParams _input;

    /// <summary>Creates the classifier.</summary>
    /// <param name="model">The float engine.</param>
    /// <param name="input">Input quantisation the pixels go through (default <see cref="FloatInput.DefaultParams"/>).</param>
    /// <exception cref="DatasetException">The model's input is not [1,H,W,1|3].</exception>
    public FloatClassifier(FloatModel model, QuantParams? input = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _input = input ?? FloatInput.DefaultParams;
        var shape = model.InputShape;
        if (shape.Count != 4 || shape[0] != 1 || shape[3] is not (1 or 3))
        {
            throw new DatasetException($"the model's input [{string.Join(",", shape)}] is not a [1,H,W,1|3] picture");
        }
        Height = shape[1];
        Width = shape[2];
        Channels = shape[3];
    }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int Classes => _model.OutputSize;

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => [];

    /// <inheritdoc/>
    public float[] Score(byte[] pixels) => _model.Run(FloatInput.Dequantize(FloatInput.Codes(pixels), _input));
}

/// <summary>A picture and its class index.</summary>
/// <param name="Path">The picture file.</param>
/// <param name="Label">Its class index.</param>
public sealed record LabelledImage(string Path, int Label);

/// <summary>Folders of pictures and labels files.</summary>
public static class Dataset
{
    /// <summary>
    /// The pictures in a folder and its subfolders (extensions the image pipeline decodes, any case), sorted by
    /// path (ordinal), so a folder laid out one subfolder a class works as it is. Hidden files and folders (a name
    /// starting with '.', such as macOS' "._photo.jpg" companions) are skipped.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <returns>Full paths.</returns>
    /// <exception cref="DatasetException">The folder is missing or holds no picture.</exception>
    public static IReadOnlyList<string> ListImages(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DatasetException(File.Exists(directory)
                ? $"image folder '{directory}' is a file, not a folder"
                : $"image folder '{directory}' not found");
        }
        List<string> files;
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            files = Directory.EnumerateFiles(directory, "*", options).Where(ImagePreprocessor.IsSupportedImage)
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"cannot list image folder '{directory}': {e.Message}");
        }
        if (files.Count == 0)
        {
            throw new DatasetException($"image folder '{directory}' holds no pictures ({string.Join(" ", ImagePreprocessor.SupportedExtensions)}), nor do its subfolders");
        }
        return files;
    }

    /// <summary>
    /// <paramref name="count"/> items spread evenly over a list (item <c>floor(i * n / count)</c> for i = 0 ..
    /// count - 1), so a sample of a folder sorted by class still covers every class; the whole list when it is not
    /// longer than count.
    /// </summary>
    /// <typeparam name="T">Item type.</typeparam>
    /// <param name="items">The list.</param>
    /// <param name="count">How many to take (at least 1).</param>
    /// <returns>The sample, in list order.</returns>
    public static IReadOnlyList<T> SpreadSample<T>(IReadOnlyList<T> items, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count >= items.Count)
        {
            return items;
        }
        var sample = new T[count];
        for (int i = 0; i < count; i++)
        {
            sample[i] = items[(int)((long)i * items.Count / count)];
        }
        return sample;
    }

    /// <summary>
    /// Reads a labels CSV (RFC 4180, read with CsvHelper: quoted fields may hold the separator; the separator
    /// (comma, semicolon, tab ...) is detected from the file; UTF-8 with or without BOM; blank lines skipped). One row per picture: the first
    /// column is the file name (a relative path is taken from <paramref name="imageDirectory"/>, an absolute one as it
    /// is), another holds the class index. Each picture may be listed once.
    /// <list type="bullet">
    /// <item>With a header row, <paramref name="labelColumn"/> names the label column; without a name, a column called
    /// "label" is used, or the second column when there are exactly two.</item>
    /// <item>A first row whose first field names a picture (a file with a picture extension) is data, not a header:
    /// the labels are then in the second column, and <paramref name="labelColumn"/> cannot be used.</item>
    /// </list>
    /// </summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="imageDirectory">Folder of the pictures.</param>
    /// <param name="labelColumn">Name of the label column, or null.</param>
    /// <returns>The pictures with their labels, in file order.</returns>
    /// <exception cref="DatasetException">Missing file or folder, missing column, bad label, listed picture missing, no rows.</exception>
    public static IReadOnlyList<LabelledImage> ReadLabels(string csvPath, string imageDirectory, string? labelColumn) =>
        ReadLabels(csvPath, imageDirectory, labelColumn, []);

    /// <summary>
    /// The same, where a label may also be one of the model's class names (matched ignoring case), and a picture listed
    /// by a bare file name that is not at the folder's top is found in its subfolders (refused, naming the places, when
    /// more than one subfolder has it).
    /// </summary>
    /// <param name="csvPath">The labels file.</param>
    /// <param name="imageDirectory">Folder of the pictures.</param>
    /// <param name="labelColumn">Name of the label column, or null.</param>
    /// <param name="classNames">The model's class names (may be empty).</param>
    /// <returns>The pictures with their labels, in file order.</returns>
    /// <exception cref="DatasetException">As the overload without class names, and for an ambiguous bare name.</exception>
    public static IReadOnlyList<LabelledImage> ReadLabels(string csvPath, string imageDirectory, string? labelColumn,
        IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(csvPath);
        ArgumentNullException.ThrowIfNull(imageDirectory);
        if (!Directory.Exists(imageDirectory))
        {
            throw new DatasetException(File.Exists(imageDirectory)
                ? $"image folder '{imageDirectory}' is a file, not a folder"
                : $"image folder '{imageDirectory}' not found");
        }
        var rows = ReadRows(csvPath);
        if (rows.Count == 0)
        {
            throw new DatasetException($"labels file '{csvPath}' is empty");
        }

        bool hasHeader = !ImagePreprocessor.IsSupportedImage(rows[0].Fields[0]);
        int col;
        if (!hasHeader)
        {
            if (labelColumn is not null)
            {
                throw new DatasetException(
                    $"labels file '{csvPath}' has no header row (its first row lists '{rows[0].Fields[0]}'), so it has no column '{labelColumn}': the labels are read from the second column");
            }
            col = 1;
        }
        else
        {
            var header = rows[0].Fields;
            if (labelColumn is not null)
            {
                col = Array.FindIndex(header, h => h == labelColumn);
                if (col < 0)
                {
                    throw new DatasetException($"labels file '{csvPath}' has no column '{labelColumn}' (columns: {string.Join(", ", header)})");
                }
                if (Array.FindLastIndex(header, h => h == labelColumn) != col)
                {
                    throw new DatasetException($"labels file '{csvPath}' has more than one column '{labelColumn}'");
                }
            }
            else
            {
                col = Array.FindIndex(header, h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
                if (col >= 0 && Array.FindLastIndex(header, h => h.Equals("label", StringComparison.OrdinalIgnoreCase)) != col)
                {
                    throw new DatasetException($"labels file '{csvPath}' has more than one column 'label': say which with --label-column");
                }
                if (col < 0 && header.Length == 2)
                {
                    col = 1;
                }
                if (col < 0)
                {
                    throw new DatasetException($"labels file '{csvPath}': say which column holds the class index with --label-column (columns: {string.Join(", ", header)})");
                }
            }
            if (col == 0)
            {
                throw new DatasetException($"labels file '{csvPath}': the first column is the file name, not a label");
            }
        }

        var result = new List<LabelledImage>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, List<string>>? byName = null; // file name -> paths under the folder, built on the first miss
        foreach (var (line, row) in rows.Skip(hasHeader ? 1 : 0))
        {
            if (row.Length <= col)
            {
                throw new DatasetException($"labels file '{csvPath}' line {line}: {row.Length} column(s), the label column is number {col + 1}");
            }
            if (!int.TryParse(row[col], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0)
            {
                int named = -1;
                for (int k = 0; k < classNames.Count; k++)
                {
                    if (string.Equals(classNames[k], row[col], StringComparison.OrdinalIgnoreCase))
                    {
                        named = k;
                        break;
                    }
                }
                if (named < 0)
                {
                    throw new DatasetException(classNames.Count == 0
                        ? $"labels file '{csvPath}' line {line}: label '{row[col]}' is not a class index (0, 1, ...)"
                        : $"labels file '{csvPath}' line {line}: label '{row[col]}' is neither a class index (0, 1, ...) nor a class name ({string.Join(", ", classNames)})");
                }
                label = named;
            }
            string path = Path.Combine(imageDirectory, row[0]);
            if (!File.Exists(path))
            {
                path = FindInSubfolders(csvPath, line, imageDirectory, row[0], ref byName);
            }
            if (!seen.TryAdd(Path.GetFullPath(path), line))
            {
                throw new DatasetException($"labels file '{csvPath}' line {line}: picture '{row[0]}' is listed twice (first on line {seen[Path.GetFullPath(path)]})");
            }
            result.Add(new LabelledImage(path, label));
        }
        if (result.Count == 0)
        {
            throw new DatasetException($"labels file '{csvPath}' lists no pictures");
        }
        return result;
    }

    /// <summary>
    /// One CSV row per picture, in input order: file (relative to the picture folder), label, predicted (class
    /// indices) and the predicted class's score, under a header row.
    /// </summary>
    /// <param name="images">The pictures evaluated.</param>
    /// <param name="result">Their evaluation.</param>
    /// <param name="imageDirectory">The picture folder the file names are relative to.</param>
    /// <returns>The CSV text.</returns>
    public static string PredictionsCsv(IReadOnlyList<LabelledImage> images, EvaluationResult result, string imageDirectory)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(imageDirectory);
        var ci = CultureInfo.InvariantCulture;
        using var text = new StringWriter(ci);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions(), true))
        {
            foreach (var field in new[] { "file", "label", "predicted", "score" })
            {
                csv.WriteField(field);
            }
            csv.EndRecord();
            for (int i = 0; i < images.Count; i++)
            {
                csv.WriteField(Path.GetRelativePath(imageDirectory, images[i].Path));
                csv.WriteField(images[i].Label.ToString(ci));
                csv.WriteField(result.Predictions[i].ToString(ci));
                csv.WriteField(i < result.Scores.Count ? result.Scores[i].ToString("0.######", ci) : string.Empty);
                csv.EndRecord();
            }
            csv.Flush();
        }
        return text.ToString();
    }

    /// <summary>A picture listed by a bare file name that is not at the folder's top: the one subfolder file of that name.</summary>
    private static string FindInSubfolders(string csvPath, int line, string imageDirectory, string listed,
        ref Dictionary<string, List<string>>? byName)
    {
        if (Path.GetFileName(listed) != listed || listed.Length == 0)
        {
            throw new DatasetException($"labels file '{csvPath}' line {line}: picture '{listed}' is not in '{imageDirectory}'");
        }
        if (byName is null)
        {
            byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            foreach (var file in Directory.EnumerateFiles(imageDirectory, "*", options))
            {
                var name = Path.GetFileName(file);
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = [];
                }
                list.Add(file);
            }
        }
        if (!byName.TryGetValue(listed, out var found) || found.Count == 0)
        {
            throw new DatasetException($"labels file '{csvPath}' line {line}: picture '{listed}' is not in '{imageDirectory}' nor in its subfolders");
        }
        if (found.Count > 1)
        {
            var places = found.Select(f => Path.GetRelativePath(imageDirectory, f)).Order(StringComparer.Ordinal).ToList();
            throw new DatasetException($"labels file '{csvPath}' line {line}: picture '{listed}' is in more than one subfolder ({string.Join(", ", places)}): list it with its folder");
        }
        return found[0];
    }

    /// <summary>Largest labels file read: 64 MiB (about a million rows).</summary>
    public const long MaxLabelsFileBytes = 64L << 20;

    /// <summary>The non-blank records of a CSV file with the line each starts on, fields trimmed.</summary>
    private static List<(int Line, string[] Fields)> ReadRows(string csvPath)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = false, // the caller decides what the first row is
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow, // short rows get a message naming their line
        };
        var rows = new List<(int, string[])>();
        try
        {
            using var reader = CsvReader.Create(InputFile.ReadAllBytes(csvPath, MaxLabelsFileBytes), options);
            while (reader.Read())
            {
                var fields = new string[reader.FieldCount];
                for (int i = 0; i < fields.Length; i++)
                {
                    fields[i] = reader.GetString(i);
                }
                if (fields.All(string.IsNullOrEmpty))
                {
                    continue;
                }
                rows.Add(((int)reader.LineNumber, fields));
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetException($"labels file '{csvPath}' not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"cannot read labels file '{csvPath}': {e.Message}");
        }
        catch (CsvFormatException e)
        {
            throw new DatasetException($"labels file '{csvPath}' is not valid CSV: {e.Message}");
        }
        return rows;
    }
}

/// <summary>The outcome of an evaluation.</summary>
/// <param name="Classes">Number of classes.</param>
/// <param name="Labels">Class names (may be empty).</param>
/// <param name="Confusion">Confusion[true, predicted] counts.</param>
/// <param name="Predictions">Predicted class per picture, in input order.</param>
public sealed record EvaluationResult(int Classes, IReadOnlyList<string> Labels, int[,] Confusion, int[] Predictions)
{
    /// <summary>The predicted class's score per picture, in input order (empty when not recorded).</summary>
    public IReadOnlyList<double> Scores { get; init; } = [];

    /// <summary>Pictures evaluated.</summary>
    public int Total => Predictions.Length;

    /// <summary>Pictures whose top-1 class is their label.</summary>
    public int Correct
    {
        get
        {
            int c = 0;
            for (int k = 0; k < Classes; k++)
            {
                c += Confusion[k, k];
            }
            return c;
        }
    }

    /// <summary>Top-1 accuracy as a fraction.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Pictures whose label is this class.</summary>
    /// <param name="k">Class index.</param>
    /// <returns>The count.</returns>
    public int CountOf(int k)
    {
        int n = 0;
        for (int p = 0; p < Classes; p++)
        {
            n += Confusion[k, p];
        }
        return n;
    }
}

/// <summary>Top-1 evaluation of a classifier on labelled pictures.</summary>
public static class Evaluator
{
    /// <summary>Index of the largest value (the first on ties).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">The values.</param>
    /// <returns>The index.</returns>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : IComparable<T>
    {
        int top = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i].CompareTo(values[top]) > 0)
            {
                top = i;
            }
        }
        return top;
    }

    /// <summary>Index of the largest value (the first on ties).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The index.</returns>
    public static int ArgMax(float[] values) => ArgMax<float>(values);

    /// <summary>Index of the largest value (the first on ties).</summary>
    /// <param name="values">The values.</param>
    /// <returns>The index.</returns>
    public static int ArgMax(sbyte[] values) => ArgMax<sbyte>(values);

    /// <summary>Loads the pixels of pictures for a classifier's input (decode, resize, colour), in parallel.</summary>
    /// <param name="paths">The pictures.</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="progress">Called with (done, total) after each picture.</param>
    /// <returns>One pixel array per picture.</returns>
    /// <exception cref="ImageDecodeException">A picture is missing or broken (the first in input order is reported).</exception>
    public static byte[][] LoadPixels(IReadOnlyList<string> paths, int height, int width, int channels, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new byte[paths.Count][];
        var errors = new ImageDecodeException?[paths.Count];
        int done = 0;
        var gate = new object();
        Parallel.For(0, paths.Count, i =>
        {
            try
            {
                result[i] = ImagePreprocessor.LoadPixels(paths[i], height, width, channels);
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e;
            }
            lock (gate)
            {
                progress?.Invoke(++done, paths.Count);
            }
        });
        foreach (var e in errors)
        {
            if (e is not null)
            {
                throw e;
            }
        }
        return result;
    }

    /// <summary>Every label must be a class of the model: 0 .. classes - 1.</summary>
    private static void CheckLabels(int classes, IReadOnlyList<int> labels, Func<int, string> pictureName)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new DatasetException($"label {labels[i]} of {pictureName(i)} is not a class of this model (0..{classes - 1})");
            }
        }
    }

    /// <summary>Evaluates pictures already loaded as pixels.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="pixels">Pixels per picture (the classifier's input size).</param>
    /// <param name="labels">Label per picture.</param>
    /// <param name="progress">Called with (done, total) after each picture.</param>
    /// <returns>The result.</returns>
    /// <exception cref="DatasetException">A label is not below the classifier's class count.</exception>
    public static EvaluationResult Evaluate(IImageClassifier classifier, IReadOnlyList<byte[]> pixels, IReadOnlyList<int> labels,
        Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Count != labels.Count)
        {
            throw new ArgumentException("one label per picture is required", nameof(labels));
        }
        return Evaluate(classifier.Classes, classifier.Labels, pixels.Count, i => classifier.Score(pixels[i]), labels, progress);
    }

    /// <summary>Evaluates int8 input tensors (camera frames preprocessed as the firmware does it) with their labels.</summary>
    /// <param name="classifier">The int8 model.</param>
    /// <param name="codes">One input tensor per picture.</param>
    /// <param name="labels">One label per tensor.</param>
    /// <param name="progress">Progress callback (done, total), or null.</param>
    /// <returns>Counts and the confusion matrix.</returns>
    public static EvaluationResult EvaluateCodes(Int8Classifier classifier, IReadOnlyList<sbyte[]> codes, IReadOnlyList<int> labels,
        Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(labels);
        if (codes.Count != labels.Count)
        {
            throw new ArgumentException("one label per tensor is required", nameof(labels));
        }
        return Evaluate(classifier.Classes, classifier.Labels, codes.Count, i => classifier.ScoreCodes(codes[i]), labels, progress);
    }

    private static EvaluationResult Evaluate(int classes, IReadOnlyList<string> classNames, int count, Func<int, float[]> score,
        IReadOnlyList<int> labels, Action<int, int>? progress)
    {
        CheckLabels(classes, labels, i => $"picture {i + 1}");
        var predictions = new int[count];
        var topScores = new double[count];
        int done = 0;
        var gate = new object();
        Parallel.For(0, count, i =>
        {
            var scores = score(i);
            predictions[i] = ArgMax(scores);
            topScores[i] = scores[predictions[i]];
            lock (gate)
            {
                progress?.Invoke(++done, count);
            }
        });
        var confusion = new int[classes, classes];
        for (int i = 0; i < predictions.Length; i++)
        {
            confusion[labels[i], predictions[i]]++;
        }
        return new EvaluationResult(classes, classNames, confusion, predictions) { Scores = topScores };
    }

    /// <summary>Loads and evaluates labelled pictures.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="images">The pictures and labels.</param>
    /// <param name="progress">Called with (stage, done, total).</param>
    /// <returns>The result.</returns>
    public static EvaluationResult Evaluate(IImageClassifier classifier, IReadOnlyList<LabelledImage> images,
        Action<string, int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(images);
        // labels first: a wrong CSV is reported before any picture is decoded, naming the picture
        CheckLabels(classifier.Classes, images.Select(i => i.Label).ToList(), i => $"'{Path.GetFileName(images[i].Path)}'");

        var pixels = LoadPixels(images.Select(i => i.Path).ToList(), classifier.Height, classifier.Width, classifier.Channels,
            progress is null ? null : (d, t) => progress("loading pictures", d, t));
        return Evaluate(classifier, pixels, images.Select(i => i.Label).ToList(),
            progress is null ? null : (d, t) => progress("evaluating", d, t));
    }
}

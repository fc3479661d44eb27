using System.CommandLine;
using System.Globalization;
using Nanonet.Quantization;
using Spectre.Console;

namespace Nanonet.Cli;

/// <summary>
/// <c>nanonet eval MODEL --images DIR --labels CSV [--label-column NAME] [--float]</c>: top-1 accuracy, per-class
/// counts and a confusion matrix; the last line is <c>accuracy X</c> with X a fraction.
/// </summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="stdout">Where the results go.</param>
    /// <returns>The command.</returns>
    public static Command Create(TextWriter stdout)
    {
        var model = new Argument<string>("MODEL")
        {
            Description = "A packed model (.nnb), an int8 .tflite (packed in memory), or with --float a float32 .tflite.",
        };
        var images = new Option<string>("--images") { Description = "Folder of the pictures.", Required = true };
        var labels = new Option<string>("--labels", "-l")
        {
            Description = "CSV with a header row: first column the file name, a label column the class index.",
            Required = true,
        };
        var column = new Option<string?>("--label-column")
        {
            Description = "Name of the label column (default: a column named 'label', or the second of two).",
        };
        var isFloat = new Option<bool>("--float") { Description = "MODEL is a float32 .tflite: run it with the float reference engine." };
        var format = JsonOutput.FormatOption();
        var predictions = new Option<string?>("--predictions")
        {
            Description = "Also write one CSV row per picture to FILE.csv: file, label, predicted, score.",
        };
        var frame = CameraFrame.FrameOption();
        var command = new Command("eval", "Top-1 accuracy of a model on labelled pictures.") { model, images, labels, column, isFloat, format, predictions, frame };
        command.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(images)!, parse.GetValue(labels)!,
            parse.GetValue(column), parse.GetValue(isFloat), parse.GetValue(format) == "json", parse.GetValue(predictions), stdout,
            parse.GetValue(frame) is { } f ? CameraFrame.Parse(f) : null));
        return command;
    }

    /// <summary>The model as a classifier, and for an int8 model its packed bytes (null for --float).</summary>
    private static (IImageClassifier Classifier, byte[]? Blob) LoadClassifier(string path, bool isFloat)
    {
        if (isFloat)
        {
            var (_, engine) = QuantizeCommand.LoadFloatModel(path);
            try
            {
                return (new FloatClassifier(engine), null);
            }
            catch (DatasetException ex)
            {
                throw new CliException($"'{path}': {ex.Message}");
            }
        }

        var bytes = ModelLoader.ReadFile(path, "model");
        if (ModelLoader.IsTflite(bytes) && ModelLoader.IsFloatModel(bytes)) // a broken .tflite: ModelLoader reports it below
        {
            throw new CliException($"'{path}' is a float model: evaluate it with --float, or quantise it first");
        }

        var loaded = ModelLoader.Load(path);
        try
        {
            return (new Int8Classifier(loaded.Blob), loaded.Blob);
        }
        catch (DatasetException ex)
        {
            throw new CliException($"'{path}': {ex.Message}");
        }
    }

    private static string ClassName(EvaluationResult r, int k) =>
        k < r.Labels.Count ? $"{k} {r.Labels[k]}" : k.ToString(CultureInfo.InvariantCulture);

    /// <summary>Misclassified pictures the text report lists before it says how many more there are.</summary>
    public const int MaxListed = 50;

    private static int Execute(string modelPath, string imagesDir, string labelsPath, string? column, bool isFloat, bool json,
        string? predictionsPath, TextWriter stdout, CameraFrame.Spec? frame = null)
    {
        if (frame is not null && isFloat)
        {
            throw new CliException("--frame evaluates int8 models (the firmware's preprocessing makes int8 tensors), not --float");
        }

        if (predictionsPath is not null)
        {
            OutputFile.CheckWritable(predictionsPath, "--predictions", modelPath, labelsPath);
        }

        var (classifier, blob) = LoadClassifier(modelPath, isFloat);
        IReadOnlyList<LabelledImage> images;
        try
        {
            // a label is a class index or one of the model's class names
            images = Dataset.ReadLabels(labelsPath, imagesDir, column, classifier.Labels);
        }
        catch (DatasetException ex)
        {
            throw new CliException(ex.Message);
        }

        EvaluationResult result;
        try
        {
            if (frame is not null && blob is not null)
            {
                // raw camera frames, through the firmware's own preprocessing
                var frames = new CameraFrame.Reader(blob, frame);
                var codes = images.Select(im => frames.Load(im.Path)).ToList();
                result = Evaluator.EvaluateCodes((Int8Classifier)classifier, codes, images.Select(i => i.Label).ToList());
            }
            else
            {
                // no progress bar beside a JSON document
                result = json ? Evaluator.Evaluate(classifier, images, null) : CliProgress.Run(stdout, progress => Evaluator.Evaluate(classifier, images, progress));
            }
        }
        catch (DatasetException ex)
        {
            throw new CliException(ex.Message);
        }

        if (predictionsPath is not null)
        {
            OutputFile.Write(predictionsPath, "--predictions", new System.Text.UTF8Encoding(false).GetBytes(Dataset.PredictionsCsv(images, result, imagesDir)));
        }

        if (json)
        {
            var matrix = new int[result.Classes][];
            for (int t = 0; t < result.Classes; t++)
            {
                matrix[t] = Enumerable.Range(0, result.Classes).Select(p => result.Confusion[t, p]).ToArray();
            }

            JsonOutput.Write(stdout, new Dictionary<string, object?>
            {
                ["model"] = modelPath,
                ["engine"] = isFloat ? "float_reference" : "nanonet_int8",
                ["pictures"] = result.Total,
                ["correct"] = result.Correct,
                ["accuracy"] = result.Accuracy,
                ["labels"] = result.Labels,
                ["classes"] = Enumerable.Range(0, result.Classes).Select(k => new Dictionary<string, object?>
                {
                    ["class"] = k, ["label"] = k < result.Labels.Count ? result.Labels[k] : null,
                    ["pictures"] = result.CountOf(k), ["predicted"] = Enumerable.Range(0, result.Classes).Sum(t => result.Confusion[t, k]),
                    ["correct"] = result.Confusion[k, k],
                }).ToArray(),
                ["confusion"] = matrix,
                ["predictions"] = images.Select((im, i) => new Dictionary<string, object?>
                {
                    ["file"] = im.Path, ["label"] = im.Label, ["predicted"] = result.Predictions[i],
                }).ToArray(),
            });
            return 0;
        }

        var console = InspectCommand.CreateConsole(stdout);
        var perClass = new Table().Border(TableBorder.Ascii);
        perClass.AddColumn("class");
        perClass.AddColumn(new TableColumn("pictures").RightAligned());
        perClass.AddColumn(new TableColumn("predicted").RightAligned());
        perClass.AddColumn(new TableColumn("correct").RightAligned());
        perClass.AddColumn(new TableColumn("recall").RightAligned());
        for (int k = 0; k < result.Classes; k++)
        {
            int count = result.CountOf(k);
            int predicted = 0;
            for (int t = 0; t < result.Classes; t++)
            {
                predicted += result.Confusion[t, k];
            }

            perClass.AddRow(
                Markup.Escape(ClassName(result, k)),
                count.ToString(CultureInfo.InvariantCulture),
                predicted.ToString(CultureInfo.InvariantCulture),
                result.Confusion[k, k].ToString(CultureInfo.InvariantCulture),
                count == 0 ? "-" : ((double)result.Confusion[k, k] / count).ToString("0.0000", CultureInfo.InvariantCulture));
        }

        console.Write(perClass);
        stdout.WriteLine("confusion matrix (rows: label, columns: predicted)");
        var confusion = new Table().Border(TableBorder.Ascii);
        confusion.AddColumn("label \\ predicted");
        for (int k = 0; k < result.Classes; k++)
        {
            confusion.AddColumn(new TableColumn(Markup.Escape(ClassName(result, k))).RightAligned());
        }

        for (int t = 0; t < result.Classes; t++)
        {
            var row = new List<string> { Markup.Escape(ClassName(result, t)) };
            for (int p = 0; p < result.Classes; p++)
            {
                row.Add(result.Confusion[t, p].ToString(CultureInfo.InvariantCulture));
            }

            confusion.AddRow(row.ToArray());
        }

        console.Write(confusion);
        var wrong = Enumerable.Range(0, images.Count).Where(i => result.Predictions[i] != images[i].Label).ToList();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"misclassified: {wrong.Count}"));
        foreach (int i in wrong.Take(MaxListed))
        {
            string score = i < result.Scores.Count ? " (" + result.Scores[i].ToString("0.####", CultureInfo.InvariantCulture) + ")" : string.Empty;
            stdout.WriteLine($"  {Path.GetRelativePath(imagesDir, images[i].Path)}: label {ClassName(result, images[i].Label)}, predicted {ClassName(result, result.Predictions[i])}{score}");
        }

        if (wrong.Count > MaxListed)
        {
            string where = predictionsPath is null ? " (all of them with --predictions FILE.csv)" : $" (all in {predictionsPath})";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ... and {wrong.Count - MaxListed} more{where}"));
        }

        if (predictionsPath is not null)
        {
            stdout.WriteLine($"predictions written to {predictionsPath}");
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {modelPath} ({(isFloat ? "float, reference engine" : "int8, Nanonet engine")})"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pictures: {result.Total}, correct: {result.Correct}"));
        stdout.WriteLine("accuracy " + result.Accuracy.ToString("0.######", CultureInfo.InvariantCulture));
        return 0;
    }
}

using Nanonet.Packing;
using Nanonet.Tflite;

namespace Nanonet.Quantization.Tests;

/// <summary>
/// Issue #4's acceptance figures on coco64 (label column person_vww_0p5pct): the float MLPerf Tiny VWW model, the
/// model quantised here with the coco64 pictures (min/max calibration), and the published int8 model, all fed by the
/// same image pipeline. The figures are in docs/quantization.md.
/// </summary>
public sealed class AcceptanceTests
{
    [Fact]
    public void QuantisedVwwAgreesWithFloatAndKeepsItsAccuracy()
    {
        var images = Dataset.ReadLabels(TestPaths.Coco64Labels, TestPaths.Coco64Images, "person_vww_0p5pct");
        Assert.Equal(64, images.Count);
        var pixels = Evaluator.LoadPixels(images.Select(i => i.Path).ToList(), 96, 96, 3);
        var labels = images.Select(i => i.Label).ToList();

        var floatModel = TfliteModel.Parse(File.ReadAllBytes(TestPaths.RefModel("mlperf_tiny_vww_96_float.tflite")));
        var fl = Evaluator.Evaluate(new FloatClassifier(FloatModel.Create(floatModel)), pixels, labels);

        // calibration on the same 64 pictures (min/max statistics do not depend on their order)
        var q = Quantizer.Quantize(floatModel, pixels.Select(p => FloatInput.Codes(p)).ToList(), new QuantizeOptions());
        var qe = Evaluator.Evaluate(new Int8Classifier(q.Packed), pixels, labels);

        var reference = Packer.PackTflite(File.ReadAllBytes(TestPaths.RefModel("mlperf_tiny_vww_96_int8.tflite")), new PackOptions());
        var re = Evaluator.Evaluate(new Int8Classifier(reference), pixels, labels);

        int agree = qe.Predictions.Zip(fl.Predictions).Count(p => p.First == p.Second);
        Assert.True(agree >= 0.97 * 64, $"top-1 agreement {agree}/64");
        Assert.True(Math.Abs(qe.Accuracy - fl.Accuracy) <= 0.015, $"quantised {qe.Accuracy} vs float {fl.Accuracy}");
        Assert.True(Math.Abs(qe.Accuracy - re.Accuracy) <= 0.015, $"quantised {qe.Accuracy} vs published int8 {re.Accuracy}");

        // figures recorded in docs/quantization.md
        Assert.Equal(54, fl.Correct);
        Assert.Equal(54, qe.Correct);
        Assert.Equal(54, re.Correct);
        Assert.Equal(64, agree);
    }
}

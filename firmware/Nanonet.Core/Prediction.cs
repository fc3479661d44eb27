namespace Nanonet.Core
{
    /// <summary>One class of a classification: its index, label, raw int8 output and dequantised score.</summary>
    public sealed class Prediction
    {
        /// <summary>Creates a prediction.</summary>
        /// <param name="index">Class index (position in the output tensor).</param>
        /// <param name="label">Class label.</param>
        /// <param name="value">Raw int8 output.</param>
        /// <param name="scoreMilli">Dequantised score in thousandths.</param>
        public Prediction(int index, string label, int value, int scoreMilli)
        {
            Index = index;
            Label = label;
            Value = value;
            ScoreMilli = scoreMilli;
        }

        /// <summary>Class index.</summary>
        public int Index { get; private set; }

        /// <summary>Class label (the model's, or "class N").</summary>
        public string Label { get; private set; }

        /// <summary>The raw int8 output value.</summary>
        public int Value { get; private set; }

        /// <summary>
        /// The dequantised score scale * (value - zero_point) in thousandths, rounded half away from zero
        /// (per-mille: a softmax output of probability 0.8867 gives 887).
        /// </summary>
        public int ScoreMilli { get; private set; }

        /// <summary>The score as text with three decimals, e.g. "0.887" or "-1.250".</summary>
        /// <returns>The formatted score.</returns>
        public string ScoreText()
        {
            return TopK.FormatMilli(ScoreMilli);
        }
    }
}

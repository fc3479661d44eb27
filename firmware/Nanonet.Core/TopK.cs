namespace Nanonet.Core
{
    /// <summary>
    /// Picks the k best classes of an int8 output tensor: sorted by raw value, highest first (the dequantised score
    /// is monotonic in it), ties broken by the lower index. Scores are dequantised as scale * (value - zero_point)
    /// with the output tensor's scale and zero point, reported in thousandths (<see cref="Prediction.ScoreMilli"/>).
    /// </summary>
    public static class TopK
    {
        /// <summary>The k best classes.</summary>
        /// <param name="outputs">The int8 outputs (one per class).</param>
        /// <param name="k">How many (1 .. outputs.Length; larger is clamped to the class count).</param>
        /// <param name="model">The model (labels, output scale and zero point).</param>
        /// <returns>k predictions, best first.</returns>
        public static Prediction[] Select(sbyte[] outputs, int k, ModelInfo model)
        {
            if (outputs == null || model == null)
            {
                throw new System.ArgumentNullException(outputs == null ? "outputs" : "model");
            }

            if (k < 1)
            {
                throw new System.ArgumentOutOfRangeException("k", "k must be at least 1");
            }

            int n = outputs.Length;
            if (k > n)
            {
                k = n;
            }

            var best = new int[k];
            int filled = 0;
            for (int i = 0; i < n; i++)
            {
                // Insert i if it beats the worst kept one; equal values keep the earlier (lower) index first.
                int pos = filled;
                while (pos > 0 && outputs[best[pos - 1]] < outputs[i])
                {
                    pos--;
                }

                if (pos >= k)
                {
                    continue;
                }

                int last = filled < k ? filled : k - 1;
                for (int j = last; j > pos; j--)
                {
                    best[j] = best[j - 1];
                }

                best[pos] = i;
                if (filled < k)
                {
                    filled++;
                }
            }

            var result = new Prediction[k];
            for (int j = 0; j < k; j++)
            {
                int index = best[j];
                result[j] = new Prediction(index, model.LabelOf(index), outputs[index], Milli(model.OutputScale, outputs[index] - model.OutputZeroPoint));
            }

            return result;
        }

        /// <summary>1000 * scale * delta rounded half away from zero, clamped to the int range (0 for a NaN scale).</summary>
        /// <param name="scale">Tensor scale.</param>
        /// <param name="delta">value - zero_point.</param>
        /// <returns>Thousandths.</returns>
        public static int Milli(float scale, int delta)
        {
            double x = (double)scale * delta * 1000.0;
            if (double.IsNaN(x))
            {
                return 0;
            }

            if (x >= int.MaxValue)
            {
                return int.MaxValue;
            }

            if (x <= int.MinValue)
            {
                return int.MinValue;
            }

            return x >= 0 ? (int)(x + 0.5) : -(int)(-x + 0.5);
        }

        /// <summary>Thousandths as a decimal with three places: 887 gives "0.887", -1250 gives "-1.250".</summary>
        /// <param name="milli">The value in thousandths.</param>
        /// <returns>The text.</returns>
        public static string FormatMilli(int milli)
        {
            long v = milli;
            string sign = v < 0 ? "-" : string.Empty;
            if (v < 0)
            {
                v = -v;
            }

            string frac = (v % 1000).ToString();
            while (frac.Length < 3)
            {
                frac = "0" + frac;
            }

            return sign + (v / 1000).ToString() + "." + frac;
        }
    }
}

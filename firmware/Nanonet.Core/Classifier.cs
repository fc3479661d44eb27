using Nanonet.Core.Protocol;

namespace Nanonet.Core
{
    /// <summary>
    /// Runs the engine on one model: validates and plans it once, owns the output buffer, turns outputs into a
    /// <see cref="ClassificationReply"/> (outputs, top-k, microseconds, peak bytes).
    /// </summary>
    public sealed class Classifier
    {
        private readonly byte[] blob;
        private readonly IInferenceEngine engine;
        private readonly sbyte[] output;

        /// <summary>Validates and plans the model.</summary>
        /// <param name="blob">The .nnb blob.</param>
        /// <param name="model">Its parsed header.</param>
        /// <param name="engine">The engine.</param>
        /// <exception cref="InferenceException">The engine rejects the model.</exception>
        public Classifier(byte[] blob, ModelInfo model, IInferenceEngine engine)
        {
            if (blob == null || model == null || engine == null)
            {
                throw new System.ArgumentNullException(blob == null ? "blob" : (model == null ? "model" : "engine"));
            }

            this.blob = blob;
            this.engine = engine;
            Model = model;
            int status = engine.Validate(blob);
            if (status != 0)
            {
                throw new InferenceException(status, engine.StatusName(status), "the engine rejects the model");
            }

            int arena;
            status = engine.Plan(blob, out arena);
            if (status != 0)
            {
                throw new InferenceException(status, engine.StatusName(status), "the engine cannot plan the model");
            }

            ArenaBytes = arena;
            PeakBytes = arena;
            output = new sbyte[model.OutputElements];
        }

        /// <summary>The model.</summary>
        public ModelInfo Model { get; private set; }

        /// <summary>The arena size of the plan.</summary>
        public int ArenaBytes { get; private set; }

        /// <summary>Peak bytes of the last inference (the arena size before the first).</summary>
        public int PeakBytes { get; private set; }

        /// <summary>Runs one inference and picks the top k.</summary>
        /// <param name="input">The int8 input (exactly Model.InputElements values).</param>
        /// <param name="k">Classes wanted (clamped to 1 .. the class count).</param>
        /// <returns>The classification.</returns>
        /// <exception cref="InferenceException">The engine failed.</exception>
        public ClassificationReply Classify(sbyte[] input, int k)
        {
            int us;
            int peak;
            Run(input, out us, out peak);
            var outputs = new sbyte[output.Length];
            System.Array.Copy(output, outputs, output.Length);
            var reply = new ClassificationReply();
            reply.Microseconds = us;
            reply.PeakBytes = peak;
            reply.Outputs = outputs;
            reply.Top = TopK.Select(outputs, k < 1 ? 1 : k, Model);
            return reply;
        }

        /// <summary>Runs one inference, keeping the outputs in the internal buffer (benchmarks).</summary>
        /// <param name="input">The int8 input.</param>
        /// <param name="microseconds">Receives the time.</param>
        /// <param name="peakBytes">Receives the peak bytes.</param>
        public void Run(sbyte[] input, out int microseconds, out int peakBytes)
        {
            if (input == null || input.Length != Model.InputElements)
            {
                throw new System.ArgumentException("the input must hold " + Model.InputElements.ToString() + " values");
            }

            int status = engine.Run(blob, input, output, out microseconds, out peakBytes);
            if (status != 0)
            {
                throw new InferenceException(status, engine.StatusName(status), "inference failed");
            }

            PeakBytes = peakBytes;
        }
    }
}

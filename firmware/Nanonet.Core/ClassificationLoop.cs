using Nanonet.Core.Protocol;

namespace Nanonet.Core
{
    /// <summary>
    /// The firmware's main loop. Each <see cref="Step"/>: move serial bytes into the dispatcher, serve at most one
    /// request (at most one inference), then one camera classification: capture, preprocess, infer, top-k, one text
    /// line, and a STREAM_RESULT frame when streaming is on. A request therefore waits at most one camera inference,
    /// and the camera waits at most one request's inference. Camera and engine failures become an "error ..." line;
    /// no exception leaves <see cref="Step"/>.
    /// <para>
    /// Line format: <c>label score us peak_bytes</c>, e.g. <c>person 0.887 52341 16463</c>: the top-1 label with
    /// spaces replaced by '_', its dequantised score with three decimals, the inference microseconds and the engine's
    /// peak bytes. Failures: <c>error camera MESSAGE</c>, <c>error engine NN_ERR_...: MESSAGE</c>,
    /// <c>error preprocess MESSAGE</c>, <c>error serial MESSAGE</c>.
    /// </para>
    /// </summary>
    public sealed class ClassificationLoop
    {
        private readonly Dispatcher dispatcher;
        private readonly Classifier classifier;
        private readonly FramePreprocessor preprocessor;
        private readonly ICamera camera;
        private readonly ILineSink lines;
        private readonly int topK;
        private readonly byte[] frame;
        private readonly sbyte[] tensor;
        private bool stop;

        /// <summary>Creates the loop.</summary>
        /// <param name="dispatcher">The request dispatcher.</param>
        /// <param name="classifier">Runs the engine.</param>
        /// <param name="camera">The camera, or null for a board without one (then only requests are served).</param>
        /// <param name="lines">Where lines go.</param>
        /// <param name="topK">Classes computed per camera frame when not streaming (at least 1).</param>
        public ClassificationLoop(Dispatcher dispatcher, Classifier classifier, ICamera camera, ILineSink lines, int topK)
        {
            if (dispatcher == null || classifier == null || lines == null)
            {
                throw new System.ArgumentNullException("dispatcher, classifier and lines are required");
            }

            this.dispatcher = dispatcher;
            this.classifier = classifier;
            this.camera = camera;
            this.lines = lines;
            this.topK = topK < 1 ? 1 : topK;
            dispatcher.HasCamera = camera != null;
            if (camera != null)
            {
                preprocessor = new FramePreprocessor(classifier.Model);
                frame = new byte[camera.Width * camera.Height * PixelFormat.BytesPerPixel(camera.Format)];
                tensor = new sbyte[preprocessor.TensorLength];
            }
        }

        /// <summary>Camera frames classified.</summary>
        public long Frames { get; private set; }

        /// <summary>Camera or engine failures survived.</summary>
        public long Failures { get; private set; }

        /// <summary>Runs <see cref="Step"/> until <see cref="Stop"/> is called.</summary>
        public void Run()
        {
            stop = false;
            while (!stop)
            {
                Step();
            }
        }

        /// <summary>Makes <see cref="Run"/> return after the current step.</summary>
        public void Stop()
        {
            stop = true;
        }

        /// <summary>One iteration: serial bytes, at most one request, one camera classification.</summary>
        public void Step()
        {
            try
            {
                dispatcher.Poll();
            }
            catch (System.Exception ex)
            {
                Fail("error serial " + ex.Message);
            }

            try
            {
                dispatcher.ServeOne();
            }
            catch (System.Exception ex)
            {
                Fail("error serial " + ex.Message);
            }

            if (camera != null)
            {
                CameraStep();
            }
        }

        /// <summary>The text line of a classification.</summary>
        /// <param name="top">The best class.</param>
        /// <param name="microseconds">Inference time.</param>
        /// <param name="peakBytes">Engine peak bytes.</param>
        /// <returns><c>label score us peak_bytes</c>.</returns>
        public static string FormatLine(Prediction top, long microseconds, long peakBytes)
        {
            string label = top.Label.Length == 0 ? "class_" + top.Index.ToString() : Underscores(top.Label);
            return label + " " + top.ScoreText() + " " + microseconds.ToString() + " " + peakBytes.ToString();
        }

        private static string Underscores(string text)
        {
            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == ' ')
                {
                    chars[i] = '_';
                }
            }

            return new string(chars);
        }

        private void CameraStep()
        {
            int status;
            try
            {
                status = camera.Capture(frame);
            }
            catch (System.Exception ex)
            {
                Fail("error camera " + ex.Message);
                return;
            }

            if (status != 0)
            {
                Fail("error camera " + SafeMessage(status));
                return;
            }

            try
            {
                preprocessor.Process(frame, 0, camera.Format, camera.Width, camera.Height, tensor);
            }
            catch (System.Exception ex)
            {
                Fail("error preprocess " + ex.Message);
                return;
            }

            ClassificationReply result;
            try
            {
                result = classifier.Classify(tensor, dispatcher.Streaming ? dispatcher.StreamTopK : dispatcher.ClampTopK(topK));
            }
            catch (InferenceException ex)
            {
                Fail("error engine " + ex.Message);
                return;
            }
            catch (System.Exception ex)
            {
                Fail("error engine " + ex.Message);
                return;
            }

            Frames++;
            try
            {
                lines.WriteLine(FormatLine(result.Top[0], result.Microseconds, result.PeakBytes));
                if (dispatcher.Streaming)
                {
                    dispatcher.PublishStreamResult(result);
                }
            }
            catch (System.Exception ex)
            {
                Fail("error serial " + ex.Message);
            }
        }

        private string SafeMessage(int status)
        {
            try
            {
                return "status " + status.ToString() + ": " + camera.StatusMessage(status);
            }
            catch (System.Exception)
            {
                return "status " + status.ToString();
            }
        }

        private void Fail(string line)
        {
            Failures++;
            try
            {
                lines.WriteLine(line);
            }
            catch (System.Exception)
            {
                // the console itself failed: nothing left to tell
            }
        }
    }
}

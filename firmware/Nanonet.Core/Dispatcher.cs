using Nanonet.Core.Protocol;

namespace Nanonet.Core
{
    /// <summary>
    /// Serves serial requests (docs/serial-protocol.md) without ever holding up the camera loop for more than one
    /// inference: <see cref="Poll"/> only moves bytes into the frame decoder (decoded requests wait in a queue of
    /// <see cref="QueueCapacity"/>; one more gets a BUSY error), and <see cref="ServeOne"/> serves at most one
    /// request, or one iteration of a BENCH in progress, per call. The classification loop calls both between two
    /// camera inferences. Every failure becomes an ERROR reply; no exception leaves <see cref="ServeOne"/>.
    /// </summary>
    public sealed class Dispatcher : IFrameListener
    {
        /// <summary>Requests that may wait to be served.</summary>
        public const int QueueCapacity = 4;

        /// <summary>Classes in a reply when the request asks for 0.</summary>
        public const int DefaultTopK = 3;

        /// <summary>A partial frame is dropped after this long without a byte (the client went away mid-frame).</summary>
        public const long IdleTimeoutMicroseconds = 500000;

        private readonly FrameDecoder decoder;
        private readonly byte[] blob;
        private readonly ModelInfo model;
        private readonly Classifier classifier;
        private readonly FramePreprocessor preprocessor;
        private readonly ISerialLink link;
        private readonly IClock clock;
        private readonly IMemoryInfo memory;
        private readonly string firmwareVersion;
        private readonly string modelName;
        private readonly Frame[] queue = new Frame[QueueCapacity];
        private readonly byte[] readBuffer = new byte[1024];
        private int queueHead;
        private int queueCount;
        private long lastByteAt;
        private long streamCount;
        private sbyte[] frameTensor;
        private int benchSequence;
        private int benchTotal;
        private int benchDone;
        private int[] benchTimes;
        private sbyte[] benchInput;
        private int benchPeak;

        /// <summary>Creates the dispatcher.</summary>
        /// <param name="blob">The model blob.</param>
        /// <param name="classifier">Runs the engine on the model.</param>
        /// <param name="link">The serial link (replies are written to it).</param>
        /// <param name="clock">The clock.</param>
        /// <param name="memory">Free memory (INFO).</param>
        /// <param name="firmwareVersion">Firmware version (INFO).</param>
        /// <param name="modelName">Model name (INFO; the format has none, so the app names it).</param>
        public Dispatcher(byte[] blob, Classifier classifier, ISerialLink link, IClock clock, IMemoryInfo memory, string firmwareVersion, string modelName)
        {
            if (blob == null || classifier == null || link == null || clock == null || memory == null)
            {
                throw new System.ArgumentNullException("blob, classifier, link, clock and memory are required");
            }

            this.blob = blob;
            this.classifier = classifier;
            this.link = link;
            this.clock = clock;
            this.memory = memory;
            this.firmwareVersion = firmwareVersion ?? string.Empty;
            this.modelName = modelName ?? string.Empty;
            model = classifier.Model;
            preprocessor = model.ColourLayout == ModelInfo.LayoutRaw ? null : new FramePreprocessor(model);
            decoder = new FrameDecoder(this);
        }

        /// <summary>The frame decoder (for its counters).</summary>
        public FrameDecoder Decoder
        {
            get { return decoder; }
        }

        /// <summary>Whether a camera exists (STREAM_START fails with CAMERA_ERROR without one).</summary>
        public bool HasCamera { get; set; }

        /// <summary>True while STREAM_RESULT frames are pushed.</summary>
        public bool Streaming { get; private set; }

        /// <summary>Classes per STREAM_RESULT.</summary>
        public int StreamTopK { get; private set; }

        /// <summary>True while a BENCH is in progress.</summary>
        public bool Benchmarking
        {
            get { return benchTotal > 0; }
        }

        /// <summary>Requests waiting.</summary>
        public int Queued
        {
            get { return queueCount; }
        }

        /// <summary>Moves every byte waiting on the link into the decoder; drops a partial frame after the idle timeout.</summary>
        public void Poll()
        {
            long now = clock.NowMicroseconds();
            int n;
            bool any = false;
            while ((n = link.Read(readBuffer, 0, readBuffer.Length)) > 0)
            {
                decoder.Push(readBuffer, 0, n);
                any = true;
            }

            if (any)
            {
                lastByteAt = now;
            }
            else if (decoder.InFrame && now - lastByteAt > IdleTimeoutMicroseconds)
            {
                decoder.Reset();
            }
        }

        /// <summary>Serves one request, or one BENCH iteration: at most one inference.</summary>
        /// <returns>True when something was done.</returns>
        public bool ServeOne()
        {
            if (benchTotal > 0)
            {
                BenchStep();
                return true;
            }

            if (queueCount == 0)
            {
                return false;
            }

            Frame frame = queue[queueHead];
            queue[queueHead] = null;
            queueHead = (queueHead + 1) % QueueCapacity;
            queueCount--;
            Handle(frame);
            return true;
        }

        /// <summary>Sends one camera classification as a STREAM_RESULT frame (numbered from 1).</summary>
        /// <param name="result">The classification.</param>
        public void PublishStreamResult(ClassificationReply result)
        {
            streamCount++;
            result.FrameNumber = streamCount & 0xFFFFFFFFL;
            Send(Wire.StreamResult, (int)(streamCount & 0xFFFF), result.ToPayload());
        }

        /// <summary>Clamps a requested k: 0 means <see cref="DefaultTopK"/>; at most the class count and 255.</summary>
        /// <param name="k">The requested k.</param>
        /// <returns>The k to use.</returns>
        public int ClampTopK(int k)
        {
            if (k <= 0)
            {
                k = DefaultTopK;
            }

            int classes = model.OutputElements;
            if (k > classes)
            {
                k = classes;
            }

            return k > 255 ? 255 : k;
        }

        /// <inheritdoc />
        public void OnFrame(Frame frame)
        {
            if (queueCount == QueueCapacity)
            {
                SendError(frame.Sequence, frame.Type, ErrorCode.Busy, "busy: " + QueueCapacity.ToString() + " requests already waiting");
                return;
            }

            queue[(queueHead + queueCount) % QueueCapacity] = frame;
            queueCount++;
        }

        /// <inheritdoc />
        public void OnFrameError(int code, int type, int sequence, string message)
        {
            SendError(sequence, type, code, message);
        }

        private void Handle(Frame frame)
        {
            try
            {
                switch (frame.Type)
                {
                    case Wire.Info:
                        new PayloadReader(frame.Payload, "INFO").End();
                        Send(Wire.ReplyTo(frame.Type), frame.Sequence, Info().ToPayload());
                        break;
                    case Wire.Classify:
                        HandleClassify(frame);
                        break;
                    case Wire.ClassifyFrame:
                        HandleClassifyFrame(frame);
                        break;
                    case Wire.StreamStart:
                        var start = StreamStartRequest.Parse(frame.Payload);
                        if (!HasCamera)
                        {
                            throw new ProtocolException(ErrorCode.CameraError, "no camera: nothing to stream");
                        }

                        StreamTopK = ClampTopK(start.TopK);
                        Streaming = true;
                        Send(Wire.ReplyTo(frame.Type), frame.Sequence, null);
                        break;
                    case Wire.StreamStop:
                        new PayloadReader(frame.Payload, "STREAM_STOP").End();
                        Streaming = false;
                        Send(Wire.ReplyTo(frame.Type), frame.Sequence, null);
                        break;
                    case Wire.Bench:
                        var bench = BenchRequest.Parse(frame.Payload);
                        benchSequence = frame.Sequence;
                        benchTotal = bench.Iterations;
                        benchDone = 0;
                        benchTimes = new int[bench.Iterations];
                        benchInput = benchInput ?? new sbyte[model.InputElements];
                        benchPeak = 0;
                        break;
                    default:
                        throw new ProtocolException(ErrorCode.UnknownType, "unknown request type " + Wire.TypeName(frame.Type));
                }
            }
            catch (ProtocolException ex)
            {
                SendError(frame.Sequence, frame.Type, ex.Code, ex.Message);
            }
            catch (InferenceException ex)
            {
                SendError(frame.Sequence, frame.Type, ErrorCode.EngineError, ex.Message);
            }
            catch (System.Exception ex)
            {
                SendError(frame.Sequence, frame.Type, ErrorCode.Internal, ex.Message);
            }
        }

        private InfoReply Info()
        {
            var info = new InfoReply();
            info.FirmwareVersion = firmwareVersion;
            info.ModelName = modelName;
            info.ModelBytes = blob.Length;
            info.ModelCrc = model.Crc;
            info.ColourLayout = model.ColourLayout;
            info.InputDims = model.InputDims;
            info.InputElements = model.InputElements;
            info.OutputElements = model.OutputElements;
            info.FreeMemory = memory.FreeBytes();
            info.ArenaBytes = classifier.ArenaBytes;
            info.PeakBytes = classifier.PeakBytes;
            info.Labels = model.Labels;
            return info;
        }

        private void HandleClassify(Frame frame)
        {
            var request = ClassifyRequest.Parse(frame.Payload);
            if (request.Tensor.Length != model.InputElements)
            {
                throw new ProtocolException(ErrorCode.WrongTensorSize, "the tensor has " + request.Tensor.Length.ToString() + " values, the model's input has " + model.InputElements.ToString());
            }

            var reply = classifier.Classify(request.Tensor, ClampTopK(request.TopK));
            Send(Wire.ReplyTo(frame.Type), frame.Sequence, reply.ToPayload());
        }

        private void HandleClassifyFrame(Frame frame)
        {
            var request = ClassifyFrameRequest.Parse(frame.Payload);
            if (preprocessor == null)
            {
                throw new ProtocolException(ErrorCode.BadPayload, "the model takes raw int8 tensors: send CLASSIFY");
            }

            frameTensor = frameTensor ?? new sbyte[preprocessor.TensorLength];
            try
            {
                preprocessor.Process(request.Pixels, 0, request.Format, request.Width, request.Height, frameTensor);
            }
            catch (System.ArgumentException ex)
            {
                throw new ProtocolException(ErrorCode.BadPayload, "CLASSIFY_FRAME: " + ex.Message);
            }

            var reply = classifier.Classify(frameTensor, ClampTopK(request.TopK));
            Send(Wire.ReplyTo(frame.Type), frame.Sequence, reply.ToPayload());
        }

        private void BenchStep()
        {
            try
            {
                int us;
                int peak;
                classifier.Run(benchInput, out us, out peak);
                benchTimes[benchDone++] = us;
                if (peak > benchPeak)
                {
                    benchPeak = peak;
                }
            }
            catch (InferenceException ex)
            {
                benchTotal = 0;
                SendError(benchSequence, Wire.Bench, ErrorCode.EngineError, ex.Message);
                return;
            }
            catch (System.Exception ex)
            {
                benchTotal = 0;
                SendError(benchSequence, Wire.Bench, ErrorCode.Internal, ex.Message);
                return;
            }

            if (benchDone < benchTotal)
            {
                return;
            }

            int[] t = benchTimes;
            for (int i = 1; i < t.Length; i++)
            {
                int v = t[i];
                int j = i - 1;
                while (j >= 0 && t[j] > v)
                {
                    t[j + 1] = t[j];
                    j--;
                }

                t[j + 1] = v;
            }

            var reply = new BenchReply();
            reply.Iterations = t.Length;
            reply.MinMicroseconds = t[0];
            reply.MedianMicroseconds = t[(t.Length - 1) / 2];
            reply.MaxMicroseconds = t[t.Length - 1];
            reply.PeakBytes = benchPeak;
            benchTotal = 0;
            benchTimes = null;
            Send(Wire.ReplyTo(Wire.Bench), benchSequence, reply.ToPayload());
        }

        private void SendError(int sequence, int requestType, int code, string message)
        {
            Send(Wire.Error, sequence, new ErrorReply(code, requestType, ErrorCode.Name(code) + ": " + message).ToPayload());
        }

        private void Send(byte type, int sequence, byte[] payload)
        {
            byte[] bytes = FrameEncoder.Encode(type, sequence, payload);
            link.Write(bytes, 0, bytes.Length);
        }
    }
}

using System;
using System.Diagnostics;
using Nanonet.Native;

namespace Nanonet.Core.Host
{
    /// <summary>
    /// The core's <see cref="IInferenceEngine"/> on the host: the real C engine through Nanonet.Native, run the way the
    /// board runs it: row-streamed with the smallest memory plan (<see cref="NanonetPlanner"/>), whose arena is the
    /// peak bytes reported. Inference time is wall-clock (a Stopwatch): the host's, not the board's.
    /// </summary>
    public sealed class NativeInferenceEngine : IInferenceEngine
    {
        private byte[] plannedFor;
        private int plannedPeak;

        /// <inheritdoc />
        public int Validate(byte[] model)
        {
            return NanonetEngine.Validate(model).Status;
        }

        /// <inheritdoc />
        public int Plan(byte[] model, out int arenaBytes)
        {
            arenaBytes = 0;
            try
            {
                arenaBytes = PeakOf(model);
                return 0;
            }
            catch (EngineException ex)
            {
                return ex.Status;
            }
        }

        /// <inheritdoc />
        public int Run(byte[] model, sbyte[] input, sbyte[] output, out int microseconds, out int peakBytes)
        {
            microseconds = 0;
            peakBytes = 0;
            try
            {
                int peak = PeakOf(model);
                long start = Stopwatch.GetTimestamp();
                sbyte[] result = NanonetPlanner.RunPlanned(model, input, 0);
                microseconds = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(start).Ticks / 10);
                if (result.Length != output.Length)
                {
                    return 19; // NN_ERR_OUTPUT_SIZE
                }

                Array.Copy(result, output, result.Length);
                peakBytes = peak;
                return 0;
            }
            catch (EngineException ex)
            {
                return ex.Status;
            }
        }

        /// <inheritdoc />
        public string StatusName(int status)
        {
            return NanonetEngine.StatusName(status);
        }

        private int PeakOf(byte[] model)
        {
            if (!ReferenceEquals(model, plannedFor))
            {
                plannedPeak = NanonetPlanner.Plan(model, 0).PeakBytes;
                plannedFor = model;
            }

            return plannedPeak;
        }
    }
}

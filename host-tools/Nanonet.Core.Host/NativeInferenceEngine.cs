using System;
using System.Diagnostics;
using Nanonet.Native;

namespace Nanonet.Core.Host
{
    /// <summary>
    /// The core's <see cref="IInferenceEngine"/> on the host: the real C engine through Nanonet.Native, run the way the
    /// board runs it: row-streamed with the smallest memory plan, planned once and its arena kept
    /// (<see cref="PlannedRunner"/>), whose size is the peak bytes reported. Inference time is wall-clock (a Stopwatch):
    /// the host's, not the board's.
    /// </summary>
    public sealed class NativeInferenceEngine : IInferenceEngine
    {
        private byte[] plannedFor;
        private PlannedRunner runner;

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
                arenaBytes = RunnerFor(model).PeakBytes;
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
                PlannedRunner planned = RunnerFor(model);
                long start = Stopwatch.GetTimestamp();
                planned.Run(input, output);
                microseconds = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(start).Ticks / 10);
                peakBytes = planned.PeakBytes;
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

        private PlannedRunner RunnerFor(byte[] model)
        {
            if (!ReferenceEquals(model, plannedFor))
            {
                runner = new PlannedRunner(model, 0);
                plannedFor = model;
            }

            return runner;
        }
    }
}

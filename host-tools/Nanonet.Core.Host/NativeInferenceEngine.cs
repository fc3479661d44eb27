using System;
using System.Diagnostics;
using Nanonet.Native;

namespace Nanonet.Core.Host
{
    /// <summary>
    /// The core's <see cref="IInferenceEngine"/> on the host: the real C engine through Nanonet.Native
    /// (<see cref="NanonetEngine"/>), timed with a Stopwatch. Peak bytes are the engine arena of the
    /// layer-by-layer executor (<see cref="NanonetEngine.ArenaSize"/>), which is what a run uses.
    /// </summary>
    public sealed class NativeInferenceEngine : IInferenceEngine
    {
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
                arenaBytes = NanonetEngine.ArenaSize(model);
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
                long start = Stopwatch.GetTimestamp();
                sbyte[] result = NanonetEngine.Run(model, input);
                microseconds = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(start).Ticks / 10);
                if (result.Length != output.Length)
                {
                    return 18;
                }

                Array.Copy(result, output, result.Length);
                peakBytes = NanonetEngine.ArenaSize(model);
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
    }
}

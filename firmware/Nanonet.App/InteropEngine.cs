using Nanonet.Core;
using Nanonet.Interop;

namespace Nanonet.App
{
    /// <summary>
    /// The core's engine over the firmware's engine (Nanonet.Interop.Engine). The core passes the model blob on every
    /// call; the firmware keeps ONE model of its own (a native copy made by LoadModel, or a model linked into flash),
    /// so this adapter loads the blob once, on the first <see cref="Validate"/>, and remembers that array: a call with
    /// the same array uses the loaded model, a call with another array loads that one (and plans again). Nothing
    /// native keeps a pointer into the managed array (the heap compacts).
    /// <para>
    /// <see cref="Plan"/> sizes the arena in internal SRAM (see <see cref="PlanArena"/>). A plan that fails does
    /// not stop the app: Plan reports 0 with an arena of 0 bytes so the core's Classifier and Dispatcher still come
    /// up (INFO and ERROR replies keep working), <see cref="PlanFailure"/> says why, and every <see cref="Run"/> then
    /// returns the planning status, which the core turns into an ERROR reply or an "error engine" line.
    /// </para>
    /// </summary>
    public sealed class InteropEngine : IInferenceEngine
    {
        private const int ErrNotPlanned = 101;

        private readonly int budget;
        private readonly bool linked;
        private readonly int linkedIndex;
        private readonly ILineSink log;
        private byte[] loaded;
        private int loadStatus = -1;
        private int arena;
        private int planStatus = ErrNotPlanned;

        /// <summary>Creates the adapter.</summary>
        /// <param name="budget">SRAM budget for the arena (0: the firmware chooses).</param>
        /// <param name="useLinkedModel">Use the firmware's linked model instead of copying the blob.</param>
        /// <param name="linkedIndex">Its index.</param>
        /// <param name="log">Where the planning decisions are printed.</param>
        public InteropEngine(int budget, bool useLinkedModel, int linkedIndex, ILineSink log)
        {
            this.budget = budget;
            linked = useLinkedModel;
            this.linkedIndex = linkedIndex;
            this.log = log;
        }

        /// <summary>Why planning failed (null when it succeeded or has not run).</summary>
        public string PlanFailure { get; private set; }

        /// <inheritdoc/>
        public int Validate(byte[] model)
        {
            return EnsureLoaded(model);
        }

        /// <inheritdoc/>
        public int Plan(byte[] model, out int arenaBytes)
        {
            arenaBytes = 0;
            int status = EnsureLoaded(model);
            if (status != 0)
            {
                return status;
            }

            if (planStatus != 0)
            {
                PlanArena();
            }

            arenaBytes = arena;
            return 0;
        }

        /// <inheritdoc/>
        public int Run(byte[] model, sbyte[] input, sbyte[] output, out int microseconds, out int peakBytes)
        {
            microseconds = 0;
            peakBytes = arena;
            int status = EnsureLoaded(model);
            if (status != 0)
            {
                return status;
            }

            if (planStatus != 0)
            {
                return planStatus;
            }

            status = Engine.Run(input, output);
            if (status == 0)
            {
                microseconds = Engine.LastInferenceMicroseconds();
            }

            return status;
        }

        /// <inheritdoc/>
        public string StatusName(int status)
        {
            string name = Engine.StatusName(status);
            if (status == planStatus && PlanFailure != null)
            {
                return name + " (" + PlanFailure + ")";
            }

            return name;
        }

        private int EnsureLoaded(byte[] model)
        {
            if (model != null && object.ReferenceEquals(model, loaded))
            {
                return loadStatus;
            }

            loaded = model;
            planStatus = ErrNotPlanned;
            arena = 0;
            if (linked)
            {
                loadStatus = Engine.UseLinkedModel(linkedIndex);
                log.WriteLine("model: linked model " + linkedIndex.ToString() + " in flash: " + Describe(loadStatus));
            }
            else
            {
                // One copy into native memory; the engine never reads the managed array again.
                loadStatus = Engine.LoadModel(model);
                log.WriteLine("model: " + (model == null ? "0" : model.Length.ToString()) + " bytes copied into native memory: " + Describe(loadStatus));
            }

            return loadStatus;
        }

        /// <summary>
        /// Sizes the arena: the smallest plan (ArenaSize(0)) against the largest free internal SRAM block, then
        /// Plan(budget): with budget 0 the firmware takes the largest free internal block less its reserve and
        /// picks the fastest plan that fits it (more budget: fewer row-streamed layers, less recomputation). When
        /// that fails (OutOfMemoryException: the block shrank, or the reserve leaves too little) it retries with
        /// exactly the smallest plan's size. Every decision is printed.
        /// </summary>
        private void PlanArena()
        {
            int smallest = Engine.ArenaSize(0);
            int largest = Memory.InternalLargestBlock();
            log.WriteLine("sram: internal free " + Memory.InternalFree().ToString() + " of " + Memory.InternalTotal().ToString()
                + ", largest block " + largest.ToString() + ", smallest plan " + (smallest < 0 ? Engine.StatusName(-smallest) : smallest.ToString()));
            if (TryPlan(budget))
            {
                return;
            }

            if (smallest > 0 && budget != smallest && TryPlan(smallest))
            {
                return;
            }

            log.WriteLine("error arena: no plan fits internal SRAM (" + PlanFailure + "); serving INFO and errors only");
        }

        private bool TryPlan(int bytes)
        {
            try
            {
                int size = Engine.Plan(bytes);
                if (size < 0)
                {
                    planStatus = -size;
                    PlanFailure = "plan for budget " + bytes.ToString() + ": " + Engine.StatusName(-size) + ": " + Engine.LastErrorDetail();
                    log.WriteLine("arena: " + PlanFailure);
                    return false;
                }

                arena = size;
                planStatus = 0;
                PlanFailure = null;
                log.WriteLine("arena: " + size.ToString() + " bytes in internal SRAM, planned for budget " + Engine.PlannedBudget().ToString()
                    + (bytes == 0 ? " (largest free block less the reserve)" : " (asked " + bytes.ToString() + ")") + ": " + Engine.LastErrorDetail());
                return true;
            }
            catch (System.Exception ex)
            {
                planStatus = ErrNotPlanned;
                PlanFailure = "plan for budget " + bytes.ToString() + " threw " + ex.GetType().Name + ": " + Engine.LastErrorDetail();
                log.WriteLine("arena: " + PlanFailure);
                return false;
            }
        }

        private static string Describe(int status)
        {
            return status == 0 ? "ok" : Engine.StatusName(status) + ": " + Engine.LastErrorDetail();
        }
    }
}

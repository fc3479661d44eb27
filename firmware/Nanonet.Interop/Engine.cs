using System.Runtime.CompilerServices;

namespace Nanonet.Interop
{
    /// <summary>
    /// The int8 engine in the firmware (native-interop/include/nanonet/nn_interop.h). One engine, one model.
    /// Nothing native keeps a pointer into a managed array after a call returns (the managed heap compacts):
    /// <see cref="LoadModel"/> copies the blob once into native memory, and the arena is native internal SRAM.
    /// Results: a count (&gt;= 0) or a status (0 = NN_OK, engine statuses 1..20, interop statuses 100..109,
    /// names from <see cref="StatusName"/>). A broken call contract throws instead: ArgumentException (a null
    /// or wrongly sized array, a negative budget), InvalidOperationException (no model loaded, no arena planned),
    /// OutOfMemoryException (no native block for the model copy or the arena); <see cref="LastErrorDetail"/>
    /// then says why in one line. Every declaration here is bound to firmware: adding, removing, renaming or
    /// reordering one changes the native checksum and needs new firmware (tests/Nanonet.Interop.Tests).
    /// </summary>
    public static class Engine
    {
        /// <summary>Copies <paramref name="blob"/> (a packed .nnb model) into native memory and validates it.
        /// Drops any previous model and its arena. Returns 0, or the status the model was rejected with.</summary>
        /// <param name="blob">The whole .nnb file.</param>
        /// <returns>0 (NN_OK) or the rejecting status (nothing is kept then).</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int LoadModel(byte[] blob);

        /// <summary>Uses the model linked into the firmware's flash at <paramref name="index"/> (no copy).</summary>
        /// <param name="index">Index in the firmware's linked-model table.</param>
        /// <returns>0, 104 (NN_INTEROP_ERR_NO_LINKED_MODEL) or the rejecting status.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int UseLinkedModel(int index);

        /// <summary>Frees the model copy and the arena.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Unload();

        /// <summary>Arena bytes a plan for <paramref name="budget"/> needs; allocates nothing lasting.</summary>
        /// <param name="budget">SRAM budget in bytes; 0 means the smallest plan.</param>
        /// <returns>The arena size, or minus the status (for example -17: below the smallest plan).</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int ArenaSize(int budget);

        /// <summary>Plans for <paramref name="budget"/> and allocates the arena in internal SRAM.
        /// 0: the largest free internal block less the firmware's reserve. A budget below the smallest plan is
        /// raised to it (said in <see cref="LastErrorDetail"/>); a plan that does not fit the largest free
        /// internal block throws OutOfMemoryException.</summary>
        /// <param name="budget">SRAM budget in bytes, or 0.</param>
        /// <returns>The arena size (peak bytes), or minus a status.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Plan(int budget);

        /// <summary>The budget the current arena was planned for.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int PlannedBudget();

        /// <summary>Bytes (int8 elements) of the model's input tensor.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int InputSize();

        /// <summary>Bytes (int8 elements) of the model's output tensor.</summary>
        /// <returns>Bytes.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int OutputSize();

        /// <summary>Runs one inference through the planned arena.</summary>
        /// <param name="input">The input tensor, exactly <see cref="InputSize"/> bytes.</param>
        /// <param name="output">Receives the output tensor, exactly <see cref="OutputSize"/> bytes.</param>
        /// <returns>0 or the engine's status.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Run(sbyte[] input, sbyte[] output);

        /// <summary>Status of the last engine or camera call.</summary>
        /// <returns>A status.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int LastStatus();

        /// <summary>One line saying what the last call did or why it failed.</summary>
        /// <returns>The detail.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern string LastErrorDetail();

        /// <summary>Stable name of a status, such as "NN_ERR_BAD_CRC" or "NN_INTEROP_ERR_NO_MODEL".</summary>
        /// <param name="status">A status (a negated one is accepted too).</param>
        /// <returns>The name.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern string StatusName(int status);

        /// <summary>Microseconds the last successful <see cref="Run"/> took.</summary>
        /// <returns>Microseconds.</returns>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int LastInferenceMicroseconds();
    }
}

namespace Nanonet.Core.Protocol
{
    /// <summary>One decoded (or to-be-encoded) frame: type, sequence number and payload.</summary>
    public sealed class Frame
    {
        /// <summary>Creates a frame.</summary>
        /// <param name="type">Message type.</param>
        /// <param name="sequence">Sequence number (0 .. 65535); a reply echoes its request's.</param>
        /// <param name="payload">The payload (null means empty).</param>
        public Frame(byte type, int sequence, byte[] payload)
        {
            Type = type;
            Sequence = sequence & 0xFFFF;
            Payload = payload ?? new byte[0];
        }

        /// <summary>Message type.</summary>
        public byte Type { get; private set; }

        /// <summary>Sequence number.</summary>
        public int Sequence { get; private set; }

        /// <summary>The payload bytes.</summary>
        public byte[] Payload { get; private set; }
    }
}

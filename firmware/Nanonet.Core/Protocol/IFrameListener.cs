namespace Nanonet.Core.Protocol
{
    /// <summary>Receives what a <see cref="FrameDecoder"/> finds in the byte stream.</summary>
    public interface IFrameListener
    {
        /// <summary>A complete frame with a good header check and CRC. The frame is the listener's to keep.</summary>
        /// <param name="frame">The frame.</param>
        void OnFrame(Frame frame);

        /// <summary>
        /// A frame whose header was intact (header check good) could not be taken: bad CRC, length above the maximum,
        /// another protocol version, or cut short by the next frame. Garbage without an intact header is dropped
        /// silently (counted in <see cref="FrameDecoder.GarbageBytes"/>).
        /// </summary>
        /// <param name="code">An <see cref="ErrorCode"/>.</param>
        /// <param name="type">The frame's message type.</param>
        /// <param name="sequence">The frame's sequence number.</param>
        /// <param name="message">What was wrong.</param>
        void OnFrameError(int code, int type, int sequence, string message);
    }
}

namespace Nanonet.Core.Protocol
{
    /// <summary>A payload does not have the layout its message type requires; carries the <see cref="ErrorCode"/>.</summary>
    public class ProtocolException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="code">An <see cref="ErrorCode"/>.</param>
        /// <param name="message">What is wrong.</param>
        public ProtocolException(int code, string message)
            : base(message)
        {
            Code = code;
        }

        /// <summary>The <see cref="ErrorCode"/> of the reply.</summary>
        public int Code { get; private set; }
    }
}

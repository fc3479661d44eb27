namespace Nanonet.Core
{
    /// <summary>A packed model (.nnb) header is missing, truncated or inconsistent. The message names the field.</summary>
    public class ModelFormatException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong, naming the field.</param>
        public ModelFormatException(string message)
            : base(message)
        {
        }
    }
}

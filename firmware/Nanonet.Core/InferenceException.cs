namespace Nanonet.Core
{
    /// <summary>The engine returned a status other than NN_OK; the message starts with the status name.</summary>
    public class InferenceException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="status">The nn_status.</param>
        /// <param name="statusName">Its name.</param>
        /// <param name="what">What was being done.</param>
        public InferenceException(int status, string statusName, string what)
            : base(statusName + ": " + what)
        {
            Status = status;
            StatusName = statusName;
        }

        /// <summary>The nn_status.</summary>
        public int Status { get; private set; }

        /// <summary>The status name, e.g. NN_ERR_BAD_SHAPE.</summary>
        public string StatusName { get; private set; }
    }
}

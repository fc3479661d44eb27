using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>
    /// Lines to the device console (System.Console of mscorlib 1.17.11: the debugger's output, USB-Serial-JTAG on S3
    /// boards). Console rather than System.Diagnostics.Debug so that nothing depends on a DEBUG build.
    /// </summary>
    public sealed class ConsoleSink : ILineSink
    {
        /// <inheritdoc/>
        public void WriteLine(string line)
        {
            System.Console.WriteLine(line);
        }
    }
}

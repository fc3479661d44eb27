using System.Device.Gpio;
using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>
    /// Lights the status LED while the target label is the top-1 class of the camera classification. It sits between
    /// the classification loop and the console: every line the loop writes passes through, and a classification line
    /// (<c>label score us peak_bytes</c>, label with '_' for spaces: ClassificationLoop.FormatLine) switches the LED on
    /// when its first word is the target, off otherwise. An "error ..." line switches it off (no classification).
    /// </summary>
    public sealed class StatusLed : ILineSink
    {
        private readonly ILineSink inner;
        private readonly GpioController gpio;
        private readonly int pin;
        private readonly bool activeLow;
        private readonly string target;
        private bool lit;

        /// <summary>Opens the LED pin as an output, switched off.</summary>
        /// <param name="inner">Where the lines go afterwards.</param>
        /// <param name="pin">LED GPIO.</param>
        /// <param name="activeLow">The LED lights with LOW.</param>
        /// <param name="targetLabel">The label that lights it.</param>
        public StatusLed(ILineSink inner, int pin, bool activeLow, string targetLabel)
        {
            this.inner = inner;
            this.pin = pin;
            this.activeLow = activeLow;
            target = Underscored(targetLabel);
            gpio = new GpioController();
            gpio.OpenPin(pin, PinMode.Output);
            lit = true;
            Set(false);
        }

        /// <inheritdoc/>
        public void WriteLine(string line)
        {
            inner.WriteLine(line);
            if (line == null)
            {
                return;
            }

            int space = line.IndexOf(' ');
            string first = space < 0 ? line : line.Substring(0, space);
            Set(first == target);
        }

        private void Set(bool on)
        {
            if (on == lit)
            {
                return;
            }

            gpio.Write(pin, on != activeLow ? PinValue.High : PinValue.Low);
            lit = on;
        }

        private static string Underscored(string label)
        {
            char[] chars = label.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == ' ')
                {
                    chars[i] = '_';
                }
            }

            return new string(chars);
        }
    }
}

using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>
    /// The firmware app: load the model (<see cref="ModelStore"/>: a deployment resource copied once into native
    /// memory by Engine.LoadModel, or the firmware's linked model with <see cref="BoardConfig.UseLinkedModel"/>),
    /// size the engine arena in internal SRAM (<see cref="InteropEngine"/>: Engine.Plan with the budget of
    /// <see cref="BoardConfig.ArenaBudget"/>, 0 = the largest free internal block less the firmware's reserve, falling
    /// back to the smallest plan), start the camera and the COM2 link, then run the ClassificationLoop forever: it
    /// serves serial requests between camera classifications and lights the LED while <see cref="BoardConfig.TargetLabel"/>
    /// is the top-1 class. Every failure is printed and survived without a reboot: a bad request gets an ERROR reply
    /// (the core), a camera or engine error an "error ..." line (the core), anything else escaping a step is caught
    /// here; a model that cannot load leaves the app printing why every few seconds.
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static void Main()
        {
            ILineSink console = new ConsoleSink();
            console.WriteLine(BoardConfig.FirmwareVersion + " starting");
            ClassificationLoop loop = null;
            string fatal = null;
            try
            {
                loop = Build(console, out fatal);
            }
            catch (System.Exception ex)
            {
                fatal = "startup failed: " + ex.GetType().Name + ": " + ex.Message;
            }

            if (loop == null)
            {
                Idle(console, fatal ?? "startup failed");
                return;
            }

            console.WriteLine("running");
            while (true)
            {
                try
                {
                    loop.Run();
                }
                catch (System.Exception ex)
                {
                    // The core catches per step; this is the last net (e.g. OutOfMemoryException in a reply).
                    console.WriteLine("error loop " + ex.GetType().Name + ": " + ex.Message + "; continuing");
                    System.Threading.Thread.Sleep(100);
                }
            }
        }

        private static ClassificationLoop Build(ILineSink console, out string fatal)
        {
            fatal = null;
            ModelInfo info;
            byte[] blob = ModelStore.Load(console, out info);
            if (blob == null)
            {
                fatal = "no usable model";
                return null;
            }

            console.WriteLine("model: " + BoardConfig.ModelName + ", " + blob.Length.ToString() + " bytes, input "
                + info.InputWidth.ToString() + "x" + info.InputHeight.ToString() + "x" + info.InputChannels.ToString()
                + ", " + info.OutputElements.ToString() + " classes");

            var engine = new InteropEngine(BoardConfig.ArenaBudget, BoardConfig.UseLinkedModel, BoardConfig.LinkedModelIndex, console);
            Classifier classifier;
            try
            {
                classifier = new Classifier(blob, info, engine);
            }
            catch (InferenceException ex)
            {
                fatal = "the engine rejects the model: " + ex.Message;
                return null;
            }

            if (BoardConfig.UseLinkedModel && (Nanonet.Interop.Engine.InputSize() != info.InputElements || Nanonet.Interop.Engine.OutputSize() != info.OutputElements))
            {
                fatal = "the linked model's tensors differ from the resource's header: deploy the model the firmware links";
                return null;
            }

            console.WriteLine(engine.PlanFailure == null
                ? "arena: " + classifier.ArenaBytes.ToString() + " bytes"
                : "error arena: " + engine.PlanFailure + " (inference requests will get this error)");

            ISerialLink link;
            try
            {
                link = UartLink.Open(BoardConfig.SerialPort, BoardConfig.BaudRate, BoardConfig.SerialTxPin, BoardConfig.SerialRxPin, BoardConfig.SerialReadBufferSize);
                console.WriteLine("serial: " + BoardConfig.SerialPort + " " + BoardConfig.BaudRate.ToString() + " baud, TX GPIO"
                    + BoardConfig.SerialTxPin.ToString() + ", RX GPIO" + BoardConfig.SerialRxPin.ToString());
            }
            catch (System.Exception ex)
            {
                console.WriteLine("error serial: " + BoardConfig.SerialPort + " did not open: " + ex.Message + "; camera only");
                link = new NoLink();
            }

            var dispatcher = new Dispatcher(blob, classifier, link, new HighResClock(), new DeviceMemory(), BoardConfig.FirmwareVersion, BoardConfig.ModelName);
            ICamera camera = InteropCamera.Start(BoardConfig.CameraBoard, info.InputChannels, console);

            ILineSink lines = console;
            try
            {
                lines = new StatusLed(console, BoardConfig.LedPin, BoardConfig.LedActiveLow, BoardConfig.TargetLabel);
            }
            catch (System.Exception ex)
            {
                console.WriteLine("error led: GPIO" + BoardConfig.LedPin.ToString() + ": " + ex.Message + "; no status LED");
            }

            return new ClassificationLoop(dispatcher, classifier, camera, lines, BoardConfig.TopK);
        }

        private static void Idle(ILineSink console, string why)
        {
            while (true)
            {
                console.WriteLine("error " + why + " (not classifying; fix and redeploy)");
                System.Threading.Thread.Sleep(5000);
            }
        }

        /// <summary>A link that never receives and drops writes (when the UART did not open).</summary>
        private sealed class NoLink : ISerialLink
        {
            public int Read(byte[] buffer, int offset, int count)
            {
                return 0;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
            }
        }
    }
}

namespace Nanonet.App
{
    /// <summary>
    /// Every board-specific constant of the app, for the Seeed Studio XIAO ESP32S3 Sense (ESP32-S3R8: 8 MB octal
    /// PSRAM, firmware target ESP32_S3_OCTAL, OV2640 camera on the Sense board).
    /// <para>
    /// User LED: GPIO21, active low (LOW lights it). Sources: the XIAO ESP32S3 variant's pins_arduino.h
    /// (<c>#define LED_BUILTIN 21</c>, e.g. github.com/wled/WLED variants/xiao_esp32s3/pins_arduino.h) and Seeed's
    /// wiki for the XIAO ESP32S3 ("the user LED ... GPIO21", lit when the pin is LOW). On the Sense expansion board
    /// GPIO21 is also the microSD card's chip select: leave the card slot empty or move the LED.
    /// </para>
    /// <para>
    /// Camera pins are not here: <c>Nanonet.Interop.Camera.BoardConfig(CameraBoard, ...)</c> fills them from the
    /// firmware's table (XCLK 10, SIOD 40, SIOC 39, D0..D7 15 17 18 16 14 12 11 48, VSYNC 38, HREF 47, PCLK 13),
    /// so the serial and LED pins below avoid them.
    /// </para>
    /// </summary>
    public static class BoardConfig
    {
        /// <summary>Firmware version reported by INFO.</summary>
        public const string FirmwareVersion = "nanonet-app 1.0.0";

        /// <summary>Model name reported by INFO (the packed format has none).</summary>
        public const string ModelName = "person_detect";

        /// <summary>
        /// Where the model comes from. false (default): the deployment resource (Resources.resx, see
        /// <see cref="ModelStore"/>), copied once into native memory by <c>Engine.LoadModel</c>. true: the firmware
        /// links the model into flash (<c>Engine.UseLinkedModel(LinkedModelIndex)</c>, no native copy); the core
        /// still parses the same .nnb resource for its header, labels and INFO, so the resource must be the very
        /// model the firmware links (the app checks the input and output sizes agree).
        /// </summary>
        public const bool UseLinkedModel = false;

        /// <summary>Index in the firmware's linked-model table when <see cref="UseLinkedModel"/>.</summary>
        public const int LinkedModelIndex = 0;

        /// <summary>
        /// SRAM budget of the engine arena in bytes. 0: let the firmware choose (the largest free internal block
        /// less its reserve, NANONET_SRAM_RESERVE = 48 KB): the fastest plan that fits. A positive value asks for
        /// that budget (raised to the smallest plan when below it).
        /// </summary>
        public const int ArenaBudget = 0;

        /// <summary>The serial port of the host protocol: COM2 (UART1; COM1 = UART0 may carry the boot log).</summary>
        public const string SerialPort = "COM2";

        /// <summary>Baud rate of the host protocol.</summary>
        public const int BaudRate = 921600;

        /// <summary>COM2 TX pin: GPIO1 (XIAO pad D0).</summary>
        public const int SerialTxPin = 1;

        /// <summary>COM2 RX pin: GPIO2 (XIAO pad D1).</summary>
        public const int SerialRxPin = 2;

        /// <summary>Receive buffer: larger than one whole frame (Wire.MaxFrame, 32,784 bytes).</summary>
        public const int SerialReadBufferSize = 40 * 1024;

        /// <summary>Camera board index for <c>Camera.BoardConfig</c> (0: XIAO ESP32S3 Sense).</summary>
        public const int CameraBoard = 0;

        /// <summary>Status LED pin (GPIO21, the XIAO's user LED).</summary>
        public const int LedPin = 21;

        /// <summary>The LED lights with a LOW level (true on the XIAO).</summary>
        public const bool LedActiveLow = true;

        /// <summary>The LED is lit while this label is the top-1 class of the camera classification.</summary>
        public const string TargetLabel = "person";

        /// <summary>Classes per camera classification when not streaming.</summary>
        public const int TopK = 2;
    }
}

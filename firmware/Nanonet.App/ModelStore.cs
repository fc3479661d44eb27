using Nanonet.Core;

namespace Nanonet.App
{
    /// <summary>
    /// Where the app gets the packed model: a binary deployment resource of this assembly (<c>Resources.resx</c>
    /// holding <c>models/person_detect.nnb</c> as the resource <c>person_detect</c>). It is read once into a managed
    /// array (in PSRAM on this board), handed to <c>Engine.LoadModel</c>, which copies it into native memory; nothing
    /// native points into the managed array afterwards. The core (ModelInfo for labels and input layout, the
    /// Classifier, INFO's model size) keeps the managed array referenced, so it is not freed: about 225 KB of the
    /// 8 MB PSRAM heap. Why a resource: mscorlib 1.17.11 has no GetManifestResourceStream, a 225 KB static array
    /// fails deployment (nanoframework/Home#1306), and string literals (base64) are bounded by the .pe string table.
    /// With <see cref="BoardConfig.UseLinkedModel"/> the engine uses the firmware's flash copy instead and the resource
    /// serves only the core's header parsing.
    /// </summary>
    public static class ModelStore
    {
        /// <summary>Loads the model resource and parses its header (CRC checked); prints and returns null on failure.</summary>
        /// <param name="log">Where failures are printed.</param>
        /// <param name="info">Receives the parsed header.</param>
        /// <returns>The blob, or null.</returns>
        public static byte[] Load(ILineSink log, out ModelInfo info)
        {
            info = null;
            byte[] blob;
            try
            {
                blob = Resources.GetBytes(Resources.BinaryResources.person_detect);
            }
            catch (System.Exception ex)
            {
                log.WriteLine("error model: cannot read the resource person_detect: " + ex.Message);
                return null;
            }

            if (blob == null)
            {
                log.WriteLine("error model: the resource person_detect is missing from this deployment");
                return null;
            }

            try
            {
                info = ModelInfo.Parse(blob, true);
            }
            catch (ModelFormatException ex)
            {
                log.WriteLine("error model: " + ex.Message);
                return null;
            }

            return blob;
        }
    }
}

namespace Nanonet.App
{
    /// <summary>
    /// COMPILE-ONLY stand-in for <c>Resources.Designer.cs</c>, the file nanoFramework's nFResXFileCodeGenerator makes
    /// from <c>Resources.resx</c> on a developer's machine. Only the csproj (the Linux compile check) includes it; the
    /// .nfproj compiles the generated file instead, whose <c>GetBytes</c> reads the binary resource from the deployed
    /// assembly through nanoFramework's resource manager, and whose enum values are the ids the generator derives
    /// from the resource names (the ones below are placeholders). Same type, member and resource names, so the app's
    /// code is the same in both builds.
    /// </summary>
    internal static class Resources
    {
        /// <summary>The binary resources of Resources.resx.</summary>
        internal enum BinaryResources : short
        {
            /// <summary>models/person_detect.nnb.</summary>
            person_detect = 1,
        }

        /// <summary>Reads a binary resource. Stand-in: throws.</summary>
        /// <param name="id">The resource.</param>
        /// <returns>Its bytes.</returns>
        internal static byte[] GetBytes(BinaryResources id)
        {
            throw new System.NotImplementedException("compile-only stand-in for the generated Resources.Designer.cs");
        }
    }
}

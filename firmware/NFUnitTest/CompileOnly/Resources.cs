namespace NFUnitTest
{
    /// <summary>
    /// COMPILE-ONLY stand-in for the Resources.Designer.cs that nFResXFileCodeGenerator makes from Resources.resx on a
    /// developer's machine (the .nfproj compiles that one; its enum values are the generator's ids, these are
    /// placeholders). The resources are the shipped models and the golden input tensors: too large for static arrays
    /// (nanoframework/Home#1306) or for string literals in one .pe.
    /// </summary>
    internal static class Resources
    {
        /// <summary>The binary resources of Resources.resx.</summary>
        internal enum BinaryResources : short
        {
            /// <summary>models/person_detect.nnb.</summary>
            person_detect = 1,

            /// <summary>models/vww_96.nnb.</summary>
            vww_96 = 2,

            /// <summary>models/mobilenet_v2_035_96_gray.nnb.</summary>
            mobilenet_v2_035_96_gray = 3,

            /// <summary>golden/inputs/tflm_person.gray96.i8.</summary>
            tflm_person_gray96 = 4,

            /// <summary>golden/inputs/tflm_no_person.gray96.i8.</summary>
            tflm_no_person_gray96 = 5,

            /// <summary>golden/inputs/tflm_person.rgb96.i8.</summary>
            tflm_person_rgb96 = 6,

            /// <summary>golden/inputs/tflm_no_person.rgb96.i8.</summary>
            tflm_no_person_rgb96 = 7,
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

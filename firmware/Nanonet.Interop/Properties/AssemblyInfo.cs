using System.Reflection;

[assembly: AssemblyTitle("Nanonet.Interop")]
[assembly: AssemblyDescription("InternalCall declarations of the Nanonet int8 engine for nanoFramework on the ESP32-S3")]
[assembly: AssemblyProduct("Nanonet")]
[assembly: AssemblyVersion("1.0.0.0")]

// The native version the firmware's stubs carry (g_CLR_AssemblyNative_Nanonet_Interop): nanoCLR refuses to bind
// an assembly whose native version or native-methods checksum differs from the firmware's.
[assembly: AssemblyNativeVersion("1.0.0.0")]

using System.Reflection;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("On-device tests of the Nanonet firmware (nanoFramework.TestFramework): golden outputs through the interop, protocol round trips, preprocessing vectors.")]
[assembly: AssemblyProduct("Nanonet")]
[assembly: AssemblyVersion("1.0.0.0")]

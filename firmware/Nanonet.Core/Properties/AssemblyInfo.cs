using System.Reflection;

[assembly: AssemblyTitle("Nanonet.Core")]
[assembly: AssemblyDescription("Portable core of the Nanonet firmware: model header, preprocessing, top-k, serial protocol, dispatcher, classification loop.")]
[assembly: AssemblyProduct("Nanonet")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]

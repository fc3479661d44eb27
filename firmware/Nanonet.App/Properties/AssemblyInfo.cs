using System.Reflection;

[assembly: AssemblyTitle("Nanonet.App")]
[assembly: AssemblyDescription("Nanonet firmware app for the Seeed Studio XIAO ESP32S3 Sense: camera and serial classification with the int8 engine.")]
[assembly: AssemblyProduct("Nanonet")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]

// Compile-only facade of nanoFramework.Runtime.Native 1.7.11: never shipped or deployed (see ../../README.md). Unsigned: upstream is signed
// with public key token c07d481e9758c731, which a facade cannot reproduce.
using System.Reflection;

[assembly: AssemblyTitle("nanoFramework.Runtime.Native (compile-only facade)")]
[assembly: AssemblyDescription("Compile-only facade of nanoFramework.Runtime.Native 1.7.11 for building the Nanonet firmware on Linux. Not the real assembly: every member throws NotImplementedException.")]
[assembly: AssemblyVersion("1.7.11.0")]

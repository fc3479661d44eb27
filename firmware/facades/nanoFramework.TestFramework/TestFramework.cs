// Compile-only facade (see ../README.md): upstream names and signatures of nanoFramework.TestFramework 3.0.77
// (nanoframework-api/nanoFramework.TestFramework.api.txt), only the members NFUnitTest uses. The real package also
// ships nanoFramework.UnitTestLauncher.exe, which loads NFUnitTest and runs the tests on the device.
using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a test class.</summary>
    public class TestClassAttribute : Attribute
    {
    }

    /// <summary>Marks a test method (public void, called without an instance).</summary>
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Facade of the assertions. Facade: every member throws.</summary>
    public class Assert
    {
        /// <summary>Fails unless the condition holds.</summary>
        /// <param name="condition">The condition.</param>
        /// <param name="message">Failure message.</param>
        public static void IsTrue(bool condition, string message = "")
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }

        /// <summary>Fails unless equal.</summary>
        /// <param name="expected">Expected.</param>
        /// <param name="actual">Actual.</param>
        /// <param name="message">Failure message.</param>
        public static void AreEqual(int expected, int actual, string message = "")
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }

        /// <summary>Fails unless equal.</summary>
        /// <param name="expected">Expected.</param>
        /// <param name="actual">Actual.</param>
        /// <param name="message">Failure message.</param>
        public static void AreEqual(long expected, long actual, string message = "")
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }

        /// <summary>Fails unless equal.</summary>
        /// <param name="expected">Expected.</param>
        /// <param name="actual">Actual.</param>
        /// <param name="message">Failure message.</param>
        public static void AreEqual(sbyte expected, sbyte actual, string message = "")
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }

        /// <summary>Fails unless equal.</summary>
        /// <param name="expected">Expected.</param>
        /// <param name="actual">Actual.</param>
        /// <param name="message">Failure message.</param>
        public static void AreEqual(string expected, string actual, string message = "")
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }
    }

    /// <summary>Facade of the test output.</summary>
    public static class OutputHelper
    {
        /// <summary>Writes a line to the test output. Facade: throws.</summary>
        /// <param name="message">The line.</param>
        public static void WriteLine(string message)
        {
            throw new NotImplementedException("compile-only facade of nanoFramework.TestFramework");
        }
    }
}

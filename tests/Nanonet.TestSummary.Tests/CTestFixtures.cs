namespace Nanonet.TestSummary.Tests;

/// <summary>
/// A tiny CMake project in a temporary folder whose C suites use the real harness (tests/native/support/nn_test.c),
/// built with cmake and run with the real <c>ctest --output-junit</c>: "good" (2 cases pass), "crash" (aborts in its
/// second case), "long" (40 passing cases: more than 1 KiB of output), "exitfail" (its case passes and it prints its
/// closing line, then aborts as a sanitizer would), and "missing" (a ctest test whose executable does not exist).
/// Run three ways: with ctest's default output limit (default.junit.xml), with nf.proj's limits (full.junit.xml),
/// and from a build configured with the suites switched off (off.junit.xml).
/// </summary>
public sealed class CTestFixtures : IDisposable
{
    public static readonly string[] Suites = ["good", "crash", "long", "exitfail", "missing"];

    private readonly TempDir _root = new();

    public CTestFixtures()
    {
        var support = Path.Combine(TestPaths.RepoRoot, "tests", "native", "support").Replace('\\', '/');
        File.WriteAllText(_root.File("CMakeLists.txt"), $$"""
            cmake_minimum_required(VERSION 3.20)
            project(summary_fixture C)
            option(FIXTURE_BUILD_TESTS "build the suites" ON)
            if(FIXTURE_BUILD_TESTS)
              enable_testing()
              foreach(name good crash long exitfail)
                add_executable(${name} ${name}.c {{support}}/nn_test.c)
                target_include_directories(${name} PRIVATE {{support}})
                target_compile_definitions(${name} PRIVATE NANONET_SHARED_DIR="/nonexistent")
                add_test(NAME ${name} COMMAND ${name})
              endforeach()
              add_test(NAME missing COMMAND ${CMAKE_BINARY_DIR}/no_such_suite)
            endif()
            """);
        File.WriteAllText(_root.File("good.c"), """
            #include "nn_test.h"
            static void case_one(void) { NN_CHECK(1); }
            static void case_two(void) { NN_CHECK(1); }
            int main(void) { NN_RUN(case_one); NN_RUN(case_two); return nn_test_finish(); }
            """);
        File.WriteAllText(_root.File("crash.c"), """
            #include "nn_test.h"
            #include <stdlib.h>
            static void case_one(void) { NN_CHECK(1); }
            static void case_aborts(void) { abort(); }
            int main(void) { NN_RUN(case_one); NN_RUN(case_aborts); return nn_test_finish(); }
            """);
        File.WriteAllText(_root.File("long.c"), """
            #include "nn_test.h"
            static void case_with_a_name_long_enough_that_forty_of_them_exceed_one_kibibyte(void) { NN_CHECK(1); }
            int main(void)
            {
                int i;
                for (i = 0; i < 40; i++) {
                    NN_RUN(case_with_a_name_long_enough_that_forty_of_them_exceed_one_kibibyte);
                }
                return nn_test_finish();
            }
            """);
        File.WriteAllText(_root.File("exitfail.c"), """
            #include "nn_test.h"
            #include <stdlib.h>
            static void case_one(void) { NN_CHECK(1); }
            int main(void) { NN_RUN(case_one); nn_test_finish(); fflush(stdout); abort(); }
            """);
        Results = Directory.CreateDirectory(_root.File("results")).FullName;
        var on = _root.File("build-on");
        var off = _root.File("build-off");
        Check(Processes.Run(_root.Path, "cmake", "-S", _root.Path, "-B", on, "-DFIXTURE_BUILD_TESTS=ON"));
        Check(Processes.Run(_root.Path, "cmake", "--build", on, "-j2"));
        Check(Processes.Run(_root.Path, "cmake", "-S", _root.Path, "-B", off, "-DFIXTURE_BUILD_TESTS=OFF"));
        Processes.Run(_root.Path, "ctest", "--test-dir", on, "--output-junit", Path.Combine(Results, "default.junit.xml"));
        Processes.Run(_root.Path, "ctest", ["--test-dir", on, .. NfProjCTestArgs(), "--output-junit", Path.Combine(Results, "full.junit.xml")]);
        Processes.Run(_root.Path, "ctest", "--test-dir", off, "--output-junit", Path.Combine(Results, "off.junit.xml"));
    }

    /// <summary>The folder holding default.junit.xml, full.junit.xml and off.junit.xml.</summary>
    public string Results { get; }

    public void Dispose() => _root.Dispose();

    /// <summary>The ctest options nf.proj's Test target passes (its CTestArgs property).</summary>
    public static string[] NfProjCTestArgs()
    {
        var nfProj = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.RepoRoot, "nf.proj"));
        var args = nfProj.Descendants("CTestArgs").Single().Value;
        return args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Check((int Code, string Output) run)
    {
        if (run.Code != 0)
        {
            throw new InvalidOperationException("fixture build failed:\n" + run.Output);
        }
    }
}

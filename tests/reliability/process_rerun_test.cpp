// tests/support/process.h runs the app for the end-to-end tests and runs a command once more when
// LeakSanitizer's tracer crashed at its exit (the leak check never ran). These tests pin which
// output counts as that crash, and that a real leak report or a second crash still fails.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/process.h"

namespace fs = std::filesystem;
using nl::test::leak_check_crashed;
using nl::test::run_shell;

namespace {

// What LeakSanitizer prints when its tracer crashes, and when it finds a leak (both from real runs).
const std::string kTracerCrash =
    "Tracer caught signal 11: addr=0xf88 pc=0x5617a13b0c6a sp=0x7f2f4e1fdd40\n"
    "==7791==LeakSanitizer has encountered a fatal error.\n"
    "==7791==HINT: For debugging, try setting environment variable LSAN_OPTIONS=verbosity=1:log_threads=1\n";
const std::string kLeakReport =
    "==4242==ERROR: LeakSanitizer: detected memory leaks\n\n"
    "Indirect leak of 112 byte(s) in 1 object(s) allocated from:\n";

// A command that prints `first` (and exits 134, as an aborting sanitizer does) on its first run and
// `later` (exiting with `later_status`) on every run after, counting its runs in a file.
struct CountingCommand {
    CountingCommand() {
        std::string tmpl = (fs::temp_directory_path() / "noiselab-rerun-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        dir = tmpl;
    }
    ~CountingCommand() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string command(const std::string& first, const std::string& later, int later_status = 0) const {
        const std::string counter = (dir / "runs").string();
        fs::path a = dir / "first.txt", b = dir / "later.txt";
        write(a, first);
        write(b, later);
        return "echo x >> '" + counter + "'; if [ $(wc -l < '" + counter + "') -eq 1 ]; then cat '" + a.string() +
               "'; exit 134; else cat '" + b.string() + "'; exit " + std::to_string(later_status) + "; fi";
    }
    int runs() const {
        std::ifstream f(dir / "runs");
        return static_cast<int>(std::count(std::istreambuf_iterator<char>(f), {}, '\n'));
    }
    static void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
    fs::path dir;
};

}  // namespace

TEST(ProcessRerun, OnlyTheTracersCrashCountsAsAnUnfinishedLeakCheck) {
    EXPECT_TRUE(leak_check_crashed("noiselab: wrote x.png\n" + kTracerCrash));
    EXPECT_FALSE(leak_check_crashed(kLeakReport));
    EXPECT_FALSE(leak_check_crashed("==1==LeakSanitizer has encountered a fatal error.\n")) << "no tracer crash named";
    EXPECT_FALSE(leak_check_crashed("noiselab: wrote x.png\n"));
}

TEST(ProcessRerun, ATracerCrashRunsTheCommandOnceMore) {
    CountingCommand c;
    const auto r = run_shell(c.command("wrote\n" + kTracerCrash, "wrote again\n"));
    EXPECT_EQ(c.runs(), 2);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(r.reran);
    EXPECT_EQ(r.output, "wrote again\n") << "the output is the second run's alone";
    EXPECT_EQ(r.first_output, "wrote\n" + kTracerCrash);
}

TEST(ProcessRerun, ALeakReportIsNeverRerun) {
    CountingCommand c;
    const auto r = run_shell(c.command(kLeakReport, "clean\n"));
    EXPECT_EQ(c.runs(), 1);
    EXPECT_EQ(r.status, 134);
    EXPECT_FALSE(r.reran);
    EXPECT_NE(r.output.find("detected memory leaks"), std::string::npos) << r.output;
}

TEST(ProcessRerun, ASecondTracerCrashFailsAndBothOutputsAreKept) {
    CountingCommand c;
    const auto r = run_shell(c.command("first run\n" + kTracerCrash, "second run\n" + kTracerCrash, 134));
    EXPECT_EQ(c.runs(), 2) << "one rerun, not more";
    EXPECT_EQ(r.status, 134);
    EXPECT_TRUE(nl::test::leak_check_crashed(r.output)) << "the failure shows the second crash: " << r.output;
    EXPECT_NE(r.output.find("second run"), std::string::npos) << r.output;
    EXPECT_NE(r.first_output.find("first run"), std::string::npos) << r.first_output;
}

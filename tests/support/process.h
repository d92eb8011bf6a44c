// Runs a shell command for the end-to-end tests (the app under Xvfb, PyTorch snippets) and
// returns its exit status and everything it printed, stderr included.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace nl::test {

struct ProcessResult {
    int status = -1;  // the exit status; -1 when it could not start or was killed by a signal
    std::string output;
    // Set when the command ran twice (run_shell below): the first run's output, kept apart so that
    // `output` is always one run's.
    std::string first_output;
    bool reran = false;
};

// True when LeakSanitizer's own stop-the-world tracer crashed at the process's exit
// (google/sanitizers#1353): the leak check then never ran, so the run says nothing about leaks,
// and whatever the program did before exit succeeded or failed on its own. A leak that was found
// reads "ERROR: LeakSanitizer: detected memory leaks" instead and is never taken for this.
inline bool leak_check_crashed(const std::string& output) {
    return output.find("Tracer caught signal") != std::string::npos &&
           output.find("LeakSanitizer has encountered a fatal error") != std::string::npos;
}

inline ProcessResult run_shell_once(const std::string& command) {
    ProcessResult r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// Why a rerun: in the sanitized build (scripts/noiselab-sanitize, part of CI) the tracer crash is
// rare (40 exits in a row under full load did not show it here), yet it failed a CI run (2026-11-27,
// lessons_app_xvfb) whose app had drawn and written everything asked of it. The command runs once
// more so that its leak check does run, and the rerun is said on stderr (in the test's log). A
// second tracer crash fails the test. Commands given here must be safe to repeat: screenshots are
// written with --force, and a refusal is the same refusal the second time.
inline ProcessResult run_shell(const std::string& command) {
    ProcessResult first = run_shell_once(command);
    if (!leak_check_crashed(first.output)) return first;
    std::fprintf(stderr, "run_shell: LeakSanitizer's tracer crashed at exit, so this ran again: %s\n", command.c_str());
    ProcessResult r = run_shell_once(command);
    r.first_output = first.output;
    r.reran = true;
    return r;
}

}  // namespace nl::test

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
};

inline ProcessResult run_shell(const std::string& command) {
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

}  // namespace nl::test

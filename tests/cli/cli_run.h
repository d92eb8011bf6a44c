// Runs the built `noiselab` binary in a fresh temporary directory and captures its exit status,
// stdout and stderr, for the end-to-end tests of the command line.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cli_test {

inline std::string binary() { return std::string(NOISELAB_BINARY_DIR) + "/app/noiselab"; }

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// Single-quotes an argument for /bin/sh.
inline std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

struct Result {
    int status = -1;  // exit status; 128 + signal when killed
    std::string out, err;
};

// A scratch directory, removed afterwards; commands run inside it.
class Sandbox {
public:
    Sandbox() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "noiselab-cli-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
    }
    ~Sandbox() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path path(const std::string& name) const { return dir_ / name; }
    bool exists(const std::string& name) const { return std::filesystem::exists(dir_ / name); }

    // noiselab ARGS... (each argument quoted), in the sandbox.
    Result noiselab(const std::vector<std::string>& args) const {
        std::string cmd = sh_quote(binary());
        for (const std::string& a : args) cmd += " " + sh_quote(a);
        return shell(cmd);
    }
    // Any shell command line, in the sandbox (stdin from /dev/null).
    Result shell(const std::string& cmd) const {
        // Braces: the command may redirect or pipe itself; the capture applies to all of it.
        const std::string full = "cd " + sh_quote(dir_.string()) + " && { " + cmd + "\n} </dev/null >" +
                                 sh_quote((dir_ / ".stdout").string()) + " 2>" + sh_quote((dir_ / ".stderr").string());
        const int w = std::system(full.c_str());
        Result r;
        r.status = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + (WIFSIGNALED(w) ? WTERMSIG(w) : 0);
        r.out = read_text(dir_ / ".stdout");
        r.err = read_text(dir_ / ".stderr");
        return r;
    }

private:
    std::filesystem::path dir_;
};

// The 16 hex digits after "hash " in the command's output, or "".
inline std::string printed_hash(const std::string& out) {
    const size_t p = out.find("\nhash ");
    return p == std::string::npos ? "" : out.substr(p + 6, 16);
}

inline bool have_numpy() { return std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0; }

}  // namespace cli_test

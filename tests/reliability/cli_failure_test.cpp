// End-to-end failure paths of the `noiselab` command line: every export is atomic and refuses to
// overwrite without --force; a missing or unwritable directory or a file-size limit gives a clear
// error, exit status != 0 and no file (final or temporary) left behind; requests beyond memory or
// with overflowing shapes are refused before allocating, with exit status 2 and the reason.
// Each test runs the real executable (fork + exec, no shell) in a fresh empty directory.
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace {

struct Result {
    int status = -1;  // exit status, or 128 + signal number when killed (as shells report it)
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

class CliFailure : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/noiselab-reliability-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        io_ = fs::path(std::string(tmpl) + "-io");
        fs::create_directories(io_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir_, ec);
        fs::remove_all(io_, ec);
    }

    // Runs noiselab with args in dir_ (stdout / stderr captured outside it, so dir_ holds only
    // what noiselab wrote); fsize_limit > 0 sets RLIMIT_FSIZE (bytes) for the child only.
    // as_nobody: when the test runs as root (CI does), the child drops to uid/gid 65534 before
    // exec, so that file modes bind it; exit status 125 means it could not (no CAP_SETUID, or
    // the executable is not reachable by that user).
    Result run(const std::vector<std::string>& args, rlim_t fsize_limit = 0, bool as_nobody = false) {
        const fs::path out = io_ / "stdout", err = io_ / "stderr";
        const pid_t pid = ::fork();
        if (pid == 0) {
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (o < 0 || e < 0 || ::dup2(o, 1) < 0 || ::dup2(e, 2) < 0 || ::chdir(dir_.c_str()) != 0) ::_exit(126);
            if (fsize_limit > 0) {
                // The limit applies to files opened from here on: the capture files above are
                // already open, and a write to them past the limit fails too, so keep them short.
                struct rlimit rl {fsize_limit, fsize_limit};
                if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) ::_exit(126);
            }
            static std::string exe = NOISELAB_EXE;
            if (as_nobody && ::geteuid() == 0) {
                if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0 ||
                    ::access(exe.c_str(), X_OK) != 0)
                    ::_exit(125);
            }
            std::vector<char*> argv;
            argv.push_back(exe.data());
            std::vector<std::string> copy = args;
            for (auto& a : copy) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(exe.c_str(), argv.data());
            ::_exit(127);
        }
        Result r;
        int ws = 0;
        if (pid < 0 || ::waitpid(pid, &ws, 0) != pid) return r;
        r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        r.out = slurp(out);
        r.err = slurp(err);
        return r;
    }

    // Every name in dir_ (recursively), to assert that a failed run left nothing behind.
    std::set<std::string> files() const {
        std::set<std::string> names;
        for (const auto& e : fs::recursive_directory_iterator(dir_)) names.insert(fs::relative(e.path(), dir_).string());
        return names;
    }

    fs::path dir_, io_;
};

// A small grid the tests export (4 images of 8x8).
const std::vector<std::string> kSample = {"sample", "--shape", "4,1,8,8", "--seed", "7"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

TEST_F(CliFailure, ExportIntoMissingDirectoryFailsCleanly) {
    for (const char* flag : {"--out", "--npy", "--hist"}) {
        SCOPED_TRACE(flag);
        const Result r = run(with(kSample, {flag, "nodir/x.out"}));
        EXPECT_NE(r.status, 0);
        EXPECT_NE(r.err.find("nodir"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
        EXPECT_TRUE(files().empty()) << "left behind: " << *files().begin();
    }
}

TEST_F(CliFailure, ExportBelowARegularFileFailsCleanly) {
    std::ofstream(dir_ / "plain") << "not a directory";
    const Result r = run(with(kSample, {"--npy", "plain/x.npy"}));
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("plain/x.npy"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Not a directory"), std::string::npos) << r.err;
    EXPECT_EQ(files(), std::set<std::string>{"plain"});
    EXPECT_EQ(slurp(dir_ / "plain"), "not a directory");
}

TEST_F(CliFailure, ExportIntoProcFailsCleanly) {
    // /proc refuses new files even to root, so this runs everywhere (the mode-bit test below
    // needs a non-root user).
    const Result r = run(with(kSample, {"--npy", "/proc/noiselab-reliability.npy"}));
    EXPECT_NE(r.status, 0);
    EXPECT_LT(r.status, 128);
    EXPECT_NE(r.err.find("/proc/noiselab-reliability.npy"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot create a file in directory '/proc'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists("/proc/noiselab-reliability.npy"));
    EXPECT_TRUE(files().empty());
}

TEST_F(CliFailure, ExportIntoUnwritableDirectoryFailsCleanly) {
    // Mode bits do not stop root, and CI runs as root: then noiselab runs as "nobody" (run's
    // as_nobody), for whom the directory below is read-only like for any ordinary user.
    fs::permissions(dir_, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    fs::create_directory(dir_ / "ro");
    fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read |
                                     fs::perms::others_exec);
    const Result r = run(with(kSample, {"--out", "ro/x.png"}), 0, /*as_nobody=*/true);
    fs::permissions(dir_ / "ro", fs::perms::owner_all);
    if (r.status == 125 && ::geteuid() == 0)
        GTEST_SKIP() << "running as root, and could not run noiselab as uid 65534 (no CAP_SETUID, or "
                     << NOISELAB_EXE << " not reachable by that user)";
    EXPECT_NE(r.status, 0);
    EXPECT_LT(r.status, 125);
    EXPECT_NE(r.err.find("ro/x.png"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
    EXPECT_EQ(files(), std::set<std::string>{"ro"});
}

TEST_F(CliFailure, ExistingFileIsKeptWithoutForce) {
    std::ofstream(dir_ / "a.png") << "precious";
    const Result r = run(with(kSample, {"--out", "a.png"}));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("a.png already exists; use --force"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir_ / "a.png"), "precious");
    EXPECT_EQ(files(), std::set<std::string>{"a.png"});
}

TEST_F(CliFailure, OneExistingOutputMeansNoOutputIsWritten) {
    // Outputs are checked before anything is sampled: a refused run writes none of them.
    std::ofstream(dir_ / "h.png") << "precious";
    const Result r = run(with(kSample, {"--npy", "x.npy", "--out", "g.png", "--hist", "h.png"}));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--hist h.png already exists"), std::string::npos) << r.err;
    EXPECT_EQ(files(), std::set<std::string>{"h.png"});
    EXPECT_EQ(slurp(dir_ / "h.png"), "precious");
}

TEST_F(CliFailure, ForceReplacesAtomically) {
    std::ofstream(dir_ / "a.npy") << "old";
    const Result r = run(with(kSample, {"--npy", "a.npy", "--force"}));
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string data = slurp(dir_ / "a.npy");
    EXPECT_EQ(data.substr(0, 6), "\x93NUMPY");
    EXPECT_EQ(files(), std::set<std::string>{"a.npy"});  // no temporary file left
}

TEST_F(CliFailure, FileSizeLimitFailsCleanly) {
    // 64*28*28 float32 = 200 KB of .npy, or a PNG grid of ~50 KB, against a 4 KiB limit: the
    // write fails part way (EFBIG, as a full disk gives ENOSPC) and the temporary file goes.
    for (const char* flag : {"--npy", "--out"}) {
        SCOPED_TRACE(flag);
        const Result r = run({"sample", "--shape", "64,1,28,28", flag, "big.file"}, 4096);
        EXPECT_NE(r.status, 0);
        EXPECT_LT(r.status, 128) << "killed by signal " << r.status - 128 << " instead of reporting the error";
        EXPECT_NE(r.err.find("big.file"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
        EXPECT_TRUE(files().empty()) << "left behind: " << *files().begin();
    }
}

TEST_F(CliFailure, FullDiskOnStdoutIsReported) {
    // /dev/full fails every write with ENOSPC, as a full disk does: `stream` redirected there must
    // say so and exit non-zero rather than report success. (Exports meet the same errno through
    // the atomic writer; FileSizeLimitFailsCleanly covers that path with EFBIG.)
    const fs::path full = "/dev/full";
    if (!fs::exists(full)) GTEST_SKIP() << "no /dev/full";
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(full.c_str(), O_WRONLY);
        const int e = ::open((io_ / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || e < 0 || ::dup2(fd, 1) < 0 || ::dup2(e, 2) < 0) ::_exit(126);
        const char* argv[] = {NOISELAB_EXE, "stream", "--seed", "1", "--words", "100000", nullptr};
        ::execv(NOISELAB_EXE, const_cast<char**>(argv));
        ::_exit(127);
    }
    int ws = 0;
    ASSERT_EQ(::waitpid(pid, &ws, 0), pid);
    ASSERT_TRUE(WIFEXITED(ws)) << "killed by signal " << WTERMSIG(ws);
    EXPECT_NE(WEXITSTATUS(ws), 0) << "a failed write to stdout must not report success";
    const std::string err = slurp(io_ / "stderr");
    EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
}

TEST_F(CliFailure, RequestBeyondMemoryIsRefusedWithTheBytesNeeded) {
    // 10^12 float64 elements = 7.28 TiB: under the shape ceiling (2^40), beyond any host's memory.
    const Result r = run({"sample", "--shape", "1000000,1000000", "--dtype", "float64"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("needs 7.28 TiB"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("available"), std::string::npos) << r.err;
    EXPECT_TRUE(files().empty());
}

TEST_F(CliFailure, ShapeBeyondTheCeilingIsRefused) {
    // 10^15 elements, the example: refused by the shape parser before any size is computed.
    const Result r = run({"sample", "--shape", "1000000,1000000,1000"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("--shape '1000000,1000000,1000'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2^40"), std::string::npos) << r.err;
}

TEST_F(CliFailure, OverflowingShapesAreRefused) {
    // Products that wrap around 2^64 (to 0, or to a small number) must not slip through.
    for (const char* shape : {"4294967296,4294967296,4294967296,4294967296",  // 2^128: wraps to 0
                              "18446744073709551617,1",                       // > int64
                              "9223372036854775807,2",                        // 2^64 - 2 as uint64
                              "65536,65536,65536,65536,16"}) {                // 2^68: wraps to 16 * 0
        SCOPED_TRACE(shape);
        const Result r = run({"sample", "--shape", shape, "--npy", "x.npy"});
        EXPECT_EQ(r.status, 2) << r.err;
        EXPECT_NE(r.err.find("--shape"), std::string::npos) << r.err;
        EXPECT_TRUE(files().empty());
    }
}

TEST_F(CliFailure, RawStreamIsTheHexStreamInBinary) {
    const Result hex = run({"stream", "--seed", "1234", "--words", "8"});
    const Result raw = run({"stream", "--raw", "--seed", "1234", "--words", "8"});
    ASSERT_EQ(hex.status, 0) << hex.err;
    ASSERT_EQ(raw.status, 0) << raw.err;
    ASSERT_EQ(raw.out.size(), 32u);
    std::istringstream in(hex.out);
    for (size_t i = 0; i < 8; ++i) {
        std::string w;
        ASSERT_TRUE(in >> w);
        const uint32_t v = static_cast<uint32_t>(std::stoul(w, nullptr, 16));
        uint32_t b = 0;
        for (int k = 3; k >= 0; --k) b = (b << 8) | static_cast<uint8_t>(raw.out[4 * i + k]);  // little-endian
        EXPECT_EQ(b, v) << "word " << i;
    }
}

}  // namespace

// write_file_atomic / read_file: content, refusal to overwrite, and clean failures (missing or
// read-only directory, file size limit) that leave no partial or temporary file behind.
#include "tensor/io/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tensor/errors.h"
#include "tests/io/io_test_util.h"

namespace nl::io {
namespace {

using testing::io_error_of;
using testing::ScratchDir;

std::vector<uint8_t> pattern(size_t n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 131 + 7);
    return v;
}

TEST(AtomicFile, WritesExactBytesAndLeavesNoTempFile) {
    ScratchDir dir;
    const auto data = pattern(100000);
    write_file_atomic(dir.file("a.bin"), data);
    EXPECT_EQ(read_file(dir.file("a.bin")), data);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.bin"});
}

TEST(AtomicFile, EmptyFile) {
    ScratchDir dir;
    write_file_atomic(dir.file("empty"), std::vector<uint8_t>{});
    EXPECT_TRUE(read_file(dir.file("empty")).empty());
}

TEST(AtomicFile, NewFileGetsUmaskPermissionsNotTempFileMode) {
    ScratchDir dir;
    const mode_t old = ::umask(022);
    write_file_atomic(dir.file("p"), pattern(3));
    ::umask(old);
    struct stat st;
    ASSERT_EQ(::stat(dir.file("p").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(AtomicFile, RefusesToOverwriteWithoutFlag) {
    ScratchDir dir;
    const std::string path = dir.file("keep.bin");
    write_file_atomic(path, pattern(10));
    const std::string msg = io_error_of([&] { write_file_atomic(path, pattern(20)); });
    EXPECT_NE(msg.find("already exists"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--force"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_EQ(read_file(path), pattern(10));
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"keep.bin"});
}

TEST(AtomicFile, RefusesToReplaceASymlinkWithoutFlag) {
    ScratchDir dir;
    ASSERT_EQ(::symlink("nowhere", dir.file("link").c_str()), 0);  // dangling: stat() says absent
    EXPECT_NE(io_error_of([&] { write_file_atomic(dir.file("link"), pattern(4)); }).find("--force"), std::string::npos);
}

TEST(AtomicFile, OverwritesWithFlag) {
    ScratchDir dir;
    const std::string path = dir.file("x");
    write_file_atomic(path, pattern(10));
    write_file_atomic(path, pattern(5), /*overwrite=*/true);
    EXPECT_EQ(read_file(path), pattern(5));
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"x"});
}

TEST(AtomicFile, MissingDirectoryNamesPathAndReason) {
    ScratchDir dir;
    const std::string path = dir.file("no/such/dir/out.png");
    const std::string msg = io_error_of([&] { write_file_atomic(path, pattern(10)); });
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
    EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicFile, PathThatIsADirectory) {
    ScratchDir dir;
    EXPECT_NE(io_error_of([&] { write_file_atomic(dir.path(), pattern(1), true); }).find("directory"), std::string::npos);
    EXPECT_NE(io_error_of([&] { write_file_atomic(dir.path() + "/", pattern(1)); }).find("directory"), std::string::npos);
    EXPECT_THROW(write_file_atomic("", pattern(1)), IOError);
}

TEST(AtomicFile, UnwritableProcDirectory) {
    // /proc refuses new files even for root, so this checks the error path wherever tests run.
    const std::string msg = io_error_of([&] { write_file_atomic("/proc/nl_io_test.bin", pattern(10)); });
    EXPECT_NE(msg.find("/proc/nl_io_test.bin"), std::string::npos) << msg;
    EXPECT_NE(msg.find("cannot create a file in directory '/proc'"), std::string::npos) << msg;
}

TEST(AtomicFile, ReadOnlyDirectory) {
    if (::geteuid() == 0) GTEST_SKIP() << "running as root: mode bits do not stop root (see UnwritableProcDirectory)";
    ScratchDir dir;
    ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
    const std::string msg = io_error_of([&] { write_file_atomic(dir.file("out.npy"), pattern(10)); });
    ::chmod(dir.path().c_str(), 0755);
    EXPECT_NE(msg.find("Permission denied"), std::string::npos) << msg;
    EXPECT_TRUE(dir.entries().empty());
}

// A full disk (ENOSPC) and a file size limit (EFBIG) take the same path: write() fails midway.
// RLIMIT_FSIZE provokes the latter without filling a disk; it is set in a child process so the
// test runner keeps its own limits. Exit codes say which check failed.
TEST(AtomicFile, FileSizeLimitLeavesNothingBehind) {
    ScratchDir dir;
    const std::string fresh = dir.file("fresh.bin");
    const std::string existing = dir.file("existing.bin");
    write_file_atomic(existing, pattern(100));
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);  // get EFBIG from write() instead of being killed
        struct rlimit lim = {4096, 4096};
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(10);
        try {
            write_file_atomic(fresh, pattern(1 << 20));
            ::_exit(11);  // should have thrown
        } catch (const IOError& e) {
            const std::string msg = e.what();
            if (msg.find(fresh) == std::string::npos || msg.find("File too large") == std::string::npos) ::_exit(12);
        }
        try {
            write_file_atomic(existing, pattern(1 << 20), /*overwrite=*/true);
            ::_exit(13);
        } catch (const IOError&) {
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child died with signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: setrlimit failed, 11: no error, 12: bad message, 13: overwrite did not fail";
    // No partial file, no temporary file, and the old file intact.
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"existing.bin"});
    EXPECT_EQ(read_file(existing), pattern(100));
}

TEST(ReadFile, Errors) {
    ScratchDir dir;
    std::string msg = io_error_of([&] { read_file(dir.file("missing")); });
    EXPECT_NE(msg.find(dir.file("missing")), std::string::npos) << msg;
    EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
    msg = io_error_of([&] { read_file(dir.path()); });
    EXPECT_NE(msg.find("directory"), std::string::npos) << msg;
    write_file_atomic(dir.file("big"), pattern(1000));
    msg = io_error_of([&] { read_file(dir.file("big"), 999); });
    EXPECT_NE(msg.find("limit of 999 bytes"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1000"), std::string::npos) << msg;
    EXPECT_EQ(read_file(dir.file("big"), 1000).size(), 1000u);
}

TEST(ReadFile, FilesWhoseSizeIsUnknownInAdvance) {
    // /proc files report size 0; the reader must not trust st_size, and must bound the read.
    EXPECT_FALSE(read_file("/proc/self/status").empty());
    EXPECT_THROW(read_file("/proc/self/status", 10), IOError);
}

}  // namespace
}  // namespace nl::io

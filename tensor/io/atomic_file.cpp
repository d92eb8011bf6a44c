// Crash-safe whole-file writes (temp file + fsync + rename) and bounded whole-file reads.
#include "tensor/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "tensor/errors.h"

namespace nl::io {
namespace {

// strerror_r comes in two flavours (XSI returns int, GNU returns char*); accept either.
[[maybe_unused]] std::string strerror_result(int rc, const char* buf) {
    return rc == 0 ? std::string(buf) : std::string("unknown error");
}
[[maybe_unused]] std::string strerror_result(const char* msg, const char*) { return std::string(msg); }

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// Splits "dir/name" into ("dir", "name"); a bare name lives in ".".
void split_path(const std::string& path, std::string& dir, std::string& base) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) {
        dir = ".";
        base = path;
    } else {
        dir = slash == 0 ? "/" : path.substr(0, slash);
        base = path.substr(slash + 1);
    }
}

// A name unlikely to collide; O_EXCL makes a collision harmless (we just try the next one).
std::string temp_name(const std::string& dir, const std::string& base, unsigned attempt) {
    uint64_t x = static_cast<uint64_t>(::getpid()) * 0x9E3779B97F4A7C15ull ^
                 static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                 (static_cast<uint64_t>(attempt) << 48);
    x ^= x >> 31;  // splitmix64 finaliser: spreads every input bit over the suffix
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "%012llx", static_cast<unsigned long long>(x & 0xFFFFFFFFFFFFull));
    // Keep the name under NAME_MAX (255) even for a long destination name.
    const std::string stem = base.size() > 200 ? base.substr(0, 200) : base;
    return (dir == "/" ? std::string("/") : dir + "/") + "." + stem + ".tmp-" + suffix;
}

// Owns the temporary file until it is renamed into place; removes it on every failure path.
class TempFile {
public:
    TempFile(const std::string& path, const std::string& dir, const std::string& base) : path_(path) {
        for (unsigned attempt = 0; attempt < 64; ++attempt) {
            name_ = temp_name(dir, base, attempt);
            // 0666 so the final file gets the user's umask, like any newly created file.
            fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ >= 0) return;
            if (errno != EEXIST) break;
        }
        const int err = errno;
        name_.clear();
        throw IOError("cannot write " + quoted(path_) + ": cannot create a file in directory " +
                      quoted(dir) + ": " + errno_message(err));
    }
    ~TempFile() { discard(); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write_all(const uint8_t* p, size_t n) {
        while (n > 0) {
            // Bounded chunks: some kernels cap a single write at ~2 GiB anyway.
            const size_t chunk = n < (size_t(1) << 30) ? n : (size_t(1) << 30);
            const ssize_t w = ::write(fd_, p, chunk);
            if (w < 0) {
                if (errno == EINTR) continue;
                fail("writing", errno);
            }
            if (w == 0) fail("writing", EIO);
            p += w;
            n -= static_cast<size_t>(w);
        }
    }
    void sync_and_close() {
        if (::fsync(fd_) != 0) fail("flushing to disk", errno);
        const int fd = fd_;
        fd_ = -1;
        // close() can report a deferred write error (NFS, quotas); it must not be ignored.
        if (::close(fd) != 0) fail("closing", errno);
    }
    const std::string& name() const { return name_; }
    // The file now lives under its final name; nothing to clean up.
    void release() { name_.clear(); }
    [[noreturn]] void fail(const char* what, int err) {
        discard();
        throw IOError("cannot write " + quoted(path_) + ": " + what + " failed: " + errno_message(err));
    }
    void discard() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        if (!name_.empty()) ::unlink(name_.c_str());
        name_.clear();
    }

private:
    std::string path_;
    std::string name_;
    int fd_ = -1;
};

[[noreturn]] void throw_exists(const std::string& path) {
    throw IOError("cannot write " + quoted(path) + ": the file already exists (use --force to overwrite it)");
}

// Moves tmp to path only if path does not exist, atomically where the filesystem allows it.
void place_no_replace(TempFile& tmp, const std::string& path) {
    const char* from = tmp.name().c_str();
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) return tmp.release();
    if (errno == EEXIST) {
        tmp.discard();
        throw_exists(path);
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) tmp.fail("renaming", errno);
#endif
    // Filesystems without renameat2 flags: link() also refuses to replace an existing name.
    if (::link(from, path.c_str()) == 0) {
        ::unlink(from);
        return tmp.release();
    }
    if (errno == EEXIST) {
        tmp.discard();
        throw_exists(path);
    }
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS) tmp.fail("linking", errno);
    // No hard links either (FAT, some FUSE mounts): check, then rename; a race is possible here.
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
        tmp.discard();
        throw_exists(path);
    }
    if (::rename(from, path.c_str()) != 0) tmp.fail("renaming", errno);
    tmp.release();
}

// Makes the rename itself durable. Best effort: some filesystems refuse fsync on a directory,
// and by now the new file is complete and in place, so a failure here is not an error.
void sync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::string errno_message(int err) {
    char buf[256] = {0};
    return strerror_result(strerror_r(err, buf, sizeof buf), buf);
}

void write_file_atomic(const std::string& path, const void* data, size_t n, bool overwrite) {
    if (path.empty()) throw IOError("cannot write a file with an empty path");
    std::string dir, base;
    split_path(path, dir, base);
    if (base.empty() || base == "." || base == "..")
        throw IOError("cannot write " + quoted(path) + ": the path names a directory, not a file");
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw IOError("cannot write " + quoted(path) + ": it is a directory");
    // Fail before writing anything (the final placement checks again, atomically).
    if (!overwrite && ::lstat(path.c_str(), &st) == 0) throw_exists(path);

    TempFile tmp(path, dir, base);
    tmp.write_all(static_cast<const uint8_t*>(data), n);
    tmp.sync_and_close();
    if (overwrite) {
        if (::rename(tmp.name().c_str(), path.c_str()) != 0) tmp.fail("renaming", errno);
        tmp.release();
    } else {
        place_no_replace(tmp, path);
    }
    sync_directory(dir);
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes, bool overwrite) {
    write_file_atomic(path, bytes.data(), bytes.size(), overwrite);
}

std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes) {
    if (path.empty()) throw IOError("cannot read a file with an empty path");
    int fd;
    do {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) throw IOError("cannot read " + quoted(path) + ": " + errno_message(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};

    struct stat st;
    if (::fstat(fd, &st) != 0) throw IOError("cannot read " + quoted(path) + ": " + errno_message(errno));
    if (S_ISDIR(st.st_mode)) throw IOError("cannot read " + quoted(path) + ": it is a directory");
    auto too_large = [&](const std::string& detail) {
        return IOError("cannot read " + quoted(path) + ": the file is larger than the limit of " +
                       std::to_string(max_bytes) + " bytes" + detail);
    };
    std::vector<uint8_t> out;
    if (S_ISREG(st.st_mode)) {
        if (static_cast<uint64_t>(st.st_size) > max_bytes) throw too_large(" (it has " + std::to_string(st.st_size) + ")");
        out.reserve(static_cast<size_t>(st.st_size));  // /proc files say 0 and grow below
    }
    // Read up to one byte past the limit, so a file that grows (or a pipe) is still bounded.
    uint8_t buf[1 << 16];
    for (;;) {
        const ssize_t r = ::read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw IOError("cannot read " + quoted(path) + ": " + errno_message(errno));
        }
        if (r == 0) break;
        if (static_cast<size_t>(r) > max_bytes - out.size()) throw too_large("");
        out.insert(out.end(), buf, buf + r);
    }
    return out;
}

}  // namespace nl::io

// Whole-file reads and crash-safe writes. A write goes to a temporary file in the destination's
// directory, is flushed to disk (fsync) and then renamed over the destination, so a reader sees
// either the old file or the complete new one, never a half-written file; on any failure the
// temporary file is removed and an IOError names the path and the system's reason.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nl::io {

// Default ceiling for read_file: far above anything Noise Lab writes (weights, images, arrays),
// low enough that a wrong path (a disk image, /dev/zero) fails fast instead of exhausting memory.
constexpr size_t kDefaultMaxFileBytes = size_t(2) << 30;  // 2 GiB

// Writes `n` bytes to `path` atomically (temp file in the same directory, write, fsync, rename,
// fsync of the directory). Without `overwrite`, an existing `path` is left untouched and the
// IOError says to use --force; the check and the final rename are atomic together (no window in
// which another process's file could be replaced). Throws IOError naming the path and strerror
// for an unwritable or missing directory, a full disk (ENOSPC), a file size limit (EFBIG)...;
// nothing is left behind in that case.
void write_file_atomic(const std::string& path, const void* data, size_t n, bool overwrite = false);
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes, bool overwrite = false);

// Reads a whole file. Throws IOError naming the path for a missing or unreadable file, a
// directory, or a file larger than max_bytes (the message gives both sizes).
std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);

// strerror(err) without the thread-safety problem of strerror(); for error messages.
std::string errno_message(int err);

}  // namespace nl::io

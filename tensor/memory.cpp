#include "tensor/memory.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "tensor/backend.h"

namespace nl {

namespace {
uint64_t read_cgroup_limit() {
    // cgroup v2, then v1; "max" or a huge number means no limit.
    for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream f(path);
        std::string s;
        if (f >> s && s != "max") {
            try {
                const uint64_t v = std::stoull(s);
                if (v < (uint64_t(1) << 60)) return v;
            } catch (...) {
            }
        }
    }
    return UINT64_MAX;
}

uint64_t cpu_available() {
    uint64_t avail = 0;
    std::ifstream f("/proc/meminfo");
    std::string key;
    uint64_t kb;
    std::string unit;
    while (f >> key >> kb) {
        std::getline(f, unit);
        if (key == "MemAvailable:") {
            avail = kb * 1024;
            break;
        }
    }
    if (avail == 0) {
        const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        if (pages > 0 && page > 0) avail = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
    }
    const uint64_t limit = read_cgroup_limit();
    return avail < limit ? avail : limit;
}
}  // namespace

uint64_t available_memory(Device device) {
    if (device.is_cpu()) return cpu_available();
    Backend& b = backend_for(device);
    return b.available_memory(device.index);
}

std::string format_bytes(uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 6) {
        v /= 1024.0;
        ++u;
    }
    char buf[48];
    if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
    return buf;
}

}  // namespace nl

// The caching host allocator (host_allocator.h): large blocks are mmap'ed in 2 MiB multiples with
// MADV_HUGEPAGE, medium ones come from the C allocator in 4 KiB multiples, and both are recycled
// through one size-ordered free list, oldest evicted first at the cap.
#include "tensor/host_allocator.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "tensor/errors.h"
#include "tensor/memory.h"

namespace nl {

namespace {

// From kMedium on, freed blocks are kept for reuse. glibc serves such sizes (above its mmap
// threshold, 128 KiB to start with) from fresh mappings and returns them on free, so every new
// activation of a model on the CPU paid a page fault per 4 KiB: a third of the digits sampler's time
// (models_bench, 2026-11-27). From kLarge on, blocks are mmap'ed here, huge pages requested.
constexpr size_t kMedium = size_t(64) << 10;
constexpr size_t kMediumGranule = size_t(4) << 10;
constexpr size_t kLarge = size_t(1) << 20;
constexpr size_t kGranule = size_t(2) << 20;  // huge page size on x86-64

uint64_t default_limit() {
    if (const char* env = std::getenv("NOISELAB_HOST_CACHE_MB")) {
        char* end = nullptr;
        const unsigned long long mb = std::strtoull(env, &end, 10);
        if (end != env && *end == '\0') return static_cast<uint64_t>(mb) << 20;
    }
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    const uint64_t total = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
    const uint64_t eighth = total / 8;
    const uint64_t two_gib = uint64_t(2) << 30;
    return eighth > 0 && eighth < two_gib ? eighth : two_gib;
}

class Cache {
public:
    void* allocate(size_t bytes) {
        if (bytes < kMedium) return c_allocate(bytes, bytes);
        const size_t granule = bytes < kLarge ? kMediumGranule : kGranule;
        const size_t size = (bytes + granule - 1) / granule * granule;
        {
            std::lock_guard<std::mutex> lock(mu_);
            // The smallest free block that fits, if it wastes at most a quarter of itself.
            auto it = free_.lower_bound(size);
            if (it != free_.end() && it->first - it->first / 4 <= size) {
                void* p = it->second->p;
                live_[p] = it->first;
                cached_ -= it->first;
                lru_.erase(it->second);
                free_.erase(it);
                ++hits_;
                return p;
            }
            ++misses_;
        }
        if (size <= kLarge) {  // a medium request (< 1 MiB) rounds up to 1 MiB at most
            void* p = c_allocate(size, bytes);
            std::lock_guard<std::mutex> lock(mu_);
            live_[p] = size;
            return p;
        }
        void* p = map(size);
        if (!p) {  // the cache may hold what the system lacks
            host_cache_release();
            p = map(size);
        }
        if (!p) throw MemoryError("could not allocate " + format_bytes(bytes) + " of host memory");
        std::lock_guard<std::mutex> lock(mu_);
        live_[p] = size;
        return p;
    }

    void deallocate(void* p) {
        if (!p) return;
        size_t size = 0;
        std::list<Block> evicted;
        {
            std::lock_guard<std::mutex> lock(mu_);
            auto it = live_.find(p);
            if (it == live_.end()) {
                std::free(p);
                return;
            }
            size = it->second;
            live_.erase(it);
            if (size > limit_) {
                evicted.push_back({p, size});
            } else {
                while (cached_ + size > limit_ && !lru_.empty()) {  // evict the oldest
                    Block old = lru_.front();
                    erase_free(old);
                    evicted.push_back(old);
                }
                lru_.push_back({p, size});
                free_.emplace(size, std::prev(lru_.end()));
                cached_ += size;
            }
        }
        for (const Block& b : evicted) give_back(b);
    }

    void release() {
        std::list<Block> all;
        {
            std::lock_guard<std::mutex> lock(mu_);
            all.swap(lru_);
            free_.clear();
            cached_ = 0;
        }
        for (const Block& b : all) give_back(b);
    }

    HostCacheStats stats() {
        std::lock_guard<std::mutex> lock(mu_);
        HostCacheStats s;
        s.cached_bytes = cached_;
        s.cache_limit = limit_;
        s.hits = hits_;
        s.misses = misses_;
        return s;
    }

private:
    struct Block {
        void* p;
        size_t size;
    };

    // `size` bytes (a multiple of 64) from the C allocator; `asked` names the request in the error.
    static void* c_allocate(size_t size, size_t asked) {
        void* p = std::aligned_alloc(64, (size + 63) / 64 * 64);
        if (!p) throw MemoryError("could not allocate " + format_bytes(asked) + " of host memory");
        return p;
    }
    // A block leaving the cache goes back where it came from.
    static void give_back(const Block& b) {
        if (b.size <= kLarge) std::free(b.p);  // medium; mapped blocks are 2 MiB multiples
        else munmap(b.p, b.size);
    }

    static void* map(size_t size) {
        void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return nullptr;
#ifdef MADV_HUGEPAGE
        madvise(p, size, MADV_HUGEPAGE);  // advisory: ignored where THP is off
#endif
        return p;
    }

    void erase_free(const Block& b) {
        auto range = free_.equal_range(b.size);
        for (auto it = range.first; it != range.second; ++it) {
            if (it->second->p == b.p) {
                lru_.erase(it->second);
                free_.erase(it);
                break;
            }
        }
        cached_ -= b.size;
    }

    std::mutex mu_;
    std::unordered_map<void*, size_t> live_;                       // cached-size blocks in use
    std::list<Block> lru_;                                         // free blocks, oldest first
    std::multimap<size_t, std::list<Block>::iterator> free_;       // the same, by size
    uint64_t cached_ = 0;
    const uint64_t limit_ = default_limit();
    uint64_t hits_ = 0, misses_ = 0;
};

Cache& cache() {
    static Cache* c = new Cache;  // never destroyed: tensors may be freed during static destruction
    return *c;
}

}  // namespace

void* host_allocate(size_t bytes) { return cache().allocate(bytes); }
void host_deallocate(void* p) { cache().deallocate(p); }
HostCacheStats host_cache_stats() { return cache().stats(); }
void host_cache_release() { cache().release(); }

}  // namespace nl

#include "tensor/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tensor/errors.h"

namespace nl {

namespace {
int initial_threads() {
    if (const char* env = std::getenv("NOISELAB_NUM_THREADS")) {
        const int n = std::atoi(env);
        if (n >= 1 && n <= 1024) return n;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}
std::atomic<int> g_threads{initial_threads()};
}  // namespace

int get_num_threads() { return g_threads.load(); }

void set_num_threads(int n) {
    if (n < 1 || n > 1024) throw ValueError("thread count must be in [1, 1024], got " + std::to_string(n));
    g_threads.store(n);
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
    if (n <= 0) return;
    grain = std::max<int64_t>(grain, 1);
    const int64_t chunks = (n + grain - 1) / grain;
    const int threads = static_cast<int>(std::min<int64_t>(chunks, get_num_threads()));
    if (threads <= 1) {
        f(0, n);
        return;
    }
    std::atomic<int64_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (;;) {
            const int64_t c = next.fetch_add(1);
            if (c >= chunks) return;
            try {
                f(c * grain, std::min(n, (c + 1) * grain));
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(static_cast<size_t>(threads - 1));
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace nl

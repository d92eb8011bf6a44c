// parallel_for on a persistent pool of worker threads (started on first use, grown to the thread
// count asked for), so that a parallel op costs a wake-up, not a thread creation per call. Chunks
// are handed out in index order from an atomic counter; which thread runs a chunk never changes
// what the chunk computes. A parallel_for issued from inside another (or while another thread's
// is running) runs inline on its caller.
#include "tensor/parallel.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
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

thread_local bool t_inside = false;  // this thread is running chunks of a parallel_for

using Body = std::function<void(int64_t, int64_t)>;

class Pool {
public:
    // Runs the chunks of [0, n) on the caller and threads - 1 workers; false if the pool is busy.
    bool run(int64_t n, int64_t grain, int64_t chunks, int threads, const Body& f) {
        std::unique_lock<std::mutex> submit(submit_mu_, std::try_to_lock);
        if (!submit.owns_lock()) return false;
        grow(threads - 1);
        {
            std::lock_guard<std::mutex> lock(mu_);
            f_ = &f;
            n_ = n;
            grain_ = grain;
            chunks_ = chunks;
            next_.store(0);
            error_ = nullptr;
            participants_ = threads - 1;
            pending_ = threads - 1;
            ++generation_;
        }
        wake_.notify_all();
        work();
        std::unique_lock<std::mutex> lock(mu_);
        done_.wait(lock, [&] { return pending_ == 0; });
        f_ = nullptr;
        if (error_) std::rethrow_exception(error_);
        return true;
    }

private:
    void grow(int workers) {
        while (static_cast<int>(threads_.size()) < workers) {
            const int index = static_cast<int>(threads_.size());
            threads_.emplace_back([this, index] { worker(index); });
        }
    }

    void work() {
        t_inside = true;
        for (;;) {
            const int64_t c = next_.fetch_add(1);
            if (c >= chunks_) break;
            try {
                (*f_)(c * grain_, std::min(n_, (c + 1) * grain_));
            } catch (...) {
                std::lock_guard<std::mutex> lock(mu_);
                if (!error_) error_ = std::current_exception();
            }
        }
        t_inside = false;
    }

    void worker(int index) {
        uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> lock(mu_);
                wake_.wait(lock, [&] { return generation_ != seen; });
                seen = generation_;
                if (index >= participants_) continue;
            }
            work();
            std::lock_guard<std::mutex> lock(mu_);
            if (--pending_ == 0) done_.notify_one();
        }
    }

    std::mutex submit_mu_;  // one parallel_for at a time
    std::mutex mu_;
    std::condition_variable wake_, done_;
    std::vector<std::thread> threads_;
    const Body* f_ = nullptr;
    int64_t n_ = 0, grain_ = 1, chunks_ = 0;
    std::atomic<int64_t> next_{0};
    std::exception_ptr error_;
    int participants_ = 0, pending_ = 0;
    uint64_t generation_ = 0;
};

// Never destroyed: its threads sleep until the process exits. A child of fork() has none of the
// workers (only the forking thread survives), so it starts a fresh pool, abandoning the old one.
Pool*& pool_slot() {
    static Pool* p = nullptr;
    return p;
}
Pool& pool() {
    static std::once_flag once;
    std::call_once(once, [] {
        pool_slot() = new Pool;
        pthread_atfork(nullptr, nullptr, [] { pool_slot() = new Pool; });
    });
    return *pool_slot();
}
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
    if (threads <= 1 || t_inside || !pool().run(n, grain, chunks, threads, f)) f(0, n);
}

}  // namespace nl

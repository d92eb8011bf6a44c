// `noiselab bench`: times the random ops as a user calls them (functional ops return a new tensor,
// in-place ops fill an existing one) and prints one line per op:
//   op,dtype,n,threads,median_s,samples_per_s,gb_per_s
// median_s is the median of --repeat timed runs after --warmup untimed ones; samples_per_s = n /
// median_s; gb_per_s = bytes of the result tensor per second (of the logits read, for
// sample_logits). --cpu appends cpu_s, the median process CPU time per call (all threads), which
// tells a loaded machine (cpu_s / threads well below median_s) from a slow op.
// bench/compare_numpy_torch.py runs NumPy and PyTorch on the same sizes next to it.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli_parse.h"
#include "app/commands.h"
#include "tensor/backend.h"
#include "tensor/errors.h"
#include "tensor/parallel.h"
#include "tensor/random.h"
#include "tensor/simd/simd.h"

namespace nl::app {

namespace {

struct Spec {
    int64_t n;
    DType dtype;
    int threads;
    Device device;
    uint64_t seed;
    int64_t categories;  // multinomial
    int64_t rows;        // sample_logits
    double temperature;  // sample_logits
};

// One timed call: returns the bytes it produced (or read, for sample_logits).
using Run = std::function<double()>;

struct Op {
    const char* name;
    const char* what;
    DType default_dtype;
    int64_t default_n;
    // Prepares inputs (untimed) and returns the timed call.
    std::function<Run(const Spec&, Generator&)> make;
};

// Makes the device finish (a CUDA op returns before its kernel ends): copying one element back does.
void sync(const Tensor& t) {
    if (!t.device().is_cpu() && t.numel() > 0) (void)t.flatten().narrow(0, 0, 1).cpu();
}

double bytes_of(const Tensor& t) { return static_cast<double>(t.nbytes()); }

template <class F>
Run functional(const Spec& s, Generator& g, F f) {
    return [s, &g, f]() {
        const Tensor t = f(s, g);
        sync(t);
        return bytes_of(t);
    };
}

template <class F>
Run in_place(const Spec& s, Generator& g, F f) {
    auto buf = std::make_shared<Tensor>(Tensor::empty({s.n}, {s.dtype, s.device}));
    return [buf, &g, f]() {
        f(*buf, g);
        sync(*buf);
        return bytes_of(*buf);
    };
}

const std::vector<Op>& ops() {
    static const std::vector<Op> table = {
        {"rand", "torch.rand(n)", DType::Float32, int64_t(1) << 26,
         [](const Spec& s, Generator& g) {
             return functional(s, g, [](const Spec& s, Generator& g) { return rand({s.n}, {s.dtype, s.device}, &g); });
         }},
        {"randn", "torch.randn(n)", DType::Float32, int64_t(1) << 26,
         [](const Spec& s, Generator& g) {
             return functional(s, g, [](const Spec& s, Generator& g) { return randn({s.n}, {s.dtype, s.device}, &g); });
         }},
        {"randint", "torch.randint(0, 100, (n,))", DType::Int64, int64_t(1) << 24,
         [](const Spec& s, Generator& g) {
             return functional(s, g, [](const Spec& s, Generator& g) {
                 return randint(0, 100, {s.n}, {s.dtype, s.device}, &g);
             });
         }},
        {"bernoulli", "torch.bernoulli(like, p=0.5) (a new tensor)", DType::Float32, int64_t(1) << 24,
         [](const Spec& s, Generator& g) {
             return functional(s, g, [](const Spec& s, Generator& g) {
                 return bernoulli(0.5, {s.n}, {s.dtype, s.device}, &g);
             });
         }},
        {"uniform_", "t.uniform_() into an existing tensor", DType::Float32, int64_t(1) << 26,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { uniform_(t, 0.0, 1.0, &g); }); }},
        {"normal_", "t.normal_() into an existing tensor", DType::Float32, int64_t(1) << 26,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { normal_(t, 0.0, 1.0, &g); }); }},
        {"exponential_", "t.exponential_(1)", DType::Float32, int64_t(1) << 24,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { exponential_(t, 1.0, &g); }); }},
        {"log_normal_", "t.log_normal_(1, 2)", DType::Float32, int64_t(1) << 24,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { log_normal_(t, 1.0, 2.0, &g); }); }},
        {"cauchy_", "t.cauchy_(0, 1)", DType::Float32, int64_t(1) << 24,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { cauchy_(t, 0.0, 1.0, &g); }); }},
        {"geometric_", "t.geometric_(0.3)", DType::Float32, int64_t(1) << 22,
         [](const Spec& s, Generator& g) { return in_place(s, g, [](Tensor& t, Generator& g) { geometric_(t, 0.3, &g); }); }},
        {"poisson", "torch.poisson(rates), rates uniform in [0, 20)", DType::Float32, int64_t(1) << 22,
         [](const Spec& s, Generator& g) {
             Generator gr(1);
             Tensor rates = Tensor::empty({s.n}, {s.dtype, s.device});
             uniform_(rates, 0.0, 20.0, &gr);
             return functional(s, g, [rates](const Spec&, Generator& g) { return poisson(rates, &g); });
         }},
        {"randperm", "torch.randperm(n)", DType::Int64, 10000000,
         [](const Spec& s, Generator& g) {
             return functional(s, g, [](const Spec& s, Generator& g) { return randperm(s.n, {s.dtype, s.device}, &g); });
         }},
        {"multinomial", "torch.multinomial(p, n, replacement=True), --categories categories", DType::Float32, 10000000,
         [](const Spec& s, Generator& g) {
             std::vector<double> p(static_cast<size_t>(s.categories));
             for (int64_t j = 0; j < s.categories; ++j) p[j] = 1.0 + static_cast<double>(j % 3);
             const Tensor probs = from_vector(p, {s.categories}, {s.dtype, s.device});
             return functional(s, g, [probs](const Spec& s, Generator& g) { return multinomial(probs, s.n, true, &g); });
         }},
        {"sample_logits", "one draw per row of --rows x (n / rows) logits at --temperature", DType::Float32,
         int64_t(64) * 50000,
         [](const Spec& s, Generator& g) {
             Generator gl(2);
             const int64_t cols = s.n / s.rows;
             const Tensor logits = randn({s.rows, cols}, {s.dtype, s.device}, &gl);
             return [logits, s, &g]() {
                 const Tensor t = sample_logits(logits, s.temperature, 1, &g);
                 sync(t);
                 return bytes_of(logits);
             };
         }},
    };
    return table;
}

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size();
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

std::string op_names() {
    std::string s;
    for (const Op& op : ops()) s += std::string(s.empty() ? "" : ", ") + op.name;
    return s;
}

const Op& find_op(const std::string& name) {
    for (const Op& op : ops())
        if (name == op.name) return op;
    throw ValueError("--op: unknown op '" + name + "'; valid: all, " + op_names());
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t a = 0;
    while (a <= s.size()) {
        const size_t b = s.find(',', a);
        out.push_back(s.substr(a, b == std::string::npos ? std::string::npos : b - a));
        if (b == std::string::npos) break;
        a = b + 1;
    }
    return out;
}

int run_bench(int argc, char** argv) {
    CLI::App app{"Time the random ops (median of --repeat runs) and print op,dtype,n,threads,median_s,"
                 "samples_per_s,gb_per_s.",
                 "noiselab bench"};
    std::string device_s = "cpu", op_s = "all", dtype_s, n_s, threads_s, repeat_s = "10", warmup_s = "2", simd_s,
                seed_s = "0", categories_s = "3", rows_s = "64", temperature_s = "0.8";
    bool csv = false, list = false, cpu = false;
    app.add_option("--device", device_s, "cpu or cuda[:N] (default cpu)");
    app.add_option("--op", op_s, "op name, comma-separated names, or all (default); see --list");
    app.add_option("--dtype", dtype_s, "dtype (default: the op's, as in PyTorch)");
    app.add_option("--n", n_s, "elements (samples for multinomial, logits for sample_logits; default per op)");
    app.add_option("--threads", threads_s, "CPU threads (default: all)");
    app.add_option("--repeat", repeat_s, "timed runs, median reported (default 10)");
    app.add_option("--warmup", warmup_s, "untimed runs first (default 2)");
    app.add_option("--simd", simd_s, "CPU instruction set: scalar, sse2, avx2, avx512 (default: the best)");
    app.add_option("--seed", seed_s, "generator seed (default 0)");
    app.add_option("--categories", categories_s, "multinomial: categories (default 3)");
    app.add_option("--rows", rows_s, "sample_logits: rows (default 64)");
    app.add_option("--temperature", temperature_s, "sample_logits: temperature (default 0.8)");
    app.add_flag("--csv", csv, "CSV with a header line (default: aligned columns)");
    app.add_flag("--list", list, "list the ops and what each one times");
    app.add_flag("--cpu", cpu, "append cpu_s: the median process CPU time of a call, all threads");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "noiselab bench: " << e.what() << " (see noiselab bench --help)\n";
        return 2;
    }
    if (list) {
        for (const Op& op : ops())
            std::printf("%-14s %-9s n=%-10lld %s\n", op.name, dtype_name(op.default_dtype),
                        static_cast<long long>(op.default_n), op.what);
        return 0;
    }
    Spec base{};
    base.device = parse_device(device_s);
    base.threads = threads_s.empty() ? get_num_threads() : static_cast<int>(parse_int(threads_s, "--threads", 1, 1024));
    base.seed = parse_uint(seed_s, "--seed");
    base.categories = parse_int(categories_s, "--categories", 1, int64_t(1) << 23);
    base.rows = parse_int(rows_s, "--rows", 1, int64_t(1) << 30);
    base.temperature = parse_double(temperature_s, "--temperature");
    if (!(base.temperature > 0.0)) throw ValueError("--temperature must be > 0, got " + temperature_s);
    const int repeat = static_cast<int>(parse_int(repeat_s, "--repeat", 1, 100000));
    const int warmup = static_cast<int>(parse_int(warmup_s, "--warmup", 0, 100000));
    if (!simd_s.empty()) set_simd_level(parse_simd_level(simd_s));
    set_num_threads(base.threads);

    std::vector<const Op*> chosen;
    if (op_s == "all") {
        for (const Op& op : ops()) chosen.push_back(&op);
    } else {
        for (const std::string& name : split(op_s)) chosen.push_back(&find_op(name));
    }

    // Check every op's sizes and the device before printing anything.
    (void)backend_for(base.device);
    std::vector<Spec> specs;
    for (const Op* op : chosen) {
        Spec s = base;
        s.dtype = dtype_s.empty() ? op->default_dtype : parse_dtype(dtype_s);
        s.n = n_s.empty() ? op->default_n : parse_int(n_s, "--n", 1, kMaxNumel);
        if (std::string(op->name) == "sample_logits" && s.n < s.rows)
            throw ValueError("--n " + std::to_string(s.n) + " is fewer logits than --rows " + std::to_string(s.rows));
        specs.push_back(s);
    }

    if (csv) std::printf("op,dtype,n,threads,median_s,samples_per_s,gb_per_s%s\n", cpu ? ",cpu_s" : "");
    else std::printf("%-14s %-9s %11s %7s %12s %15s %9s%s\n", "op", "dtype", "n", "threads", "median_s", "samples_per_s",
                     "gb_per_s", cpu ? "        cpu_s" : "");
    for (size_t k = 0; k < chosen.size(); ++k) {
        const Op* op = chosen[k];
        const Spec& s = specs[k];
        Generator g(base.seed);
        const Run call = op->make(s, g);
        for (int i = 0; i < warmup; ++i) call();
        std::vector<double> times, cpu_times;
        double bytes = 0.0;
        for (int i = 0; i < repeat; ++i) {
            const double c0 = process_cpu_seconds();
            const auto t0 = std::chrono::steady_clock::now();
            bytes = call();
            times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            cpu_times.push_back(process_cpu_seconds() - c0);
        }
        const double med = median(times);
        const double n = static_cast<double>(s.n);
        char extra[64] = "";
        if (cpu) std::snprintf(extra, sizeof extra, csv ? ",%.6g" : " %12.6g", median(cpu_times));
        if (csv)
            std::printf("%s,%s,%lld,%d,%.6g,%.6g,%.4g%s\n", op->name, dtype_name(s.dtype), static_cast<long long>(s.n),
                        s.threads, med, n / med, bytes / med / 1e9, extra);
        else
            std::printf("%-14s %-9s %11lld %7d %12.6g %15.6g %9.4g%s\n", op->name, dtype_name(s.dtype),
                        static_cast<long long>(s.n), s.threads, med, n / med, bytes / med / 1e9, extra);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
    try {
        return run_bench(argc, argv);
    } catch (const Error& e) {
        std::cerr << "noiselab bench: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace nl::app

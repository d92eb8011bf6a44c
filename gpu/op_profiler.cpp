// NOISELAB_PROFILE_OPS=1: host and GPU time per device op (see op_profiler.h).
#include "gpu/op_profiler.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "gpu/device.h"
#include "tensor/tensor.h"

namespace nl::gpu {

namespace {

// One timed call: its op, device, host microseconds and the events around it on the GPU.
struct Record {
    const char* op;
    int device;
    double host_us;
    cudaEvent_t start, stop;
};

// Beyond this many calls only host time is kept (the events would pile up).
constexpr size_t kMaxRecords = 200000;

struct Profile {
    std::mutex mutex;
    std::vector<Record> records;
    std::map<std::string, std::pair<int64_t, double>> host_only;  // op -> calls, host us (past the cap)
};

Profile& profile() {
    static Profile* p = new Profile;  // never destroyed: the exit report reads it
    return *p;
}

void report_at_exit() {
    bool any;
    {
        Profile& p = profile();
        std::lock_guard<std::mutex> lock(p.mutex);
        any = !p.records.empty() || !p.host_only.empty();
    }
    if (any) std::fputs(op_profile_table().c_str(), stderr);
}

cudaEvent_t make_event() {
    cudaEvent_t e = nullptr;
    if (cudaEventCreate(&e) != cudaSuccess) {
        cudaGetLastError();
        return nullptr;
    }
    return e;
}

int device_of(const Tensor& t) { return t.device().index; }

// A lasting C string for a label built at run time (OpTimer keeps the pointer).
const char* intern(const std::string& label) {
    static std::mutex m;
    static auto* labels = new std::set<std::string>;  // never destroyed: the exit report reads them
    std::lock_guard<std::mutex> lock(m);
    return labels->insert(label).first->c_str();
}

// "conv2d 3x3/1 16->32 20x20": convolutions differ a lot in cost, so each shape gets its row
// (conv2d_add's as "conv2d_add ...").
const char* conv_label(const Tensor& x, const Tensor& w, const DeviceConvOptions& o, bool with_addend) {
    const char* name = with_addend ? "conv2d_add" : "conv2d";
    if (!op_profiling() || x.dim() != 4 || w.dim() != 4) return name;
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s %lldx%lld/%lld %lld->%lld %lldx%lld", name, static_cast<long long>(w.size(2)),
                  static_cast<long long>(w.size(3)), static_cast<long long>(o.stride_h), static_cast<long long>(x.size(1)),
                  static_cast<long long>(w.size(0)), static_cast<long long>(x.size(2)), static_cast<long long>(x.size(3)));
    return intern(buf);
}

const char* binary_name(DeviceBinaryOp op) {
    switch (op) {
        case DeviceBinaryOp::Add: return "add";
        case DeviceBinaryOp::Sub: return "sub";
        case DeviceBinaryOp::Mul: return "mul";
        case DeviceBinaryOp::Div: return "div";
    }
    return "binary";
}

const char* unary_name(DeviceUnaryOp op) {
    static const char* const names[] = {"neg", "abs", "relu", "exp", "log", "sqrt", "sin",
                                        "cos", "tanh", "sigmoid", "silu", "gelu", "gelu_tanh"};
    const auto i = static_cast<size_t>(op);
    return i < sizeof names / sizeof names[0] ? names[i] : "unary";
}

// Every DeviceOps call timed, then handed to the backend's own kernels.
class ProfiledOps final : public DeviceOps {
public:
    explicit ProfiledOps(DeviceOps* inner) : in_(inner) {}
    Tensor binary(DeviceBinaryOp op, const Tensor& a, const Tensor& b) override {
        OpTimer t(binary_name(op), device_of(a));
        return in_->binary(op, a, b);
    }
    Tensor binary_scalar(DeviceBinaryOp op, const Tensor& x, double s, bool first) override {
        OpTimer t(binary_name(op), device_of(x));
        return in_->binary_scalar(op, x, s, first);
    }
    Tensor unary(DeviceUnaryOp op, const Tensor& x) override {
        OpTimer t(unary_name(op), device_of(x));
        return in_->unary(op, x);
    }
    Tensor sum(const Tensor& x) override {
        OpTimer t("sum", device_of(x));
        return in_->sum(x);
    }
    Tensor softmax(const Tensor& x, int64_t dim, bool log) override {
        OpTimer t(log ? "log_softmax" : "softmax", device_of(x));
        return in_->softmax(x, dim, log);
    }
    Tensor matmul(const Tensor& a, const Tensor& b) override {
        OpTimer t("matmul", device_of(a));
        return in_->matmul(a, b);
    }
    Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) override {
        OpTimer t("index_select", device_of(x));
        return in_->index_select(x, dim, index);
    }
    Tensor conv2d(const Tensor& x, const Tensor& w, const Tensor& b, const DeviceConvOptions& o, int64_t Ho,
                  int64_t Wo, const Tensor& add) override {
        OpTimer t(conv_label(x, w, o, add.defined()), device_of(x));
        return in_->conv2d(x, w, b, o, Ho, Wo, add);
    }
    Tensor group_norm(const Tensor& x, int64_t groups, const Tensor& w, const Tensor& b, double eps,
                      bool then_silu) override {
        OpTimer t(then_silu ? "group_norm_silu" : "group_norm", device_of(x));
        return in_->group_norm(x, groups, w, b, eps, then_silu);
    }
    Tensor reduce_rows(DeviceReduceOp op, const Tensor& rows, int64_t outer, int64_t inner, bool unbiased) override {
        OpTimer t("reduce_rows", device_of(rows));
        return in_->reduce_rows(op, rows, outer, inner, unbiased);
    }
    bool extreme_rows(bool is_max, const Tensor& rows, int64_t outer, int64_t inner, Tensor& v, Tensor& ix) override {
        OpTimer t("extreme_rows", device_of(rows));
        return in_->extreme_rows(is_max, rows, outer, inner, v, ix);
    }
    Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) override {
        OpTimer t("gather", device_of(x));
        return in_->gather(x, dim, index);
    }
    Tensor cumsum(const Tensor& x, int64_t outer, int64_t n, int64_t inner) override {
        OpTimer t("cumsum", device_of(x));
        return in_->cumsum(x, outer, n, inner);
    }
    Tensor contiguous(const Tensor& x) override {
        OpTimer t("contiguous", device_of(x));
        return in_->contiguous(x);
    }
    Tensor convert(const Tensor& x, DType to) override {
        OpTimer t("convert", device_of(x));
        return in_->convert(x, to);
    }
    Tensor layer_norm(const Tensor& x, int64_t len, const Tensor& w, const Tensor& b, double eps) override {
        OpTimer t("layer_norm", device_of(x));
        return in_->layer_norm(x, len, w, b, eps);
    }
    Tensor batch_norm(const Tensor& x, const Tensor& m, const Tensor& v, const Tensor& w, const Tensor& b,
                      double eps) override {
        OpTimer t("batch_norm", device_of(x));
        return in_->batch_norm(x, m, v, w, b, eps);
    }
    Tensor avg_pool2d(const Tensor& x, const layer::PoolGeometry& g) override {
        OpTimer t("avg_pool2d", device_of(x));
        return in_->avg_pool2d(x, g);
    }
    Tensor conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor& b, const layer::ConvTransposeGeometry& g) override {
        OpTimer t("conv_transpose2d", device_of(x));
        return in_->conv_transpose2d(x, w, b, g);
    }
    Tensor upsample_nearest2d(const Tensor& x, int64_t Ho, int64_t Wo, double sh, double sw) override {
        OpTimer t("upsample_nearest2d", device_of(x));
        return in_->upsample_nearest2d(x, Ho, Wo, sh, sw);
    }
    Tensor cat(const std::vector<Tensor>& parts, int64_t dim, const std::vector<int64_t>& shape) override {
        OpTimer t("cat", parts.empty() ? 0 : device_of(parts[0]));
        return in_->cat(parts, dim, shape);
    }
    Tensor clamp(const Tensor& x, bool has_lo, double lo, bool has_hi, double hi) override {
        OpTimer t("clamp", device_of(x));
        return in_->clamp(x, has_lo, lo, has_hi, hi);
    }
    Tensor compare(DeviceCompareOp op, const Tensor& a, const Tensor& b) override {
        OpTimer t("compare", device_of(a));
        return in_->compare(op, a, b);
    }
    Tensor compare_scalar(DeviceCompareOp op, const Tensor& x, double s) override {
        OpTimer t("compare", device_of(x));
        return in_->compare_scalar(op, x, s);
    }
    Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) override {
        OpTimer t("where", device_of(a));
        return in_->where(cond, a, b);
    }
    bool histogram(const Tensor& x, int bins, double lo, double hi, double scale, DeviceHistogram& out) override {
        OpTimer t("histogram", device_of(x));
        return in_->histogram(x, bins, lo, hi, scale, out);
    }
    bool moments(const Tensor& x, DeviceMoments& out) override {
        OpTimer t("moments", device_of(x));
        return in_->moments(x, out);
    }

private:
    DeviceOps* in_;
};

}  // namespace

namespace {
std::atomic<bool>& profiling_flag() {
    static std::atomic<bool> on{[] {
        const char* v = std::getenv("NOISELAB_PROFILE_OPS");
        return v && std::strcmp(v, "1") == 0;
    }()};
    return on;
}
}  // namespace

bool op_profiling() { return profiling_flag().load(std::memory_order_relaxed); }
void set_op_profiling(bool on) { profiling_flag().store(on, std::memory_order_relaxed); }

OpTimer::OpTimer(const char* op, int device) {
    if (!op_profiling()) return;
    op_ = op;
    device_ = device;
    Profile& p = profile();
    {
        std::lock_guard<std::mutex> lock(p.mutex);
        static bool registered = (std::atexit(report_at_exit), true);
        (void)registered;
        if (p.records.size() < kMaxRecords) {
            DeviceGuard guard(device);
            const cudaEvent_t start = make_event(), stop = make_event();
            if (start && stop) {
                record_ = static_cast<int>(p.records.size());
                p.records.push_back({op, device, 0.0, start, stop});
                cudaEventRecord(start, current_stream(device));
            }
        }
    }
    t0_ = std::chrono::steady_clock::now();
}

OpTimer::~OpTimer() {
    if (!op_) return;
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0_).count();
    Profile& p = profile();
    std::lock_guard<std::mutex> lock(p.mutex);
    if (record_ < 0) {
        auto& [calls, host] = p.host_only[op_];
        ++calls;
        host += us;
        return;
    }
    Record& r = p.records[static_cast<size_t>(record_)];
    r.host_us = us;
    DeviceGuard guard(device_);
    cudaEventRecord(r.stop, current_stream(device_));
}

DeviceOps* profiled_ops(DeviceOps* inner) { return new ProfiledOps(inner); }

void op_profile_reset() {
    Profile& p = profile();
    std::lock_guard<std::mutex> lock(p.mutex);
    for (const Record& r : p.records) {
        cudaEventDestroy(r.start);
        cudaEventDestroy(r.stop);
    }
    p.records.clear();
    p.host_only.clear();
}

std::string op_profile_table() {
    struct Row {
        int64_t calls = 0, timed = 0;
        double host_us = 0, gpu_us = 0;
    };
    std::map<std::string, Row> rows;
    Profile& p = profile();
    std::lock_guard<std::mutex> lock(p.mutex);
    for (const Record& r : p.records) {
        Row& row = rows[r.op];
        ++row.calls;
        row.host_us += r.host_us;
        float ms = 0.0f;
        DeviceGuard guard(r.device);
        if (cudaEventSynchronize(r.stop) == cudaSuccess && cudaEventElapsedTime(&ms, r.start, r.stop) == cudaSuccess) {
            row.gpu_us += 1000.0 * ms;
            ++row.timed;
        } else {
            cudaGetLastError();
        }
    }
    for (const auto& [op, ch] : p.host_only) {
        rows[op].calls += ch.first;
        rows[op].host_us += ch.second;
    }
    std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.gpu_us > b.second.gpu_us; });
    Row total;
    for (const auto& [op, r] : sorted) {
        total.calls += r.calls;
        total.timed += r.timed;
        total.host_us += r.host_us;
        total.gpu_us += r.gpu_us;
    }
    std::string out = "\nNOISELAB_PROFILE_OPS: device ops of this process (GPU time between events around each call on\n"
                      "its stream; host time spent issuing it)\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-20s %9s %12s %9s %12s %9s %7s\n", "op", "calls", "GPU ms", "GPU us/op", "host ms",
                  "host us/op", "GPU %");
    out += line;
    auto print = [&](const std::string& name, const Row& r) {
        std::snprintf(line, sizeof line, "%-20s %9lld %12.3f %9.2f %12.3f %9.2f %7.1f\n", name.c_str(),
                      static_cast<long long>(r.calls), r.gpu_us / 1000.0, r.timed ? r.gpu_us / r.timed : 0.0,
                      r.host_us / 1000.0, r.calls ? r.host_us / r.calls : 0.0,
                      total.gpu_us > 0 ? 100.0 * r.gpu_us / total.gpu_us : 0.0);
        out += line;
    };
    for (const auto& [op, r] : sorted) print(op, r);
    print("total", total);
    return out;
}

}  // namespace nl::gpu

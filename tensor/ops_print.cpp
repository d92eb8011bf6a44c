// Tensor::str(): PyTorch's repr, character for character (torch/_tensor_str.py with the default
// print options: precision 4, threshold 1000, edgeitems 3, linewidth 80). One formatter (width,
// fixed / integer / scientific mode) is chosen from the elements that are shown, as PyTorch does.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tensor/ops.h"
#include "tensor/tensor.h"

namespace nl {

namespace {

constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

std::string printf_str(const char* fmt, int width, double v) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, width, kPrecision, v);
    return buf;
}

// Python's float formatting, which prints every NaN as "nan" (C may print "-nan").
std::string fmt_fixed(double v) { return std::isnan(v) ? "nan" : printf_str("%*.*f", 0, v); }
std::string fmt_sci(double v, int width) {
    if (std::isnan(v)) return std::string(width > 3 ? width - 3 : 0, ' ') + "nan";
    return printf_str("%*.*e", width, v);
}
std::string fmt_int_mode(double v) {
    if (std::isnan(v)) return "nan";
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

// Reads element values of a CPU tensor by storage offset.
struct Reader {
    DType dtype;
    const char* base;
    double real(int64_t off) const {
        return dispatch_dtype(dtype, [&](auto tag) {
            using T = decltype(tag);
            return to_double<T>(reinterpret_cast<const T*>(base)[off]);
        });
    }
    std::string text(int64_t off) const {  // integers and bool, as Python's str()
        switch (dtype) {
            case DType::Bool: return reinterpret_cast<const bool*>(base)[off] ? "True" : "False";
            case DType::Int64: return std::to_string(reinterpret_cast<const int64_t*>(base)[off]);
            case DType::Int32: return std::to_string(reinterpret_cast<const int32_t*>(base)[off]);
            case DType::UInt8: return std::to_string(reinterpret_cast<const uint8_t*>(base)[off]);
            default: return fmt_fixed(real(off));
        }
    }
};

// torch._tensor_str._Formatter.
struct Formatter {
    bool floating = false, int_mode = true, sci_mode = false;
    int width = 1;

    Formatter(const Reader& rd, const std::vector<int64_t>& offsets) {
        floating = is_floating(rd.dtype);
        if (!floating) {
            for (int64_t off : offsets) width = std::max(width, static_cast<int>(rd.text(off).size()));
            return;
        }
        std::vector<double> vals;
        for (int64_t off : offsets) {
            const double v = rd.real(off);
            if (std::isfinite(v) && v != 0.0) vals.push_back(v);
        }
        if (vals.empty()) return;
        double mn = std::fabs(vals[0]), mx = mn;
        for (double v : vals) {
            mn = std::min(mn, std::fabs(v));
            mx = std::max(mx, std::fabs(v));
            if (v != std::ceil(v)) int_mode = false;
        }
        sci_mode = mx / mn > 1000.0 || mx > 1.0e8 || mn < 1.0e-4;
        for (double v : vals) {
            int w;
            if (sci_mode) w = static_cast<int>(fmt_sci(v, 0).size());
            else if (int_mode) w = static_cast<int>(fmt_int_mode(v).size()) + 1;  // the trailing "."
            else w = static_cast<int>(fmt_fixed(v).size());
            width = std::max(width, w);
        }
    }

    std::string format(const Reader& rd, int64_t off) const {
        std::string s;
        if (floating) {
            const double v = rd.real(off);
            if (sci_mode) {
                s = fmt_sci(v, width);
            } else if (int_mode) {
                s = fmt_int_mode(v);
                if (std::isfinite(v)) s += ".";
            } else {
                s = fmt_fixed(v);
            }
        } else {
            s = rd.text(off);
        }
        if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width) - s.size(), ' ');
        return s;
    }
};

struct Printer {
    const Tensor& t;
    Reader rd;
    bool summarize;

    // Indices shown along a dim of this size: all, or the first and last kEdgeItems.
    std::vector<int64_t> shown(int64_t size) const {
        std::vector<int64_t> v;
        if (summarize && size > 2 * kEdgeItems) {
            for (int64_t i = 0; i < kEdgeItems; ++i) v.push_back(i);
            for (int64_t i = size - kEdgeItems; i < size; ++i) v.push_back(i);
        } else {
            for (int64_t i = 0; i < size; ++i) v.push_back(i);
        }
        return v;
    }

    void collect(size_t d, int64_t off, std::vector<int64_t>& out) const {
        if (d == t.shape().size()) {
            out.push_back(off);
            return;
        }
        for (int64_t i : shown(t.shape()[d])) collect(d + 1, off + i * t.strides()[d], out);
    }

    std::string str(size_t d, int64_t off, int64_t indent, const Formatter& f) const {
        const size_t rank = t.shape().size();
        if (rank == 0) return f.format(rd, off);
        const int64_t size = t.shape()[d];
        const int64_t stride = t.strides()[d];
        const bool cut = summarize && size > 2 * kEdgeItems;
        std::vector<std::string> items;
        if (d + 1 == rank) {  // _vector_str
            const int64_t element_length = f.width + 2;
            const int64_t per_line = std::max<int64_t>(1, (kLineWidth - indent) / element_length);
            for (int64_t i : shown(size)) {
                if (cut && i == size - kEdgeItems) items.push_back(" ...");
                items.push_back(f.format(rd, off + i * stride));
            }
            std::string s = "[";
            for (size_t i = 0; i < items.size(); ++i) {
                if (i > 0) {
                    if (static_cast<int64_t>(i) % per_line == 0) s += ",\n" + std::string(static_cast<size_t>(indent + 1), ' ');
                    else s += ", ";
                }
                s += items[i];
            }
            return s + "]";
        }
        for (int64_t i : shown(size)) {
            if (cut && i == size - kEdgeItems) items.push_back("...");
            items.push_back(str(d + 1, off + i * stride, indent + 1, f));
        }
        const std::string sep = "," + std::string(rank - d - 1, '\n') + std::string(static_cast<size_t>(indent + 1), ' ');
        std::string s = "[";
        for (size_t i = 0; i < items.size(); ++i) {
            if (i > 0) s += sep;
            s += items[i];
        }
        return s + "]";
    }
};

std::string torch_dtype(DType d) { return std::string("torch.") + dtype_name(d); }

// torch._tensor_str._add_suffixes.
std::string add_suffixes(const std::string& body, const std::vector<std::string>& suffixes, int64_t indent) {
    std::string s = body;
    const size_t nl = s.rfind('\n');
    int64_t last_line_len = static_cast<int64_t>(s.size()) - (nl == std::string::npos ? -1 : static_cast<int64_t>(nl)) + 1;
    for (const std::string& suffix : suffixes) {
        const int64_t len = static_cast<int64_t>(suffix.size());
        if (last_line_len + len + 2 > kLineWidth) {
            s += ",\n" + std::string(static_cast<size_t>(indent), ' ') + suffix;
            last_line_len = indent + len;
        } else {
            s += ", " + suffix;
            last_line_len += len + 2;
        }
    }
    return s + ")";
}

}  // namespace

std::string Tensor::str() const {
    if (!defined()) return "tensor(undefined)";
    const std::string prefix = "tensor(";
    const int64_t indent = static_cast<int64_t>(prefix.size());
    std::vector<std::string> suffixes;
    if (!device().is_cpu()) suffixes.push_back("device='" + device().str() + "'");
    const Tensor c = device().is_cpu() ? *this : cpu();
    std::string body;
    if (c.numel() == 0) {
        if (c.dim() != 1) {
            std::string size = "size=(";
            for (int64_t i = 0; i < c.dim(); ++i) size += (i ? ", " : "") + std::to_string(c.shape()[i]);
            suffixes.push_back(size + ")");
        }
        if (c.dtype() != DType::Float32) suffixes.push_back("dtype=" + torch_dtype(c.dtype()));
        body = "[]";
    } else {
        if (c.dtype() != DType::Float32 && c.dtype() != DType::Int64 && c.dtype() != DType::Bool)
            suffixes.push_back("dtype=" + torch_dtype(c.dtype()));
        const Reader rd{c.dtype(), static_cast<const char*>(c.storage()->data())};
        const Printer p{c, rd, c.numel() > kThreshold};
        std::vector<int64_t> offsets;
        p.collect(0, c.storage_offset(), offsets);
        const Formatter f(rd, offsets);
        body = p.str(0, c.storage_offset(), indent, f);
    }
    return add_suffixes(prefix + body, suffixes, indent);
}

}  // namespace nl

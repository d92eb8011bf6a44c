// safetensors reader and writer.
#include "tensor/io/safetensors.h"

#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "tensor/errors.h"
#include "tensor/io/bytes.h"

namespace nl::io {
namespace {

using json = nlohmann::json;
constexpr const char* kMetadataKey = "__metadata__";
constexpr size_t kMaxRank = 64;

struct DTypeCode {
    const char* code;
    DType dtype;
};
constexpr DTypeCode kCodes[] = {
    {"F32", DType::Float32}, {"F16", DType::Float16}, {"BF16", DType::BFloat16}, {"F64", DType::Float64},
    {"I64", DType::Int64},   {"I32", DType::Int32},   {"U8", DType::UInt8},      {"BOOL", DType::Bool},
};

std::string supported_codes() {
    std::string s;
    for (const DTypeCode& c : kCodes) s += (s.empty() ? "" : ", ") + std::string(c.code);
    return s;
}

// Builds the header DOM while refusing duplicate keys (JSON libraries silently keep the last
// one, so two readers could disagree about a file) and nesting deeper than the schema has.
json parse_header(const std::string& text, const std::string& name) {
    std::vector<std::set<std::string>> keys;  // one set per open object
    auto callback = [&](int depth, json::parse_event_t ev, json& parsed) {
        switch (ev) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                // The deepest container in the schema is an entry's shape array (depth 2).
                if (depth > 2) throw IOError(name + ": the safetensors header nests deeper than the format allows");
                if (ev == json::parse_event_t::object_start) keys.emplace_back();
                break;
            case json::parse_event_t::object_end:
                keys.pop_back();
                break;
            case json::parse_event_t::key:
                if (!keys.back().insert(parsed.get<std::string>()).second)
                    throw IOError(name + ": the safetensors header has the key '" + parsed.get<std::string>() +
                                  "' twice in one object");
                break;
            default:
                break;
        }
        return true;
    };
    try {
        return json::parse(text, callback);
    } catch (const json::exception& e) {
        throw IOError(name + ": the safetensors header is not valid JSON: " + e.what());
    }
}

uint64_t get_offset(const json& v, const std::string& where) {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
        throw IOError(where + " must be non-negative integers");
    return v.get<uint64_t>();
}

struct Entry {
    std::string name;
    DType dtype;
    Shape shape;
    uint64_t begin, end;
};

}  // namespace

const char* safetensors_dtype_name(DType d) {
    for (const DTypeCode& c : kCodes)
        if (c.dtype == d) return c.code;
    return "?";
}

std::vector<uint8_t> encode_safetensors(const std::map<std::string, Tensor>& tensors,
                                        const std::map<std::string, std::string>& metadata) {
    json header = json::object();
    if (!metadata.empty()) header[kMetadataKey] = metadata;
    std::vector<Tensor> contiguous;
    uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        if (name.empty() || name == kMetadataKey)
            throw ValueError("safetensors: invalid tensor name '" + name + "' (empty or reserved)");
        if (!t.defined()) throw ValueError("safetensors: tensor '" + name + "' is undefined");
        contiguous.push_back(t.cpu().contiguous());
        const uint64_t n = contiguous.back().nbytes();
        header[name] = {{"dtype", safetensors_dtype_name(t.dtype())},
                        {"shape", t.shape()},
                        {"data_offsets", {offset, offset + n}}};
        offset += n;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const json::type_error& e) {  // a name or metadata value that is not valid UTF-8
        throw ValueError(std::string("safetensors: cannot write the header: ") + e.what());
    }
    text.append((8 - text.size() % 8) % 8, ' ');  // the data area starts 8-byte aligned

    std::vector<uint8_t> out;
    out.reserve(8 + text.size() + offset);
    detail::append_le64(out, text.size());
    out.insert(out.end(), text.begin(), text.end());
    for (const Tensor& t : contiguous) {
        const uint8_t* p = static_cast<const uint8_t*>(t.data_ptr());
        out.insert(out.end(), p, p + t.nbytes());
    }
    return out;
}

void save_safetensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata, bool overwrite) {
    write_file_atomic(path, encode_safetensors(tensors, metadata), overwrite);
}

Safetensors decode_safetensors(const uint8_t* data, size_t size, const std::string& name) {
    auto fail = [&](const std::string& what) { return IOError(name + ": " + what); };
    if (size < 8)
        throw fail("too short for a safetensors file (" + std::to_string(size) + " bytes; the header length alone is 8)");
    const uint64_t hlen = detail::load_le64(data);
    if (hlen > kMaxSafetensorsHeader)
        throw fail("the header length " + std::to_string(hlen) + " is above the limit of " +
                   std::to_string(kMaxSafetensorsHeader) + " bytes (not a safetensors file?)");
    if (hlen > size - 8)
        throw fail("the header length " + std::to_string(hlen) + " runs past the end of the file (" +
                   std::to_string(size) + " bytes)");
    if (hlen < 2 || data[8] != '{') throw fail("the header does not start with '{' (not a safetensors file?)");
    const std::string text(reinterpret_cast<const char*>(data + 8), static_cast<size_t>(hlen));
    const json header = parse_header(text, name);
    if (!header.is_object()) throw fail("the header is not a JSON object");

    const uint8_t* area = data + 8 + hlen;
    const uint64_t area_size = size - 8 - hlen;
    Safetensors out;
    std::vector<Entry> entries;
    for (const auto& item : header.items()) {
        const std::string& key = item.key();
        const json& v = item.value();
        if (key == kMetadataKey) {
            if (!v.is_object()) throw fail("__metadata__ must be an object of strings");
            for (const auto& m : v.items()) {
                if (!m.value().is_string()) throw fail("__metadata__ value '" + m.key() + "' is not a string");
                out.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = name + ": tensor '" + key + "'";
        if (!v.is_object()) throw IOError(where + " is not an object");
        for (const auto& f : v.items())
            if (f.key() != "dtype" && f.key() != "shape" && f.key() != "data_offsets")
                throw IOError(where + " has an unknown field '" + f.key() + "' (valid: dtype, shape, data_offsets)");
        auto field = [&](const char* f) -> const json& {
            auto it = v.find(f);
            if (it == v.end()) throw IOError(where + " has no '" + f + "'");
            return *it;
        };
        Entry e;
        e.name = key;
        const json& dt = field("dtype");
        if (!dt.is_string()) throw IOError(where + ": dtype is not a string");
        const std::string code = dt.get<std::string>();
        const DTypeCode* found = nullptr;
        for (const DTypeCode& c : kCodes)
            if (code == c.code) found = &c;
        if (!found) throw IOError(where + " has unsupported dtype '" + code + "' (supported: " + supported_codes() + ")");
        e.dtype = found->dtype;

        const json& shape = field("shape");
        if (!shape.is_array() || shape.size() > kMaxRank)
            throw IOError(where + ": shape must be an array of at most " + std::to_string(kMaxRank) + " sizes");
        uint64_t numel = 1;
        for (const json& s : shape) {
            if (!s.is_number_unsigned() && !(s.is_number_integer() && s.get<int64_t>() >= 0))
                throw IOError(where + ": shape entries must be non-negative integers");
            const uint64_t d = s.get<uint64_t>();
            if (d > static_cast<uint64_t>(INT64_MAX) || detail::mul_overflow_u64(numel, d, numel))
                throw IOError(where + ": shape " + shape.dump() + " has more elements than fit in 64 bits");
            e.shape.push_back(static_cast<int64_t>(d));
        }
        if (!detail::strides_fit_int64(e.shape))
            throw IOError(where + ": shape " + shape.dump() + ": its sizes (zeros counted as 1) multiply to more than 2^63");
        const json& offs = field("data_offsets");
        if (!offs.is_array() || offs.size() != 2) throw IOError(where + ": data_offsets must be [begin, end]");
        e.begin = get_offset(offs[0], where + ": data_offsets");
        e.end = get_offset(offs[1], where + ": data_offsets");
        if (e.begin > e.end || e.end > area_size)
            throw IOError(where + ": data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                          "] are not inside the data area of " + std::to_string(area_size) + " bytes");
        uint64_t nbytes = 0;
        const bool overflow = detail::mul_overflow_u64(numel, dtype_size(e.dtype), nbytes);
        if (overflow || nbytes != e.end - e.begin)
            throw IOError(where + ": shape " + shape_str(e.shape) + " of " + code + " needs " +
                          (overflow ? std::string("more than 2^64") : std::to_string(nbytes)) +
                          " bytes but data_offsets span " + std::to_string(e.end - e.begin));
        entries.push_back(std::move(e));
    }

    // The tensors must tile [0, area_size): sorted by offset, each starts where the last ended.
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    uint64_t expected = 0;
    const Entry* prev = nullptr;
    for (const Entry& e : entries) {
        if (e.begin < expected)
            throw fail("tensors '" + prev->name + "' and '" + e.name + "' overlap in the data area");
        if (e.begin > expected)
            throw fail("the data area has a hole of " + std::to_string(e.begin - expected) + " bytes before tensor '" +
                       e.name + "'");
        expected = e.end;
        prev = &e;
    }
    if (expected != area_size)
        throw fail("the data area has " + std::to_string(area_size - expected) +
                   " bytes that no tensor uses (truncated header or trailing data)");

    // Allocations now total exactly the data area, which the file holds.
    for (const Entry& e : entries) {
        Tensor t = Tensor::empty(e.shape, e.dtype);
        uint8_t* dst = static_cast<uint8_t*>(t.data_ptr());
        const size_t n = static_cast<size_t>(e.end - e.begin);
        if (n) std::memcpy(dst, area + e.begin, n);
        if (e.dtype == DType::Bool)
            for (size_t i = 0; i < n; ++i) dst[i] = dst[i] != 0;  // a C++ bool must hold 0 or 1
        out.tensors.emplace(e.name, std::move(t));
    }
    return out;
}

Safetensors load_safetensors(const std::string& path, size_t max_bytes) {
    const std::vector<uint8_t> bytes = read_file(path, max_bytes);
    return decode_safetensors(bytes.data(), bytes.size(), path);
}

}  // namespace nl::io

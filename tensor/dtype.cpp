#include "tensor/dtype.h"

#include "tensor/errors.h"

namespace nl {

size_t dtype_size(DType d) {
    switch (d) {
        case DType::Float32: return 4;
        case DType::Float16: return 2;
        case DType::BFloat16: return 2;
        case DType::Float64: return 8;
        case DType::Int64: return 8;
        case DType::Int32: return 4;
        case DType::UInt8: return 1;
        case DType::Bool: return 1;
    }
    return 0;
}

const char* dtype_name(DType d) {
    switch (d) {
        case DType::Float32: return "float32";
        case DType::Float16: return "float16";
        case DType::BFloat16: return "bfloat16";
        case DType::Float64: return "float64";
        case DType::Int64: return "int64";
        case DType::Int32: return "int32";
        case DType::UInt8: return "uint8";
        case DType::Bool: return "bool";
    }
    return "?";
}

bool is_floating(DType d) {
    return d == DType::Float32 || d == DType::Float16 || d == DType::BFloat16 || d == DType::Float64;
}
bool is_integral(DType d) { return d == DType::Int64 || d == DType::Int32 || d == DType::UInt8; }

std::string all_dtype_names() {
    std::string s;
    for (DType d : kAllDTypes) {
        if (!s.empty()) s += ", ";
        s += dtype_name(d);
    }
    return s;
}

DType parse_dtype(std::string_view name) {
    if (name.rfind("torch.", 0) == 0) name.remove_prefix(6);
    struct Alias {
        const char* name;
        DType dtype;
    };
    static const Alias aliases[] = {
        {"float32", DType::Float32}, {"float", DType::Float32},   {"f32", DType::Float32},
        {"float16", DType::Float16}, {"half", DType::Float16},    {"f16", DType::Float16},
        {"bfloat16", DType::BFloat16}, {"bf16", DType::BFloat16}, {"float64", DType::Float64},
        {"double", DType::Float64},  {"f64", DType::Float64},     {"int64", DType::Int64},
        {"long", DType::Int64},      {"int32", DType::Int32},     {"int", DType::Int32},
        {"uint8", DType::UInt8},     {"byte", DType::UInt8},      {"bool", DType::Bool},
    };
    for (const Alias& a : aliases)
        if (name == a.name) return a.dtype;
    throw DTypeError("unknown dtype '" + std::string(name) + "'; valid dtypes: " + all_dtype_names());
}

}  // namespace nl

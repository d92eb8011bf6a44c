// Strict parsing of command-line values: shapes, numbers, lists and value ranges are accepted
// exactly when valid, and errors name the flag and the bad text.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "app/cli_parse.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::app;

namespace {

template <class E, class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "no exception";
    return "";
}

}  // namespace

TEST(ParseShape, Valid) {
    EXPECT_EQ(parse_shape("64,1,28,28"), (Shape{64, 1, 28, 28}));
    EXPECT_EQ(parse_shape(" 5 "), (Shape{5}));
    EXPECT_EQ(parse_shape("[2, 3]"), (Shape{2, 3}));
    EXPECT_EQ(parse_shape("28x28"), (Shape{28, 28}));
    EXPECT_EQ(parse_shape("1099511627776"), (Shape{int64_t(1) << 40}));  // exactly the ceiling
}

TEST(ParseShape, MalformedOrHugeNamesTheText) {
    for (const std::string bad : {"3,,4", "-1", "1e99", "abc", "", " ", "0", "2,0", "1.5", "4,", ",4", "+3", "0x10",
                                  "99999999999999999999", "1099511627777", "1048576,1048577", "[1,2", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"}) {
        const std::string msg = error_of<ShapeError>([&] { parse_shape(bad); });
        EXPECT_NE(msg.find("--shape"), std::string::npos) << msg;
        if (!bad.empty() && bad != " ") {
            EXPECT_NE(msg.find(bad), std::string::npos) << "message must quote '" << bad << "': " << msg;
        }
    }
    // Overflow of the product is caught before any multiplication wraps.
    const std::string msg = error_of<ShapeError>([] { parse_shape("4294967296,4294967296,4294967296"); });
    EXPECT_NE(msg.find("2^40"), std::string::npos) << msg;
}

TEST(ParseNumbers, Doubles) {
    EXPECT_EQ(parse_double("1.5", "--mean"), 1.5);
    EXPECT_EQ(parse_double("-2e-3", "--mean"), -2e-3);
    EXPECT_EQ(parse_double("1e-400", "--mean"), 0.0);  // underflow is a (tiny) number
    for (const char* bad : {"abc", "", "1.5x", "nan", "inf", "-inf", "1e999", "1,5"}) {
        const std::string msg = error_of<ValueError>([&] { parse_double(bad, "--mean"); });
        EXPECT_NE(msg.find("--mean"), std::string::npos) << msg;
    }
    EXPECT_TRUE(std::isinf(parse_double("-inf", "--logits", true)));
    EXPECT_THROW(parse_double("inf", "--logits", true), ValueError);
}

TEST(ParseNumbers, Lists) {
    EXPECT_EQ(parse_double_list("0.1,0.2,0.7", "--probs"), (std::vector<double>{0.1, 0.2, 0.7}));
    EXPECT_EQ(parse_double_list("[1, 2]", "--probs"), (std::vector<double>{1, 2}));
    EXPECT_THROW(parse_double_list("", "--probs"), ValueError);
    EXPECT_THROW(parse_double_list("1,,2", "--probs"), ValueError);
    const std::string msg = error_of<ValueError>([] { parse_double_list("1,2,3,4", "--probs", 3); });
    EXPECT_NE(msg.find("at most 3"), std::string::npos) << msg;
}

TEST(ParseNumbers, Integers) {
    EXPECT_EQ(parse_uint("18446744073709551615", "--seed"), UINT64_MAX);
    EXPECT_EQ(parse_uint("0xff", "--seed"), 255u);
    EXPECT_THROW(parse_uint("18446744073709551616", "--seed"), ValueError);
    EXPECT_THROW(parse_uint("-1", "--seed"), ValueError);
    EXPECT_THROW(parse_uint("1.0", "--seed"), ValueError);
    EXPECT_THROW(parse_uint("4294967296", "--stream", UINT32_MAX), ValueError);
    EXPECT_EQ(parse_int("-5", "--low", -10, 10), -5);
    EXPECT_THROW(parse_int("11", "--low", -10, 10), ValueError);
    EXPECT_THROW(parse_int("5e0", "--low", -10, 10), ValueError);
}

TEST(ParseRange, AllModesAndRoundTrip) {
    EXPECT_EQ(parse_value_range("minmax").mode, render::ValueRange::Mode::MinMax);
    const render::ValueRange s = parse_value_range("sigma:3");
    EXPECT_EQ(s.mode, render::ValueRange::Mode::Sigma);
    EXPECT_EQ(s.k, 3.0);
    const render::ValueRange f = parse_value_range("fixed:-3,3");
    EXPECT_EQ(f.mode, render::ValueRange::Mode::Fixed);
    EXPECT_EQ(f.lo, -3.0);
    EXPECT_EQ(f.hi, 3.0);
    for (const char* t : {"minmax", "sigma:2.5", "fixed:-1,0.5", "quantile:0.01"}) EXPECT_EQ(value_range_str(parse_value_range(t)), t);
    EXPECT_EQ(parse_value_range("quantile:0.005").mode, render::ValueRange::Mode::Quantile);
    EXPECT_EQ(parse_value_range("quantile:0.005").q, 0.005);
    for (const char* bad : {"sigma:0", "sigma:-1", "sigma:x", "fixed:3,1", "fixed:1", "fixed:a,b", "max", "", "quantile:0",
                            "quantile:0.5", "quantile:-0.1", "quantile:x"})
        EXPECT_THROW(parse_value_range(bad), ValueError) << bad;
    // One reader for the command line, the app and the sessions: any case, "min-max", a bare
    // "sigma" (k = 3), spaces; K above 100 too (the app refused what the command line wrote).
    EXPECT_EQ(parse_value_range("Min-Max").mode, render::ValueRange::Mode::MinMax);
    EXPECT_EQ(parse_value_range("sigma").k, 3.0);
    EXPECT_EQ(parse_value_range("SIGMA:250").k, 250.0);
    const render::ValueRange spaced = parse_value_range(" fixed: -1 , 2 ");
    EXPECT_EQ(spaced.lo, -1.0);
    EXPECT_EQ(spaced.hi, 2.0);
    EXPECT_THROW(parse_value_range("fixed:1,2,3"), ValueError);
    try {
        parse_value_range("quantile:0.7", "range");
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("range 'quantile:0.7': Q must be in (0, 0.5)", 0), 0u) << e.what();
    }
}

TEST(FormatDouble, ShortestExactText) {
    EXPECT_EQ(format_double(10), "10");
    EXPECT_EQ(format_double(0.1), "0.1");
    EXPECT_EQ(format_double(-2.5), "-2.5");
    EXPECT_EQ(format_double(-INFINITY), "-inf");
    for (double v : {0.1 + 0.2, 1.0 / 3.0, 6.02214076e23, -1e-300, 123456789.123})
        EXPECT_EQ(std::stod(format_double(v)), v) << format_double(v);
}

// Numbers in the messages and texts people read back: the shortest decimal that reads back as
// the same double ("0.1", not ostream's 17-digit "0.10000000000000001"), so that an error names
// exactly the value that was given and a printed command line or recipe reproduces it exactly.
#pragma once
#include <cstdint>
#include <string>

namespace nl {

// Integers in full ("10", not "1e+01"), "inf" / "-inf", "-0", "nan".
std::string shortest_decimal(double v);
// A count with its thousands grouped by commas ("4,194,304"), as every panel, lesson, chart and
// message writes long counts.
std::string group_digits(int64_t v);

}  // namespace nl

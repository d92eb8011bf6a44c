// Golden stream hashes test (in progress: filled in by the next commit).
#include <gtest/gtest.h>

// Bad input of the random ops (in progress: filled in by the next commit).
#include <gtest/gtest.h>

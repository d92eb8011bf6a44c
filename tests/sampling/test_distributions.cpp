// The distribution table: every distribution is found by its name, its parameter keys and
// defaults are PyTorch's, and the weight lists are refused with the value and the rule named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "sampling/distributions.h"

using namespace nl;
using namespace nl::sampling;

TEST(SamplingTable, EveryDistributionIsFoundByItsOwnNameAndNoOther) {
    std::set<std::string> names;
    ASSERT_EQ(all_dists().size(), static_cast<size_t>(kDistCount));
    for (Dist d : all_dists()) {
        const DistDef& def = dist_def(d);
        EXPECT_EQ(def.dist, d) << def.name;
        EXPECT_TRUE(names.insert(def.name).second) << "two distributions called " << def.name;
        Dist found = Dist::Normal;
        ASSERT_TRUE(find_dist(def.name, found)) << def.name;
        EXPECT_EQ(found, d);
        for (int i = 0; i < def.param_count; ++i) {
            EXPECT_EQ(key_index(d, def.keys[i]), i) << def.name << " " << def.keys[i];
            EXPECT_GT(std::string(def.keys[i]).size(), 0u) << def.name;
        }
        EXPECT_NE(dist_names().find(def.name), std::string::npos);
    }
    Dist unused = Dist::Normal;
    EXPECT_FALSE(find_dist("gaussian", unused)) << "aliases belong to the front ends";
    EXPECT_FALSE(find_dist("Normal", unused)) << "names are exact";
    EXPECT_EQ(key_index(Dist::Normal, "lambda"), -1);
}

TEST(SamplingTable, KeysDefaultsAndDtypesAreTorchs) {
    const DistDef& ln = dist_def(Dist::LogNormal);
    EXPECT_STREQ(ln.keys[0], "mean");
    EXPECT_STREQ(ln.keys[1], "std");
    EXPECT_EQ(ln.torch_defaults[0], 1.0);  // Tensor.log_normal_(mean=1, std=2)
    EXPECT_EQ(ln.torch_defaults[1], 2.0);
    EXPECT_TRUE(std::isnan(dist_def(Dist::RandInt).torch_defaults[1])) << "torch.randint has no default high";
    EXPECT_STREQ(dist_def(Dist::Cauchy).keys[1], "sigma");
    EXPECT_STREQ(dist_def(Dist::Exponential).keys[0], "lambda");
    EXPECT_STREQ(dist_def(Dist::Multinomial).weights, "probs");
    EXPECT_STREQ(dist_def(Dist::Categorical).weights, "logits");
    EXPECT_EQ(dist_def(Dist::Normal).weights, nullptr);
    for (Dist d : {Dist::RandInt, Dist::RandPerm, Dist::Multinomial, Dist::Categorical})
        EXPECT_EQ(dist_def(d).torch_dtype, DType::Int64) << dist_name(d);
    EXPECT_EQ(dist_def(Dist::Bernoulli).torch_dtype, DType::Float32);
}

TEST(SamplingTable, WeightListsAreRefusedNamingTheValueAndTheRule) {
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(weights_problem(Dist::Multinomial, {0.1, 0, 2}), "");
    EXPECT_EQ(weights_problem(Dist::Multinomial, {1, -1}), "probs value 2 (-1) is out of range: expected finite weights >= 0");
    EXPECT_NE(weights_problem(Dist::Multinomial, {1, inf}).find("probs value 2 (inf)"), std::string::npos);
    EXPECT_EQ(weights_problem(Dist::Multinomial, {0, 0}), "probs 0,0: the weights sum to 0; expected a positive sum");
    EXPECT_NE(weights_problem(Dist::Multinomial, {1e308, 1e308}).find("scale them down"), std::string::npos);
    EXPECT_NE(weights_problem(Dist::Multinomial, {}).find("probs is empty"), std::string::npos);
    EXPECT_EQ(weights_problem(Dist::Categorical, {-inf, 2, -3}), "") << "logits may be -inf or negative";
    EXPECT_EQ(weights_problem(Dist::Categorical, {1, inf}), "logits value 2 (inf) is out of range: expected a finite number or -inf");
    EXPECT_NE(weights_problem(Dist::Categorical, {-inf, -inf}).find("every logit is -inf"), std::string::npos);
    EXPECT_EQ(positive_weights({0, 0.5, 0, 3}), 2);
}

TEST(SamplingTable, LongListsAreQuotedByTheirFirstValuesAndTheirLength) {
    EXPECT_EQ(list_text({0.1, 0.2}), "0.1,0.2");
    std::vector<double> many(1000, 1.0);
    many[0] = 0.5;
    EXPECT_EQ(list_text(many), "0.5,1,1,1,1,1,1,1,... (1000 values)");
}

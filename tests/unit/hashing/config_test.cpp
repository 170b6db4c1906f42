#include "hashing/config.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hashing/build_table.hpp"
#include "test_support.hpp"

namespace ringlb::hashing {
namespace {

TEST(ParseAlgorithm, EveryNameRoundTrips) {
    for (const Algorithm algorithm : kAllAlgorithms) {
        const auto parsed = parse_algorithm(algorithm_name(algorithm));
        ASSERT_TRUE(parsed.ok()) << algorithm_name(algorithm);
        EXPECT_EQ(parsed.value(), algorithm);
    }
}

TEST(ParseAlgorithm, DefaultResolvesToTheDefaultAlgorithm) {
    const auto parsed = parse_algorithm("default");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value(), kDefaultAlgorithm);
    EXPECT_EQ(Config{}.algorithm, kDefaultAlgorithm);
}

TEST(ParseAlgorithm, UnknownNameIsAnErrorListingTheChoices) {
    const auto parsed = parse_algorithm("rendezvous");
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().find("'rendezvous'"), std::string::npos) << parsed.error();
    for (const Algorithm algorithm : kAllAlgorithms) {
        EXPECT_NE(parsed.error().find(algorithm_name(algorithm)), std::string::npos)
            << parsed.error();
    }
    EXPECT_FALSE(parse_algorithm("").ok());
    EXPECT_FALSE(parse_algorithm("Ring").ok());
}

TEST(ParseOptions, ProbingAndFunctionsRoundTripAndRejectOthers) {
    for (const Probing probing : {Probing::kLinear, Probing::kQuadratic}) {
        EXPECT_EQ(parse_probing(probing_name(probing)).value(), probing);
    }
    for (const ClassicFunctions functions :
         {ClassicFunctions::kAssignment, ClassicFunctions::kSplitMix, ClassicFunctions::kXxh3}) {
        EXPECT_EQ(parse_classic_functions(classic_functions_name(functions)).value(), functions);
    }
    EXPECT_FALSE(parse_probing("cubic").ok());
    EXPECT_FALSE(parse_classic_functions("md5").ok());
}

TEST(ParseOptions, BoundedLoadIsOffOrAPositiveNumber) {
    EXPECT_EQ(parse_bounded_load("off").value(), std::nullopt);
    EXPECT_DOUBLE_EQ(parse_bounded_load("0.25").value().value(), 0.25);
    EXPECT_DOUBLE_EQ(parse_bounded_load("2").value().value(), 2.0);
    for (const char* bad : {"0", "-0.5", "", "abc", "0.25x", "nan", "inf", "on"}) {
        EXPECT_FALSE(parse_bounded_load(bad).ok()) << "'" << bad << "'";
    }
}

TEST(IsPrime, KnownValues) {
    for (const std::uint32_t prime : {2U, 3U, 5U, 7U, 251U, 65537U, 4294967291U}) {
        EXPECT_TRUE(is_prime(prime)) << prime;
    }
    for (const std::uint32_t composite : {0U, 1U, 4U, 9U, 65536U, 65535U, 4294967295U}) {
        EXPECT_FALSE(is_prime(composite)) << composite;
    }
}

std::string build_error(const Config& config, const std::vector<Member>& members) {
    try {
        (void)build_table(config, members);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "";
}

TEST(BuildTable, RejectsBadConfigurationWithAClearMessage) {
    const auto three = testing::members_with_ids(3);
    Config maglev;
    maglev.algorithm = Algorithm::kMaglev;
    maglev.maglev.table_size = 65536;
    EXPECT_NE(build_error(maglev, three).find("prime"), std::string::npos);

    Config ring;
    ring.algorithm = Algorithm::kRing;
    ring.ring.virtual_nodes = 0;
    EXPECT_NE(build_error(ring, three).find("virtual nodes"), std::string::npos);

    Config classic;
    classic.algorithm = Algorithm::kClassic;
    classic.classic.slots = 0;
    EXPECT_NE(build_error(classic, three).find("slots"), std::string::npos);

    Config bounded;
    bounded.bounded_load.epsilon = 0.0;
    EXPECT_NE(build_error(bounded, three).find("epsilon"), std::string::npos);
}

TEST(BuildTable, RejectsBadMembers) {
    for (const Algorithm algorithm : kAllAlgorithms) {
        Config config;
        config.algorithm = algorithm;
        EXPECT_NE(
            build_error(config, {{.id = 1}, {.id = 2}, {.id = 1}}).find("duplicate server id 1"),
            std::string::npos)
            << algorithm_name(algorithm);
        EXPECT_NE(build_error(config, {{.id = 1}, {.id = 2, .weight = 0}}).find("weight 0"),
                  std::string::npos)
            << algorithm_name(algorithm);
    }
}

TEST(BuildTable, RejectsMaglevMembersThatEarnNoSlot) {
    Config config;
    config.maglev.table_size = 7;
    // Weight 1 against 100: 7 · 1 / 101 rounds to no slot.
    EXPECT_NE(build_error(config, {{.id = 1, .weight = 100}, {.id = 2, .weight = 1}})
                  .find("earns no slot"),
              std::string::npos);
    EXPECT_NE(build_error(config, testing::members_with_ids(8)).find("do not fit"),
              std::string::npos);
}

}  // namespace
}  // namespace ringlb::hashing

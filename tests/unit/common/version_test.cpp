#include "common/version.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ringlb::build {
namespace {

TEST(VersionText, ProgramAndVersionFirstThenCommitAndBuildType) {
    const BuildInfo info{"1.2.3", "0123456789ab", "Release"};
    EXPECT_EQ(version_text("ringlb", info),
              "ringlb 1.2.3\ncommit 0123456789ab\nbuild type Release");
    EXPECT_EQ(version_text("ringlb-server", info).substr(0, 20), "ringlb-server 1.2.3\n");
}

TEST(VersionText, ThisBuildNamesItsVersionCommitAndType) {
    const BuildInfo info = build_info();
    EXPECT_EQ(info.version, RINGLB_EXPECTED_VERSION);
    EXPECT_FALSE(info.commit.empty());
    EXPECT_FALSE(info.build_type.empty());
}

TEST(BuildInfoMetric, OneGaugeWithTheThreeLabels) {
    const BuildInfo info{"0.1.0", "3a586e3c1d2e-dirty", "RelWithDebInfo"};
    EXPECT_EQ(
        build_info_metric(info),
        "# HELP ringlb_build_info The version, commit and build type of this ringlb; always 1.\n"
        "# TYPE ringlb_build_info gauge\n"
        "ringlb_build_info{version=\"0.1.0\",commit=\"3a586e3c1d2e-dirty\","
        "build_type=\"RelWithDebInfo\"} 1\n");
}

TEST(BuildInfoMetric, EscapesLabelValues) {
    struct Case {
        std::string_view build_type;
        std::string_view label;
    };
    const Case cases[] = {
        {"plain", "build_type=\"plain\"}"}, {"a\"b", "build_type=\"a\\\"b\"}"},
        {"a\\b", "build_type=\"a\\\\b\"}"}, {"a\nb", "build_type=\"a\\nb\"}"},
        {"", "build_type=\"\"}"},
    };
    for (const Case& c : cases) {
        const std::string metric = build_info_metric({"v", "c", c.build_type});
        EXPECT_NE(metric.find(c.label), std::string::npos) << metric;
    }
}

}  // namespace
}  // namespace ringlb::build

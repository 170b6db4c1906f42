#include "drivers/docker/engine_targets.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ringlb::drivers::engine {
namespace {

namespace json = boost::json;

// The inverse of percent_encode, to compare what the engine will decode.
std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

const std::map<std::string, std::string> kLabels{{"ringlb.managed", "true"},
                                                 {"ringlb.instance", "lb"}};

TEST(PercentEncode, LeavesUnreservedAndEncodesTheRest) {
    EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
    EXPECT_EQ(percent_encode("{\"a\": [1]}"), "%7B%22a%22%3A%20%5B1%5D%7D");
    EXPECT_EQ(percent_encode("a/b?c=d&e"), "a%2Fb%3Fc%3Dd%26e");
    EXPECT_EQ(percent_encode("\xff"), "%FF");
}

TEST(LabelFilters, ListEverySelector) {
    EXPECT_EQ(json::parse(label_filters(kLabels)),
              json::parse(R"({"label": ["ringlb.instance=lb", "ringlb.managed=true"]})"));
}

TEST(ContainerTargets, AreThePathsOfTheApi) {
    EXPECT_EQ(create_container("S5"), "/containers/create?name=S5");
    EXPECT_EQ(inspect_container("abc"), "/containers/abc/json");
    EXPECT_EQ(start_container("abc"), "/containers/abc/start");
    EXPECT_EQ(stop_container("abc", std::chrono::milliseconds(1200)), "/containers/abc/stop?t=2");
    EXPECT_EQ(stop_container("abc", std::chrono::milliseconds(0)), "/containers/abc/stop?t=0");
    EXPECT_EQ(remove_container("abc"), "/containers/abc?force=true&v=true");
    EXPECT_EQ(inspect_network("net1"), "/networks/net1");
    EXPECT_EQ(create_network(), "/networks/create");
}

TEST(ContainerTargets, EscapeAnIdentifierThatSlippedThrough) {
    EXPECT_EQ(inspect_container("../x"), "/containers/..%2Fx/json");
}

TEST(ListContainers, AsksForAllStatesFilteredByOurLabels) {
    const std::string target = list_containers(kLabels);
    const std::string prefix = "/containers/json?all=true&filters=";
    ASSERT_EQ(target.rfind(prefix, 0), 0U);
    EXPECT_EQ(json::parse(percent_decode(target.substr(prefix.size()))),
              json::parse(R"({"label": ["ringlb.instance=lb", "ringlb.managed=true"]})"));
}

TEST(DieEvents, SelectsOurContainersDeaths) {
    const std::string target = die_events(kLabels);
    const std::string prefix = "/events?filters=";
    ASSERT_EQ(target.rfind(prefix, 0), 0U);
    EXPECT_EQ(json::parse(percent_decode(target.substr(prefix.size()))),
              json::parse(R"({"type": ["container"], "event": ["die"],
                              "label": ["ringlb.instance=lb", "ringlb.managed=true"]})"));
}

}  // namespace
}  // namespace ringlb::drivers::engine

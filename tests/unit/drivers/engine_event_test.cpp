#include "drivers/docker/engine_event.hpp"

#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

TEST(ParseEngineEvent, ReadsADieEvent) {
    const auto event = parse_engine_event(
        R"({"status":"die","id":"e729","from":"ringlb-server:latest","Type":"container","Action":"die",)"
        R"("Actor":{"ID":"e729","Attributes":{"exitCode":"137","image":"ringlb-server:latest",)"
        R"("name":"S5","ringlb.managed":"true"}},"scope":"local","time":1763754730,"timeNano":1})");
    ASSERT_TRUE(event);
    EXPECT_EQ(event->action, "die");
    EXPECT_EQ(event->name, "S5");
    EXPECT_EQ(event->exit_code, "137");
}

TEST(ParseEngineEvent, IgnoresOtherKindsAndGarbage) {
    EXPECT_FALSE(parse_engine_event(
        R"({"Type":"network","Action":"connect","Actor":{"ID":"n","Attributes":{"name":"net1"}}})"));
    EXPECT_FALSE(parse_engine_event(R"({"Type":"container","Action":"die","Actor":{"ID":"x"}})"));
    EXPECT_FALSE(parse_engine_event(""));
    EXPECT_FALSE(parse_engine_event("{\"Type\":"));
    EXPECT_FALSE(parse_engine_event("[1]"));
}

}  // namespace
}  // namespace ringlb::drivers

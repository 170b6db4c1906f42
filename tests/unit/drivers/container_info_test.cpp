#include "drivers/docker/container_info.hpp"

#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

// Trimmed from a real engine's answers (API 1.41); unknown members are ignored.
constexpr std::string_view kInspect = R"({
  "Id": "e72963feeecb48a1450fecedd792b132816b4e9a4313f73413671f803c7a812f",
  "Created": "2026-11-21T19:52:05Z",
  "State": {"Status": "running", "Running": true, "Pid": 11773, "ExitCode": 0},
  "Name": "/S5",
  "Config": {"Hostname": "S5", "Env": ["SERVER_ID=5"],
             "Labels": {"ringlb.managed": "true", "ringlb.instance": "compose", "ringlb.server-id": "5"}},
  "NetworkSettings": {"IPAddress": "", "Networks": {
      "bridge": {"IPAddress": "172.17.0.3"},
      "net1": {"Aliases": ["S5", "e72963feeecb"], "IPAddress": "172.18.0.2", "IPPrefixLen": 16}}}
})";

constexpr std::string_view kList = R"([
  {"Id": "aaa", "Names": ["/server-1"], "Image": "ringlb-server:latest", "State": "running",
   "Status": "Up 3 minutes", "Labels": {"ringlb.managed": "true", "ringlb.server-id": "1"},
   "NetworkSettings": {"Networks": {"net1": {"IPAddress": "172.18.0.5"}}}},
  {"Id": "bbb", "Names": ["/server-2"], "State": "exited", "Labels": {},
   "NetworkSettings": {"Networks": {"net1": {"IPAddress": ""}}}}
])";

TEST(ParseContainerInspect, ReadsIdentityStateLabelsAndAddress) {
    const auto info = parse_container_inspect(kInspect, "net1");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->id, "e72963feeecb48a1450fecedd792b132816b4e9a4313f73413671f803c7a812f");
    EXPECT_EQ(info->name, "S5");
    EXPECT_TRUE(info->running);
    EXPECT_EQ(info->ip, "172.18.0.2");
    EXPECT_EQ(info->labels.at("ringlb.instance"), "compose");
    EXPECT_EQ(labelled_server_id(*info), 5U);
}

TEST(ParseContainerInspect, AddressIsPerNetwork) {
    EXPECT_EQ(parse_container_inspect(kInspect, "bridge")->ip, "172.17.0.3");
    EXPECT_EQ(parse_container_inspect(kInspect, "other")->ip, "");
}

TEST(ParseContainerInspect, RejectsWhatIsNotAContainer) {
    EXPECT_FALSE(parse_container_inspect("", "net1"));
    EXPECT_FALSE(parse_container_inspect("{", "net1"));
    EXPECT_FALSE(parse_container_inspect("[]", "net1"));
    EXPECT_FALSE(parse_container_inspect(R"({"message": "No such container: x"})", "net1"));
    EXPECT_FALSE(parse_container_inspect(R"({"Id": 7, "Name": "/x"})", "net1"));
}

TEST(ParseContainerInspect, ToleratesMissingOrOddlyTypedParts) {
    const auto info = parse_container_inspect(
        R"({"Id": "x", "Name": "/n", "State": {"Running": "yes"}, "Config": {"Labels": null},
            "NetworkSettings": {"Networks": null}})",
        "net1");
    ASSERT_TRUE(info);
    EXPECT_FALSE(info->running);
    EXPECT_TRUE(info->labels.empty());
    EXPECT_EQ(info->ip, "");
}

TEST(ParseContainerList, ReadsEachEntry) {
    const auto list = parse_container_list(kList, "net1");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2U);
    EXPECT_EQ((*list)[0].name, "server-1");
    EXPECT_TRUE((*list)[0].running);
    EXPECT_EQ((*list)[0].ip, "172.18.0.5");
    EXPECT_EQ(labelled_server_id((*list)[0]), 1U);
    EXPECT_EQ((*list)[1].name, "server-2");
    EXPECT_FALSE((*list)[1].running);
    EXPECT_EQ(labelled_server_id((*list)[1]), std::nullopt);
}

TEST(ParseContainerList, EmptyIsEmptyAndGarbageIsAnError) {
    EXPECT_EQ(parse_container_list("[]", "net1")->size(), 0U);
    EXPECT_FALSE(parse_container_list("{}", "net1"));
    EXPECT_FALSE(parse_container_list(R"([{"Id": "a", "Names": []}])", "net1"));
    EXPECT_FALSE(parse_container_list(R"([{"Names": ["/a"]}])", "net1"));
}

TEST(HasLabels, NeedsEveryLabelWithItsValue) {
    ContainerInfo info;
    info.labels = {{"ringlb.managed", "true"}, {"ringlb.instance", "a"}, {"other", "x"}};
    EXPECT_TRUE(has_labels(info, {{"ringlb.managed", "true"}, {"ringlb.instance", "a"}}));
    EXPECT_FALSE(has_labels(info, {{"ringlb.managed", "true"}, {"ringlb.instance", "b"}}));
    EXPECT_FALSE(has_labels(info, {{"ringlb.server-id", "1"}}));
    EXPECT_TRUE(has_labels(info, {}));
}

TEST(LabelledServerId, AcceptsOnlyAPlainUnsignedNumber) {
    const auto id_of = [](std::string value) {
        ContainerInfo info;
        info.labels = {{"ringlb.server-id", std::move(value)}};
        return labelled_server_id(info);
    };
    EXPECT_EQ(id_of("0"), 0U);
    EXPECT_EQ(id_of("4294967295"), 4294967295U);
    EXPECT_EQ(id_of(""), std::nullopt);
    EXPECT_EQ(id_of("-1"), std::nullopt);
    EXPECT_EQ(id_of("12x"), std::nullopt);
    EXPECT_EQ(id_of(" 1"), std::nullopt);
    EXPECT_EQ(id_of("4294967296"), std::nullopt);
}

TEST(LabelledReplicaPort, AcceptsOnlyAPortNumber) {
    const std::pair<std::optional<std::string>, std::optional<std::uint16_t>> cases[] = {
        {"8080", 8080},
        {"1", 1},
        {"65535", 65535},
        {std::nullopt, std::nullopt},  // made before the label existed: the caller decides
        {"", std::nullopt},
        {"0", std::nullopt},
        {"65536", std::nullopt},
        {"-80", std::nullopt},
        {"80/tcp", std::nullopt},
        {" 80", std::nullopt},
    };
    for (const auto& [label, expected] : cases) {
        ContainerInfo info;
        info.labels = {{"ringlb.server-id", "3"}};
        if (label) {
            info.labels["ringlb.replica-port"] = *label;
        }
        EXPECT_EQ(labelled_replica_port(info), expected) << label.value_or("(none)");
    }
}

TEST(ParseCreatedId, ReadsTheNewId) {
    EXPECT_EQ(parse_created_id(R"({"Id": "abc123", "Warnings": []})"), "abc123");
    EXPECT_EQ(parse_created_id(R"({"Warnings": []})"), std::nullopt);
    EXPECT_EQ(parse_created_id("not json"), std::nullopt);
}

}  // namespace
}  // namespace ringlb::drivers

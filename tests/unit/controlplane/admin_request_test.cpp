#include "controlplane/admin_request.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

std::string error_of(std::string_view body, ChangeKind kind = ChangeKind::add) {
    const auto parsed = parse_change(body, kind);
    const auto* error = std::get_if<AdminError>(&parsed);
    return error == nullptr ? std::string("(no error)") : error->message;
}

ReplicaChange change_of(std::string_view body, ChangeKind kind = ChangeKind::add) {
    auto parsed = parse_change(body, kind);
    EXPECT_TRUE(std::holds_alternative<ReplicaChange>(parsed)) << error_of(body, kind);
    return std::holds_alternative<ReplicaChange>(parsed) ? std::get<ReplicaChange>(parsed)
                                                         : ReplicaChange{};
}

TEST(AdminRequest, ParsesTheSpecExample) {
    const auto change = change_of(R"({"n": 4, "hostnames": ["S5", "S4", "S10", "S11"]})");
    EXPECT_EQ(change.n, 4U);
    EXPECT_EQ(change.hostnames, (std::vector<std::string>{"S5", "S4", "S10", "S11"}));
}

TEST(AdminRequest, HostnamesAreOptional) {
    EXPECT_TRUE(change_of(R"({"n": 2})").hostnames.empty());
    EXPECT_TRUE(change_of(R"({"n": 2, "hostnames": null})").hostnames.empty());
    EXPECT_EQ(change_of(R"({"n": 2, "hostnames": ["aa"]})").hostnames.size(), 1U);
}

TEST(AdminRequest, TooManyHostnamesUseTheSpecMessages) {
    EXPECT_EQ(error_of(R"({"n": 1, "hostnames": ["aa", "bb"]})", ChangeKind::add),
              "<Error> Length of hostname list is more than newly added instances");
    EXPECT_EQ(error_of(R"({"n": 1, "hostnames": ["aa", "bb"]})", ChangeKind::remove),
              "<Error> Length of hostname list is more than removable instances");
}

TEST(AdminRequest, BadPayloadsSayWhatIsWrong) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "malformed JSON"},
        {"{", "malformed JSON"},
        {"3", "must be a JSON object"},
        {R"({})", "'n' is missing"},
        {R"({"n": "3"})", "'n' must be a positive integer"},
        {R"({"n": 2.0})", "'n' must be a positive integer"},
        {R"({"n": 0})", "'n' must be a positive integer"},
        {R"({"n": -1})", "'n' must be a positive integer"},
        {R"({"n": 18446744073709551615})", "'n' is too large"},
        {R"({"n": 1, "hostnames": {}})", "'hostnames' must be a list of strings"},
        {R"({"n": 1, "hostnames": [1]})", "'hostnames' must be a list of strings"},
        {R"({"n": 1, "hostnames": [""]})", "is not a valid hostname"},
        {R"({"n": 1, "hostnames": ["a/b"]})", "'a/b' is not a valid hostname"},
        {R"({"n": 1, "hostnames": ["a\"b"]})", R"('a\"b' is not a valid hostname)"},
        {R"({"n": 2, "hostnames": ["aa", "aa"]})", "'aa' appears more than once"},
    };
    for (const auto& [body, expected] : cases) {
        const std::string message = error_of(body);
        EXPECT_TRUE(message.starts_with("<Error> ")) << body << " -> " << message;
        EXPECT_NE(message.find(expected), std::string::npos) << body << " -> " << message;
    }
}

TEST(AdminRequest, LongBadNamesAreShortenedInMessages) {
    const std::string body = R"({"n": 1, "hostnames": [")" + std::string(1000, '!') + R"("]})";
    EXPECT_LT(error_of(body).size(), 300U);
}

TEST(AdminRequest, AddChecksAgainstCurrentReplicas) {
    const std::vector<std::string> current{"server-1", "server-2"};
    EXPECT_FALSE(check_add(change_of(R"({"n": 1, "hostnames": ["xx"]})"), current, 10));
    const auto taken = check_add(change_of(R"({"n": 1, "hostnames": ["server-2"]})"), current, 10);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->message, "<Error> hostname 'server-2' is already in use");
    const auto too_many = check_add(change_of(R"({"n": 9})"), current, 10);
    ASSERT_TRUE(too_many);
    EXPECT_NE(too_many->message.find("at most 10"), std::string::npos);
}

TEST(AdminRequest, RemoveChecksAgainstCurrentReplicas) {
    const std::vector<std::string> current{"server-1", "server-2"};
    EXPECT_FALSE(check_remove(change_of(R"({"n": 2})", ChangeKind::remove), current));
    const auto unknown =
        check_remove(change_of(R"({"n": 1, "hostnames": ["xx"]})", ChangeKind::remove), current);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->message, "<Error> 'xx' is not a replica");
    const auto too_many = check_remove(change_of(R"({"n": 3})", ChangeKind::remove), current);
    ASSERT_TRUE(too_many);
    EXPECT_EQ(too_many->message, "<Error> cannot remove 3 replicas: only 2 exist");
}

}  // namespace
}  // namespace ringlb::balancer

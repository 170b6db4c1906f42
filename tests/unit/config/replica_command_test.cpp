#include "config/replica_command.hpp"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

using Words = std::vector<std::string>;

struct SplitCase {
    std::string text;
    Words words;
    std::string error;  // a part of the message, when it must fail
};

class SplitCommandTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitCommandTest, SplitsLikeAShellWithoutExpanding) {
    const SplitCase& c = GetParam();
    const SplitCommand split = split_command(c.text);
    if (c.error.empty()) {
        EXPECT_EQ(split.error, "");
        EXPECT_EQ(split.words, c.words);
    } else {
        EXPECT_NE(split.error.find(c.error), std::string::npos) << split.error;
        EXPECT_TRUE(split.words.empty());
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, SplitCommandTest,
    ::testing::Values(
        SplitCase{"gunicorn -w 2 app:app", {"gunicorn", "-w", "2", "app:app"}, ""},
        SplitCase{"  a \t b\nc  ", {"a", "b", "c"}, ""},
        SplitCase{"sh -c 'echo $PORT; exit 1'", {"sh", "-c", "echo $PORT; exit 1"}, ""},
        SplitCase{R"(echo "a \"b\" \\ \$x \n")", {"echo", R"(a "b" \ $x \n)"}, ""},
        SplitCase{R"(a\ b c\'d)", {"a b", "c'd"}, ""},
        SplitCase{R"(x'y'"z" '' "")", {"xyz", "", ""}, ""},
        SplitCase{"python3 -m http.server {port}", {"python3", "-m", "http.server", "{port}"}, ""},
        SplitCase{"echo 'unclosed", {}, "unclosed single quote"},
        SplitCase{"echo \"unclosed", {}, "unclosed double quote"},
        SplitCase{"echo \\", {}, "lone backslash"}, SplitCase{"", {}, "empty"},
        SplitCase{"   \t ", {}, "empty"}));

TEST(CheckPlaceholders, KnowsTheFourNamesAndLeavesOtherBracesAlone) {
    EXPECT_EQ(check_placeholders({"srv", "--bind={host}:{port}", "--id", "{id}", "{name}"}),
              std::nullopt);
    EXPECT_EQ(check_placeholders({"echo", R"({"a": 1})", "{}", "{PORT}", "{ port}"}), std::nullopt);
    const auto typo = check_placeholders({"srv", "--port", "{prot}"});
    ASSERT_TRUE(typo.has_value());
    EXPECT_NE(typo->find("{prot}"), std::string::npos);
    EXPECT_TRUE(check_placeholders({}).has_value());
}

TEST(ExpandPlaceholders, ReplacesEveryOccurrenceInEveryWord) {
    const ReplicaPlaceholders values{5123, "127.0.0.1", 42, "server-3"};
    EXPECT_EQ(
        expand_placeholders(
            {"srv", "-b", "{host}:{port}", "{id}{id}", "x{name}y", "{x", R"({"k":1})", "{}"},
            values),
        (Words{"srv", "-b", "127.0.0.1:5123", "4242", "xserver-3y", "{x", R"({"k":1})", "{}"}));
    EXPECT_EQ(expand_placeholders({"{port"}, values), Words{"{port"});
}

TEST(ReplicaEnvironment, SetsOursAndReplacesInheritedOnes) {
    const ReplicaPlaceholders values{5123, "127.0.0.1", 42, "server-3"};
    const Words env = replica_environment(
        {"PATH=/bin", "PORT=1", "SERVER_ID=9", "HOME=/root", "PORTABLE=yes"}, values);
    EXPECT_EQ(env, (Words{"PATH=/bin", "HOME=/root", "PORTABLE=yes", "PORT=5123", "HOST=127.0.0.1",
                          "SERVER_ID=42", "REPLICA_NAME=server-3"}));
}

TEST(FindProgram, SearchesPathOnlyForBareNames) {
    static std::set<std::string> files;
    files = {"/usr/bin/gunicorn", "/opt/x/run", "./local"};
    const auto exists = [](const std::string& file) { return files.contains(file); };
    EXPECT_EQ(find_program("gunicorn", "/bin:/usr/bin", exists), "/usr/bin/gunicorn");
    EXPECT_EQ(find_program("gunicorn", "/bin", exists), std::nullopt);
    EXPECT_EQ(find_program("/opt/x/run", "", exists), "/opt/x/run");
    EXPECT_EQ(find_program("/opt/x/gone", "/opt/x", exists), std::nullopt);
    EXPECT_EQ(find_program("local", "/bin::", exists), "./local");
    EXPECT_EQ(find_program("x/run", "/opt", exists), std::nullopt);  // relative: not searched
}

}  // namespace
}  // namespace ringlb::balancer

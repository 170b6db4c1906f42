#include "config/replica_env.hpp"

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

struct EntryCase {
    const char* entry;
    const char* problem;  // a part of the one-line message; nullptr when the entry is usable
};

TEST(ReplicaEnvProblem, TellsWhatIsWrongWithOneEntry) {
    const EntryCase cases[] = {
        {"GREETING=hi", nullptr},
        {"EMPTY=", nullptr},             // an empty value is a value
        {"OPTS=a=b", nullptr},           // the value is everything after the first '='
        {"PORT=9000", nullptr},          // replaces the driver's PORT
        {"HOST=::", nullptr},            // and HOST
        {"lower.case-name=1", nullptr},  // not a shell name, still an environment name
        {"MESSAGE=two words", nullptr},  // spaces belong to the value
        {"GREETING", "is not KEY=VALUE (no '=')"},
        {"", "is not KEY=VALUE (no '=')"},
        {"=value", "has an empty key"},
        {"==", "has an empty key"},
        {"MY KEY=1", "has whitespace or a control character in its key"},
        {" KEY=1", "has whitespace or a control character in its key"},
        {"KEY\t=1", "has whitespace or a control character in its key"},
        {"K\x01=1", "has whitespace or a control character in its key"},
        {"SERVER_ID=9", "ringlb sets SERVER_ID itself"},
        {"REPLICA_NAME=x", "ringlb sets REPLICA_NAME itself"},
        {"SERVER_ID", "is not KEY=VALUE"},
    };
    for (const auto& [entry, expected] : cases) {
        const auto problem = replica_env_problem(std::string_view(entry));
        if (expected == nullptr) {
            EXPECT_EQ(problem, std::nullopt) << entry;
        } else {
            ASSERT_TRUE(problem.has_value()) << entry;
            EXPECT_NE(problem->find(expected), std::string::npos) << *problem;
            EXPECT_EQ(problem->find('\n'), std::string::npos) << *problem;  // one line
        }
    }
}

TEST(ReplicaEnvProblem, NamesTheEntryItRefuses) {
    EXPECT_EQ(replica_env_problem(std::string_view("GREETING")),
              "'GREETING' is not KEY=VALUE (no '=')");
}

TEST(ReplicaEnvProblem, AListIsUsableWhenEveryEntryIsAndNoKeyRepeats) {
    using List = std::vector<std::string>;
    EXPECT_EQ(replica_env_problem(List{}), std::nullopt);
    EXPECT_EQ(replica_env_problem(List{"A=1", "B=2", "AB=3"}), std::nullopt);
    EXPECT_EQ(replica_env_problem(List{"A=1", "A=2"}), "A is given more than once");
    EXPECT_EQ(replica_env_problem(List{"A=1", "bad"}), "'bad' is not KEY=VALUE (no '=')");
    EXPECT_NE(replica_env_problem(List{"A=1", "SERVER_ID=2"}), std::nullopt);
}

TEST(ReplicaEnvKey, IsTheTextBeforeTheFirstEquals) {
    EXPECT_EQ(replica_env_key("A=b=c"), "A");
    EXPECT_EQ(replica_env_key("=x"), "");
    EXPECT_EQ(replica_env_key("NOEQUALS"), "NOEQUALS");
}

}  // namespace
}  // namespace ringlb::balancer

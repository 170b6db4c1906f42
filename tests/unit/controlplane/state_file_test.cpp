#include "controlplane/state_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace ringlb::balancer {
namespace {

class StateFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/ringlb-state-test-XXXXXX";
        dir_ = mkdtemp(pattern);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void write(const std::string& text) { std::ofstream(dir_ + "/state.json") << text; }

    std::string dir_;
};

TEST_F(StateFileTest, NoFileMeansNoState) { EXPECT_FALSE(load_state(dir_)); }

TEST_F(StateFileTest, RoundTrips) {
    const SavedState state{{{"server-1", 1}, {"S5", 4}, {"replica-abc123", 2}}, {4, 1, 1, 2, 4}};
    save_state(dir_, state);
    EXPECT_EQ(load_state(dir_), state);
    save_state(dir_, {});
    EXPECT_EQ(load_state(dir_), SavedState{});
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/state.json.tmp"));
}

TEST_F(StateFileTest, InvalidFilesAreRefusedWithTheirName) {
    for (const char* text : {"", "[]", R"({"version": 2, "replicas": []})", R"({"version": 1})",
                             R"({"version": 1, "replicas": [{"name": "a"}]})",
                             R"({"version": 1, "replicas": [{"name": "a b", "id": 1}]})",
                             R"({"version": 1, "replicas": [{"name": "a", "id": 0}]})",
                             R"({"version": 1, "replicas": [{"name": "a", "id": 1}, {"name": "a", "id": 2}]})",
                             R"({"version": 1, "replicas": [{"name": "a", "id": 1}, {"name": "b", "id": 1}]})",
                             R"({"version": 1, "replicas": [{"name": "a", "id": 1}], "table": [1, 2]})",
                             R"({"version": 1, "replicas": [{"name": "a", "id": 1}], "table": 1})"}) {
        write(text);
        try {
            load_state(dir_);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("state.json is not valid"), std::string::npos) << e.what();
        }
    }
}

TEST_F(StateFileTest, UnwritableDirectoryIsAnError) {
    EXPECT_THROW(save_state(dir_ + "/missing/deeper", SavedState{{{"a", 1}}, {}}), std::runtime_error);
}

}  // namespace
}  // namespace ringlb::balancer

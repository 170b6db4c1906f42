#include "controlplane/state_file.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

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
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
            names.push_back(entry.path().filename().string());
        }
        return names;
    }

    std::string dir_;
};

TEST_F(StateFileTest, NoFileMeansNoState) {
    EXPECT_FALSE(load_state(dir_));
}

TEST_F(StateFileTest, RoundTrips) {
    const SavedState state{{{"server-1", 1}, {"S5", 4}, {"replica-abc123", 2}}, {4, 1, 1, 2, 4}};
    save_state(dir_, state);
    EXPECT_EQ(load_state(dir_), state);
    save_state(dir_, {});
    EXPECT_EQ(load_state(dir_), SavedState{});
    EXPECT_EQ(entries(), std::vector<std::string>{"state.json"});  // no temporary file left
}

// Anyone who can write the directory could plant links where ringlb writes; none is followed.
TEST_F(StateFileTest, PlantedLinksAreNeverFollowed) {
    const std::string victim = dir_ + "-victim";
    std::ofstream(victim) << "precious";
    for (const char* name : {"state.json.tmp", "state.json.XXXXXX", "state.json"}) {
        std::filesystem::create_symlink(victim, dir_ + "/" + name);
    }
    save_state(dir_, SavedState{{{"aa", 1}}, {}});
    std::ifstream in(victim);
    std::string text;
    in >> text;
    EXPECT_EQ(text, "precious");
    EXPECT_FALSE(std::filesystem::is_symlink(dir_ + "/state.json"));
    EXPECT_EQ(load_state(dir_), (SavedState{{{"aa", 1}}, {}}));
    std::filesystem::remove(victim);
}

TEST_F(StateFileTest, ASecondHolderOfTheDirectoryIsRefused) {
    const StateDirLock first(dir_);
    try {
        const StateDirLock second(dir_);
        ADD_FAILURE() << "two holders of one --state-dir";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("is in use by another ringlb"), std::string::npos)
            << e.what();
    }
}

TEST_F(StateFileTest, TheLockIsFreeAgainOnceItsHolderIsGone) {
    { const StateDirLock first(dir_); }
    EXPECT_NO_THROW(const StateDirLock again(dir_));
}

TEST_F(StateFileTest, ALinkInPlaceOfTheLockFileIsRefused) {
    std::filesystem::create_symlink(dir_ + "/elsewhere", dir_ + "/lock");
    EXPECT_THROW(const StateDirLock lock(dir_), std::runtime_error);
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/elsewhere"));
}

TEST_F(StateFileTest, InvalidFilesAreRefusedWithTheirName) {
    for (const char* text :
         {"", "[]", R"({"version": 2, "replicas": []})", R"({"version": 1})",
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
            EXPECT_NE(std::string(e.what()).find("state.json is not valid"), std::string::npos)
                << e.what();
        }
    }
}

TEST_F(StateFileTest, UnwritableDirectoryIsAnError) {
    EXPECT_THROW(save_state(dir_ + "/missing/deeper", SavedState{{{"aa", 1}}, {}}),
                 std::runtime_error);
}

}  // namespace
}  // namespace ringlb::balancer

#include "drivers/docker/container_name.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ringlb::drivers {
namespace {

TEST(ContainerName, AcceptsTheSpecAlphabet) {
    EXPECT_TRUE(is_valid_container_name("S5"));
    EXPECT_TRUE(is_valid_container_name("server-1"));
    EXPECT_TRUE(is_valid_container_name("replica_1.b-2"));
    EXPECT_TRUE(is_valid_container_name(std::string(63, 'x')));
}

TEST(ContainerName, RejectsWhatTheEngineOrAUrlWouldMisread) {
    EXPECT_FALSE(is_valid_container_name(""));
    EXPECT_FALSE(is_valid_container_name("a"));  // the engine answers 500 to one character
    EXPECT_FALSE(is_valid_container_name(std::string(64, 'x')));
    EXPECT_FALSE(is_valid_container_name("-leading-dash"));
    EXPECT_FALSE(is_valid_container_name(".hidden"));
    EXPECT_FALSE(is_valid_container_name("_under"));
    EXPECT_FALSE(is_valid_container_name("Server 1"));
    EXPECT_FALSE(is_valid_container_name("../containers/x"));
    EXPECT_FALSE(is_valid_container_name("a/b"));
    EXPECT_FALSE(is_valid_container_name("a?force=true"));
    EXPECT_FALSE(is_valid_container_name("a%2f"));
    EXPECT_FALSE(is_valid_container_name("caf\xc3\xa9"));
    EXPECT_FALSE(is_valid_container_name(std::string("a\0b", 3)));
}

TEST(NetworkName, MayBeOneCharacter) {
    EXPECT_TRUE(is_valid_network_name("a"));
    EXPECT_TRUE(is_valid_network_name("net1"));
    EXPECT_FALSE(is_valid_network_name(""));
    EXPECT_FALSE(is_valid_network_name("-net"));
    EXPECT_FALSE(is_valid_network_name(std::string(64, 'x')));
}

TEST(LabelValue, AllowsLeadingPunctuationButNothingElse) {
    EXPECT_TRUE(is_valid_label_value("compose"));
    EXPECT_TRUE(is_valid_label_value("_test.1-a"));
    EXPECT_FALSE(is_valid_label_value(""));
    EXPECT_FALSE(is_valid_label_value("a=b"));
    EXPECT_FALSE(is_valid_label_value("a,b"));
    EXPECT_FALSE(is_valid_label_value(std::string(64, 'x')));
}

TEST(ImageReference, KeepsOutSpacesAndControlBytes) {
    EXPECT_TRUE(is_plausible_image_reference("ringlb-server:latest"));
    EXPECT_TRUE(is_plausible_image_reference("registry.local:5000/team/ringlb-server@sha256:abc"));
    EXPECT_FALSE(is_plausible_image_reference(""));
    EXPECT_FALSE(is_plausible_image_reference("ringlb server"));
    EXPECT_FALSE(is_plausible_image_reference("ringlb\nserver"));
    EXPECT_FALSE(is_plausible_image_reference(std::string(256, 'x')));
}

}  // namespace
}  // namespace ringlb::drivers

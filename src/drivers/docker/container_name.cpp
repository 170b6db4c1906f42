#include "drivers/docker/container_name.hpp"

#include <algorithm>

namespace ringlb::drivers {

namespace {

constexpr std::size_t kMinContainerNameLength = 2;  // the engine's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+
constexpr std::size_t kMaxNameLength = 63;
constexpr std::size_t kMaxImageLength = 255;

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_name_char(char c) {
    return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

}  // namespace

bool is_valid_network_name(std::string_view name) {
    return !name.empty() && name.size() <= kMaxNameLength && is_alnum(name.front()) &&
           std::all_of(name.begin(), name.end(), is_name_char);
}

bool is_valid_container_name(std::string_view name) {
    return name.size() >= kMinContainerNameLength && is_valid_network_name(name);
}

bool is_valid_label_value(std::string_view value) {
    return !value.empty() && value.size() <= kMaxNameLength &&
           std::all_of(value.begin(), value.end(), is_name_char);
}

bool is_plausible_image_reference(std::string_view image) {
    return !image.empty() && image.size() <= kMaxImageLength &&
           std::all_of(image.begin(), image.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace ringlb::drivers

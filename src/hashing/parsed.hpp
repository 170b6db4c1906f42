#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ringlb::hashing {

// The outcome of parsing one configuration value: the value, or a message that says what was wrong
// and what would have been accepted. The CLI layers turn the message into their one-line error.
template <class T>
class Parsed {
  public:
    static Parsed success(T value) { return Parsed(std::in_place_index<0>, std::move(value)); }
    static Parsed failure(std::string message) {
        return Parsed(std::in_place_index<1>, std::move(message));
    }

    [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // Preconditions: ok() for value(), !ok() for error(); std::get throws otherwise.
    [[nodiscard]] const T& value() const { return std::get<0>(state_); }
    [[nodiscard]] const std::string& error() const { return std::get<1>(state_); }

  private:
    template <std::size_t kIndex, class U>
    Parsed(std::in_place_index_t<kIndex> tag, U&& content)
        : state_(tag, std::forward<U>(content)) {}

    std::variant<T, std::string> state_;
};

}  // namespace ringlb::hashing

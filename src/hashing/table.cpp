#include "hashing/table.hpp"

#include <utility>

namespace ringlb::hashing {

Table::Table(std::vector<Member> members) noexcept : members_(std::move(members)) {}

std::optional<MemberIndex> Table::pick(Key key, std::uint32_t attempt) const noexcept {
    if (attempt >= members_.size()) {
        return std::nullopt;
    }
    std::uint32_t visited = 0;
    auto is_attempt = [&visited, attempt](MemberIndex /*member*/) noexcept {
        return visited++ == attempt;
    };
    return walk(key, AcceptRef(is_attempt));
}

std::optional<MemberIndex> Table::first_accepted(Key key, AcceptRef accept) const noexcept {
    if (members_.empty()) {
        return std::nullopt;
    }
    return walk(key, accept);
}

}  // namespace ringlb::hashing

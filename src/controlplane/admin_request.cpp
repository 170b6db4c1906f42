#include "controlplane/admin_request.hpp"

#include <algorithm>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "controlplane/hostname.hpp"

namespace ringlb::balancer {

namespace json = boost::json;

namespace {

// Quotes a name for an error message the way docs/contract.md quotes paths: 'name'. Names that
// failed validation may hold anything, so they are shown JSON-escaped and shortened.
std::string quoted(std::string_view name) {
    constexpr std::size_t kShown = 80;
    std::string shown = json::serialize(json::string(name.substr(0, kShown)));
    shown = shown.substr(1, shown.size() - 2);
    return "'" + shown + (name.size() > kShown ? "...'" : "'");
}

AdminError error(std::string text) {
    return {"<Error> " + std::move(text)};
}

std::variant<std::uint32_t, AdminError> parse_n(const json::object& payload) {
    constexpr std::int64_t kLargestN = 1'000'000;
    const json::value* n = payload.if_contains("n");
    if (n == nullptr) {
        return error("'n' is missing: the payload needs the number of replicas, e.g. {\"n\": 2}");
    }
    std::int64_t value = 0;
    if (n->is_int64()) {
        value = n->get_int64();
    } else if (n->is_uint64()) {
        value = kLargestN + 1;
    } else {
        return error("'n' must be a positive integer");
    }
    if (value < 1) {
        return error("'n' must be a positive integer");
    }
    if (value > kLargestN) {
        return error("'n' is too large");
    }
    return static_cast<std::uint32_t>(value);
}

std::variant<std::vector<std::string>, AdminError> parse_hostnames(const json::object& payload) {
    std::vector<std::string> names;
    const json::value* list = payload.if_contains("hostnames");
    if (list == nullptr || list->is_null()) {
        return names;
    }
    if (!list->is_array()) {
        return error("'hostnames' must be a list of strings");
    }
    for (const json::value& item : list->get_array()) {
        if (!item.is_string()) {
            return error("'hostnames' must be a list of strings");
        }
        names.emplace_back(item.get_string());
    }
    return names;
}

}  // namespace

std::variant<ReplicaChange, AdminError> parse_change(std::string_view body, ChangeKind kind) {
    boost::system::error_code ec;
    const json::value payload = json::parse(body, ec);
    if (ec) {
        return error("malformed JSON payload: " + ec.message());
    }
    if (!payload.is_object()) {
        return error("the payload must be a JSON object like {\"n\": 1, \"hostnames\": [\"S1\"]}");
    }
    const auto n = parse_n(payload.get_object());
    if (const auto* e = std::get_if<AdminError>(&n)) {
        return *e;
    }
    auto names = parse_hostnames(payload.get_object());
    if (const auto* e = std::get_if<AdminError>(&names)) {
        return *e;
    }
    ReplicaChange change{std::get<std::uint32_t>(n), std::move(std::get<0>(names))};
    if (change.hostnames.size() > change.n) {
        return AdminError{kind == ChangeKind::add
                              ? "<Error> Length of hostname list is more than newly added instances"
                              : "<Error> Length of hostname list is more than removable instances"};
    }
    std::set<std::string_view> seen;
    for (const std::string& name : change.hostnames) {
        if (!is_valid_hostname(name)) {
            return error(quoted(name) +
                         " is not a valid hostname: use 2 to 63 letters, digits, '_', '.' or "
                         "'-', starting with a letter or digit");
        }
        if (!seen.insert(name).second) {
            return error("hostname " + quoted(name) + " appears more than once in the payload");
        }
    }
    return change;
}

std::optional<AdminError> check_add(const ReplicaChange& change,
                                    const std::vector<std::string>& current,
                                    std::size_t max_replicas) {
    for (const std::string& name : change.hostnames) {
        if (std::find(current.begin(), current.end(), name) != current.end()) {
            return error("hostname " + quoted(name) + " is already in use");
        }
    }
    if (current.size() + change.n > max_replicas) {
        return error("cannot add " + std::to_string(change.n) + " replicas to " +
                     std::to_string(current.size()) + ": at most " + std::to_string(max_replicas) +
                     " are allowed (--max-replicas)");
    }
    return std::nullopt;
}

std::optional<AdminError> check_remove(const ReplicaChange& change,
                                       const std::vector<std::string>& current) {
    if (change.n > current.size()) {
        return error("cannot remove " + std::to_string(change.n) + " replicas: only " +
                     std::to_string(current.size()) + " exist");
    }
    for (const std::string& name : change.hostnames) {
        if (std::find(current.begin(), current.end(), name) == current.end()) {
            return error(quoted(name) + " is not a replica");
        }
    }
    return std::nullopt;
}

}  // namespace ringlb::balancer

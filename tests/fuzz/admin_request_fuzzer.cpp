// libFuzzer target: any bytes as an /add or /rm payload. parse_change must answer every input
// with a change or an "<Error> " message, never crash, and a change it accepts must pass its own
// promises (at most n names, all valid, all distinct).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>
#include <variant>

#include "controlplane/admin_request.hpp"
#include "controlplane/hostname.hpp"

namespace {

using namespace ringlb::balancer;

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const ChangeKind kind = (data[0] & 1U) != 0 ? ChangeKind::add : ChangeKind::remove;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto parsed = parse_change(body, kind);
    if (const auto* error = std::get_if<AdminError>(&parsed)) {
        check(std::string_view(error->message).starts_with("<Error> "));
        return 0;
    }
    const auto& change = std::get<ReplicaChange>(parsed);
    check(change.n >= 1 && change.hostnames.size() <= change.n);
    std::set<std::string_view> seen;
    for (const auto& name : change.hostnames) {
        check(is_valid_hostname(name));
        check(seen.insert(name).second);
    }
    const std::vector<std::string> current{"server-1", "server-2", "server-3"};
    if (const auto problem = kind == ChangeKind::add ? check_add(change, current, 100)
                                                     : check_remove(change, current)) {
        check(std::string_view(problem->message).starts_with("<Error> "));
    }
    return 0;
}

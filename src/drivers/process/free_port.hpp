#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace ringlb::drivers {

// A TCP port on `host` that nothing listens on right now and that is not in `taken` (ports
// given to replicas that are still starting), found by binding port 0 and letting the kernel
// choose. The port is free when this returns, not necessarily when the replica binds it; a
// replica that then fails to listen exits, and its start is tried again with another port.
// nullopt when the kernel gives no free port in a few tries.
std::optional<std::uint16_t> pick_free_port(const std::string& host,
                                            const std::set<std::uint16_t>& taken);

}  // namespace ringlb::drivers

#include "controlplane/reconcile_plan.hpp"

#include <algorithm>

#include "controlplane/hostname.hpp"

namespace ringlb::balancer {

std::chrono::milliseconds restart_backoff(std::uint32_t failures_in_row,
                                          std::chrono::milliseconds min,
                                          std::chrono::milliseconds max) {
    if (failures_in_row == 0) {
        return std::chrono::milliseconds(0);
    }
    auto delay = min;
    for (std::uint32_t i = 1; i < failures_in_row && delay < max; ++i) {
        delay *= 2;
    }
    return std::min(delay, max);
}

std::vector<WantedReplica> wanted_without_state(const std::vector<ReplicaAddress>& found,
                                                std::uint32_t initial, std::mt19937_64& rng) {
    std::vector<WantedReplica> wanted;
    const auto has_id = [&](std::uint32_t id) {
        return std::any_of(wanted.begin(), wanted.end(),
                           [&](const WantedReplica& w) { return w.server_id == id; });
    };
    for (const ReplicaAddress& replica : found) {
        if (!has_id(replica.server_id)) {
            wanted.push_back({replica.name, replica.server_id});
        }
    }
    for (std::uint32_t id = 1; wanted.size() < initial; ++id) {
        std::string name = "server-" + std::to_string(id);
        const bool name_taken = std::any_of(wanted.begin(), wanted.end(),
                                            [&](const WantedReplica& w) { return w.name == name; });
        if (!has_id(id)) {
            wanted.push_back({name_taken ? random_hostname(rng) : name, id});
        }
    }
    return wanted;
}

StartupPlan plan_startup(const std::vector<WantedReplica>& wanted,
                         const std::vector<ReplicaAddress>& found) {
    StartupPlan plan;
    plan.order = wanted;
    std::vector<std::uint32_t> adopted;
    for (const ReplicaAddress& replica : found) {
        const bool is_wanted =
            std::find(wanted.begin(), wanted.end(),
                      WantedReplica{replica.name, replica.server_id}) != wanted.end();
        const bool id_adopted =
            std::find(adopted.begin(), adopted.end(), replica.server_id) != adopted.end();
        const bool adopt = is_wanted && !id_adopted;
        if (adopt) {
            adopted.push_back(replica.server_id);
        }
        plan.found.push_back({replica, adopt});
    }
    for (const WantedReplica& replica : wanted) {
        if (std::find(adopted.begin(), adopted.end(), replica.server_id) == adopted.end()) {
            plan.start.push_back(replica);
        }
    }
    return plan;
}

}  // namespace ringlb::balancer

#include "config/descriptor_budget.hpp"

#include <algorithm>

namespace ringlb::balancer {

namespace {

std::size_t pipes_for(std::uint64_t spare_descriptors) {
    return static_cast<std::size_t>(std::min<std::uint64_t>(kMaxPipes, spare_descriptors / 2));
}

}  // namespace

DescriptorPlan plan_descriptors(std::uint64_t limit, const DescriptorNeeds& needs) {
    DescriptorPlan plan;
    plan.max_connections = needs.max_connections;
    plan.reserved = kReservedBase + kReservedPerWorker * needs.threads +
                    kReservedPerReplica * static_cast<std::size_t>(needs.max_replicas);
    const std::string limit_text = "the open-files limit (ulimit -n) is " + std::to_string(limit);
    if (limit <= plan.reserved) {
        plan.error = limit_text + ", and ringlb needs more than " + std::to_string(plan.reserved) +
                     " before any connection: raise it, or lower --threads or --max-replicas";
        return plan;
    }
    const std::uint64_t fits = (limit - plan.reserved) / kDescriptorsPerConnection;
    if (needs.max_connections == 0) {
        // No limit on connections: a quarter of what is left may be pipes.
        plan.pipes = pipes_for((limit - plan.reserved) / 4);
        return plan;
    }
    if (needs.max_connections <= fits) {
        plan.pipes =
            pipes_for(limit - plan.reserved - needs.max_connections * kDescriptorsPerConnection);
        return plan;
    }
    if (needs.max_connections_given) {
        plan.error =
            "--max-connections " + std::to_string(needs.max_connections) + " needs " +
            std::to_string(needs.max_connections * kDescriptorsPerConnection + plan.reserved) +
            " descriptors, but " + limit_text + ": lower it to at most " + std::to_string(fits) +
            " or raise the limit";
        return plan;
    }
    // Lowered by ringlb: an eighth of the room goes to pipes, the rest to connections.
    plan.pipes = pipes_for((limit - plan.reserved) / 8);
    plan.max_connections = static_cast<std::size_t>((limit - plan.reserved - plan.pipes * 2) /
                                                    kDescriptorsPerConnection);
    plan.lowered = true;
    return plan;
}

}  // namespace ringlb::balancer

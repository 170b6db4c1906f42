#include "config/descriptor_budget.hpp"

namespace ringlb::balancer {

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
    if (needs.max_connections == 0 || needs.max_connections <= fits) {
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
    plan.max_connections = static_cast<std::size_t>(fits);
    plan.lowered = true;
    return plan;
}

}  // namespace ringlb::balancer

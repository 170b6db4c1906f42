#include "dataplane/upstream_pool.hpp"

#include <algorithm>

namespace ringlb::balancer {

std::unique_ptr<UpstreamConnection> UpstreamPool::take(std::uint64_t backend_uid,
                                                       Clock::time_point now) {
    const auto it = idle_.find(backend_uid);
    if (it == idle_.end()) {
        return nullptr;
    }
    auto& idle = it->second;
    while (!idle.empty()) {
        auto connection = std::move(idle.back());
        idle.pop_back();
        if (now - connection->idle_since < kMaxIdleAge) {
            lend_buffer(*connection);
            return connection;
        }
    }
    return nullptr;
}

void UpstreamPool::give_back(std::uint64_t backend_uid,
                             std::unique_ptr<UpstreamConnection> connection,
                             Clock::time_point now) {
    keep_buffer(*connection);
    auto& idle = idle_[backend_uid];
    if (idle.size() < max_idle_) {
        connection->idle_since = now;
        idle.push_back(std::move(connection));
    }
}

void UpstreamPool::keep_only(const RoutingSnapshot& snapshot) {
    const auto gone = [&snapshot](std::uint64_t uid) {
        return std::none_of(snapshot.backends.begin(), snapshot.backends.end(),
                            [uid](const std::shared_ptr<Backend>& backend) {
                                return backend && backend->uid() == uid;
                            });
    };
    std::erase_if(idle_, [&](const auto& entry) { return gone(entry.first); });
    std::erase_if(persistence_, [&](const auto& entry) { return gone(entry.first); });
}

Persistence UpstreamPool::persistence(std::uint64_t backend_uid) const {
    const auto it = persistence_.find(backend_uid);
    return it == persistence_.end() ? Persistence::unknown : it->second;
}

void UpstreamPool::note_persistence(std::uint64_t backend_uid, Persistence seen) {
    if (seen != Persistence::unknown) {
        persistence_[backend_uid] = seen;
    }
}

void UpstreamPool::lend_buffer(UpstreamConnection& connection) {
    if (connection.buffer.capacity() == 0 && !spare_buffers_.empty()) {
        connection.buffer = std::move(spare_buffers_.back());
        spare_buffers_.pop_back();
    }
}

void UpstreamPool::keep_buffer(UpstreamConnection& connection) {
    // A buffer still holding bytes past the last answer stays with its connection.
    if (connection.buffer.size() != 0 || connection.buffer.capacity() == 0) {
        return;
    }
    if (spare_buffers_.size() < kMaxSpareBuffers) {
        spare_buffers_.push_back(std::move(connection.buffer));  // leaves the connection none
    } else {
        connection.buffer = boost::beast::flat_buffer();
    }
}

std::size_t UpstreamPool::idle_count() const {
    std::size_t count = 0;
    for (const auto& [uid, idle] : idle_) {
        count += idle.size();
    }
    return count;
}

}  // namespace ringlb::balancer

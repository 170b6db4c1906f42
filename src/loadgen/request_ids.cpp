#include "loadgen/request_ids.hpp"

#include <algorithm>
#include <stdexcept>

namespace ringlb::loadgen {

RequestIdSource::RequestIdSource(const RequestIds& ids)
    : ids_(ids), stream_(ids.seed, KeySpace::kSixDigit) {
    if (ids_.mode == RequestIds::Mode::kFixed && ids_.fixed.empty()) {
        throw std::invalid_argument("a fixed set of request IDs must not be empty");
    }
}

std::optional<std::string> RequestIdSource::next() {
    switch (ids_.mode) {
        case RequestIds::Mode::kRandom:
            return std::to_string(stream_.next());
        case RequestIds::Mode::kNone:
            return std::nullopt;
        case RequestIds::Mode::kFixed: {
            const std::string& id = ids_.fixed[next_fixed_];
            next_fixed_ = (next_fixed_ + 1) % ids_.fixed.size();
            return id;
        }
    }
    return std::nullopt;
}

std::optional<RequestIds> parse_request_ids(const std::string& text) {
    if (text == "random") {
        return RequestIds{.mode = RequestIds::Mode::kRandom};
    }
    if (text == "none") {
        return RequestIds{.mode = RequestIds::Mode::kNone};
    }
    RequestIds ids{.mode = RequestIds::Mode::kFixed};
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string id = text.substr(start, comma - start);
        // A key must be printable and non-empty to travel in a header; anything else is a typo.
        const bool printable =
            std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < '\x7f'; });
        if (id.empty() || !printable) {
            return std::nullopt;
        }
        ids.fixed.push_back(std::move(id));
        start = comma + 1;
    }
    return ids;
}

std::string describe(const RequestIds& ids) {
    switch (ids.mode) {
        case RequestIds::Mode::kRandom:
            return "random";
        case RequestIds::Mode::kNone:
            return "none";
        case RequestIds::Mode::kFixed:
            return "fixed:" + std::to_string(ids.fixed.size());
    }
    return "unknown";
}

}  // namespace ringlb::loadgen

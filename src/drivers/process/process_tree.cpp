#include "drivers/process/process_tree.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ringlb::drivers {

std::optional<StatFields> parse_proc_stat(std::string_view text) {
    // "PID (COMM) STATE PPID ...": COMM ends at the last ')'.
    const std::size_t close = text.rfind(')');
    if (close == std::string_view::npos || close + 4 >= text.size() || text[close + 1] != ' ' ||
        text[close + 3] != ' ') {
        return std::nullopt;
    }
    StatFields fields;
    fields.state = text[close + 2];
    const char* begin = text.data() + close + 4;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, fields.parent);
    if (ec != std::errc{} || ptr == begin) {
        return std::nullopt;
    }
    return fields;
}

std::vector<pid_t> descendants(const ParentMap& parents, pid_t root) {
    std::multimap<pid_t, pid_t> children;
    for (const auto& [child, parent] : parents) {
        children.emplace(parent, child);
    }
    std::vector<pid_t> found;
    std::vector<pid_t> frontier{root};
    while (!frontier.empty()) {
        const pid_t next = frontier.back();
        frontier.pop_back();
        const auto [first, last] = children.equal_range(next);
        for (auto it = first; it != last; ++it) {
            if (it->second != root) {  // a loop cannot happen in /proc; never follow one
                found.push_back(it->second);
                frontier.push_back(it->second);
            }
        }
        if (found.size() > parents.size()) {
            break;  // a cycle in the input: stop rather than loop forever
        }
    }
    return found;
}

ParentMap read_parent_map() {
    ParentMap parents;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        pid_t pid = 0;
        const std::string name = entry.path().filename().string();
        const auto [ptr, parse_ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (parse_ec != std::errc{} || ptr != name.data() + name.size()) {
            continue;
        }
        std::ifstream stat(entry.path() / "stat");
        const std::string text((std::istreambuf_iterator<char>(stat)),
                               std::istreambuf_iterator<char>());
        const auto fields = parse_proc_stat(text);
        if (fields && fields->state != 'Z' && fields->state != 'X') {
            parents[pid] = fields->parent;
        }
    }
    return parents;
}

}  // namespace ringlb::drivers

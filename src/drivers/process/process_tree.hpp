#pragma once

#include <map>
#include <optional>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace ringlb::drivers {

// Every live process's parent, as /proc shows it: child PID -> parent PID. Zombies (exited,
// not yet reaped) are left out: there is nothing left of them to signal.
using ParentMap = std::map<pid_t, pid_t>;

// The parent PID and state letter in the text of /proc/PID/stat, or nullopt when the text is
// not one. (The command name, in parentheses, may hold spaces and parentheses itself.)
struct StatFields {
    char state = '?';
    pid_t parent = 0;
};
std::optional<StatFields> parse_proc_stat(std::string_view text);

// All the processes below `root` in `parents` (children, their children, ...), parents before
// their children; not root itself.
std::vector<pid_t> descendants(const ParentMap& parents, pid_t root);

// The live processes of this machine (its PID namespace), read from /proc.
ParentMap read_parent_map();

}  // namespace ringlb::drivers

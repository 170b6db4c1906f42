#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringlb::balancer {

// A replica command as the operator wrote it (--replica-command), split into words the way a
// POSIX shell splits a simple command, but run without a shell: nothing is expanded except
// ringlb's own placeholders.
//   - spaces, tabs and newlines separate words;
//   - '...' keeps everything inside as it is;
//   - "..." keeps everything inside, except that \" \\ \$ and \` stand for the second character;
//   - outside quotes, a backslash makes the next character ordinary.
// $VAR, globs, pipes and redirections are not special: write `sh -c '...'` for those.
struct SplitCommand {
    std::vector<std::string> words;  // empty when error is set
    std::string error;               // why the text is not a command, e.g. an unclosed quote
};
SplitCommand split_command(std::string_view text);

// The values that replace {port}, {host}, {id} and {name} in a replica's arguments, and that are
// set as PORT, HOST, SERVER_ID and REPLICA_NAME in its environment.
struct ReplicaPlaceholders {
    std::uint16_t port = 0;
    std::string host;
    std::uint32_t server_id = 0;
    std::string name;
};

// The placeholder names ringlb knows, in the order of the list above.
inline constexpr std::string_view kPlaceholderNames[] = {"port", "host", "id", "name"};

// Why a command's words cannot be used, or nullopt: no words, or a {word} that is not one of
// the placeholders (a typo such as {prot} would otherwise reach the replica as it is). Only
// braces around lower-case letters and underscores count as a placeholder; other braces (JSON
// in an argument, say) are left alone.
std::optional<std::string> check_placeholders(const std::vector<std::string>& words);

// The words with every placeholder replaced.
std::vector<std::string> expand_placeholders(const std::vector<std::string>& words,
                                             const ReplicaPlaceholders& values);

// The environment of a replica: `base` (NAME=VALUE entries, normally ringlb's own) with PORT,
// HOST, SERVER_ID and REPLICA_NAME set to the placeholders' values, replacing any earlier ones.
std::vector<std::string> replica_environment(const std::vector<std::string>& base,
                                             const ReplicaPlaceholders& values);

// Where `program` (a command's first word) is run from: itself when it holds a '/', else the
// first executable file of that name in `path` (a PATH value: directories separated by ':').
// nullopt when there is none. `is_executable` says whether a file can be run.
std::optional<std::string> find_program(const std::string& program, std::string_view path,
                                        bool (*is_executable)(const std::string& file));

}  // namespace ringlb::balancer

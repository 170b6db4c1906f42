#include "config/replica_command.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ringlb::balancer {

namespace {

bool is_separator(char c) {
    return c == ' ' || c == '\t' || c == '\n';
}

bool is_placeholder_char(char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
}

// Reads a quoted part starting after its opening quote; returns the index after the closing
// quote, or nullopt when the text ends first.
std::optional<std::size_t> read_quoted(std::string_view text, std::size_t i, char quote,
                                       std::string& word) {
    while (i < text.size()) {
        const char c = text[i];
        if (c == quote) {
            return i + 1;
        }
        if (quote == '"' && c == '\\' && i + 1 < text.size() &&
            std::string_view("\"\\$`").find(text[i + 1]) != std::string_view::npos) {
            word += text[i + 1];
            i += 2;
            continue;
        }
        word += c;
        ++i;
    }
    return std::nullopt;
}

// Where the placeholder that starts at `open` (a '{') ends: the index of its '}', or npos when
// the braces there do not hold a placeholder-shaped word.
std::size_t placeholder_end(const std::string& word, std::size_t open) {
    std::size_t i = open + 1;
    while (i < word.size() && is_placeholder_char(word[i])) {
        ++i;
    }
    if (i == open + 1 || i >= word.size() || word[i] != '}') {
        return std::string::npos;
    }
    return i;
}

std::string value_of(std::string_view name, const ReplicaPlaceholders& values) {
    if (name == "port") {
        return std::to_string(values.port);
    }
    if (name == "host") {
        return values.host;
    }
    if (name == "id") {
        return std::to_string(values.server_id);
    }
    return values.name;  // check_placeholders() let nothing else through
}

}  // namespace

SplitCommand split_command(std::string_view text) {
    SplitCommand result;
    std::string word;
    bool in_word = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (is_separator(c)) {
            if (in_word) {
                result.words.push_back(std::exchange(word, {}));
                in_word = false;
            }
            ++i;
        } else if (c == '\'' || c == '"') {
            in_word = true;
            const auto next = read_quoted(text, i + 1, c, word);
            if (!next) {
                return {{},
                        std::string("unclosed ") + (c == '"' ? "double" : "single") +
                            " quote in the command"};
            }
            i = *next;
        } else if (c == '\\') {
            if (i + 1 == text.size()) {
                return {{}, "the command ends with a lone backslash"};
            }
            in_word = true;
            word += text[i + 1];
            i += 2;
        } else {
            in_word = true;
            word += c;
            ++i;
        }
    }
    if (in_word) {
        result.words.push_back(std::move(word));
    }
    if (result.words.empty()) {
        return {{}, "the command is empty"};
    }
    return result;
}

std::optional<std::string> check_placeholders(const std::vector<std::string>& words) {
    if (words.empty()) {
        return "the command is empty";
    }
    for (const std::string& word : words) {
        for (std::size_t open = word.find('{'); open != std::string::npos;
             open = word.find('{', open + 1)) {
            const std::size_t close = placeholder_end(word, open);
            if (close == std::string::npos) {
                continue;
            }
            const std::string_view name(word.data() + open + 1, close - open - 1);
            if (std::find(std::begin(kPlaceholderNames), std::end(kPlaceholderNames), name) ==
                std::end(kPlaceholderNames)) {
                return "unknown placeholder {" + std::string(name) +
                       "} (known: {port} {host} {id} {name})";
            }
        }
    }
    return std::nullopt;
}

std::vector<std::string> expand_placeholders(const std::vector<std::string>& words,
                                             const ReplicaPlaceholders& values) {
    std::vector<std::string> expanded;
    expanded.reserve(words.size());
    for (const std::string& word : words) {
        std::string out;
        std::size_t done = 0;
        for (std::size_t open = word.find('{'); open != std::string::npos;
             open = word.find('{', open + 1)) {
            const std::size_t close = placeholder_end(word, open);
            if (close == std::string::npos) {
                continue;
            }
            out.append(word, done, open - done);
            out += value_of(std::string_view(word).substr(open + 1, close - open - 1), values);
            done = close + 1;
            open = close;
        }
        out.append(word, done);
        expanded.push_back(std::move(out));
    }
    return expanded;
}

std::vector<std::string> replica_environment(const std::vector<std::string>& base,
                                             const ReplicaPlaceholders& values) {
    const std::array<std::pair<std::string_view, std::string>, 4> ours = {{
        {"PORT", std::to_string(values.port)},
        {"HOST", values.host},
        {"SERVER_ID", std::to_string(values.server_id)},
        {"REPLICA_NAME", values.name},
    }};
    std::vector<std::string> env;
    env.reserve(base.size() + ours.size());
    for (const std::string& entry : base) {
        const std::string_view key = std::string_view(entry).substr(0, entry.find('='));
        if (std::none_of(ours.begin(), ours.end(),
                         [key](const auto& pair) { return pair.first == key; })) {
            env.push_back(entry);
        }
    }
    for (const auto& [key, value] : ours) {
        env.push_back(std::string(key) + "=" + value);
    }
    return env;
}

std::optional<std::string> find_program(const std::string& program, std::string_view path,
                                        bool (*is_executable)(const std::string& file)) {
    if (program.find('/') != std::string::npos) {
        return is_executable(program) ? std::optional(program) : std::nullopt;
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find(':', start), path.size());
        const std::string_view dir = path.substr(start, end - start);
        // An empty entry means the current directory, as in a shell.
        const std::string file =
            (dir.empty() ? std::string(".") : std::string(dir)) + "/" + program;
        if (is_executable(file)) {
            return file;
        }
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace ringlb::balancer

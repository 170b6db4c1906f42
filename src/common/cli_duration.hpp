#pragma once

#include <chrono>
#include <string>

#include <CLI/CLI.hpp>

#include "common/duration.hpp"

namespace ringlb::net {

// Adds a duration flag ("250ms", "2s", "1m") bound to `target`, with an environment twin; its
// current value is shown as the default in --help.
inline CLI::Option* add_duration_option(CLI::App& app, const std::string& name,
                                        std::chrono::milliseconds& target, const std::string& help,
                                        const std::string& env) {
    return app
        .add_option_function<std::string>(
            name,
            [&target, name](const std::string& text) {
                const auto parsed = parse_duration(text);
                if (!parsed) {
                    throw CLI::ValidationError(
                        name, "'" + text + "' is not a duration like 250ms, 2s or 1m");
                }
                target = *parsed;
            },
            help)
        ->envname(env)
        ->default_str(format_duration(target));
}

}  // namespace ringlb::net

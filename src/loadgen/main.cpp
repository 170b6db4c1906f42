// ringlb-load: load generation and analysis. Each subcommand lives in its own files; this file
// only wires them together.

#include <CLI/CLI.hpp>

#include "common/version.hpp"
#include "loadgen/run_command.hpp"
#include "loadgen/simulate_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"ringlb-load: load generator and hashing analysis for ringlb"};
    app.set_version_flag("--version", ringlb::build::version_text("ringlb-load"));
    app.require_subcommand(1);
    ringlb::loadgen::add_run_command(app);
    ringlb::loadgen::add_simulate_command(app);
    CLI11_PARSE(app, argc, argv);
    return 0;
}

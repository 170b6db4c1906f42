#include "loadgen/simulation_report.hpp"

#include <array>
#include <cstdio>
#include <ostream>

#include <boost/json.hpp>

#include "loadgen/json_text.hpp"

namespace ringlb::loadgen {

namespace {

constexpr std::size_t kMaxSharesShown = 10;

std::string format(const char* pattern, double value) {
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), pattern, value);
    return buffer.data();
}

std::string percent(double fraction) {
    return format("%.3f%%", fraction * 100.0);
}

std::string ratio(double value) {
    return format("%.4f", value);
}

boost::json::value moves_json(const Moves& moves) {
    return boost::json::object{{"server_id", moves.server_id},
                               {"moved", moves.moved},
                               {"spurious", moves.spurious},
                               {"necessary", moves.moved - moves.spurious},
                               {"ideal", moves.ideal}};
}

boost::json::object parameters_json(const hashing::Config& config) {
    switch (config.algorithm) {
        case hashing::Algorithm::kClassic:
            return {{"slots", config.classic.slots},
                    {"virtual_servers", config.classic.virtual_servers},
                    {"functions", hashing::classic_functions_name(config.classic.functions)},
                    {"probing", hashing::probing_name(config.classic.probing)}};
        case hashing::Algorithm::kRing:
            return {{"virtual_nodes", config.ring.virtual_nodes}};
        case hashing::Algorithm::kMaglev:
        case hashing::Algorithm::kMaglevIncremental:
            return {{"table_size", config.maglev.table_size}};
    }
    return {};
}

void print_row(std::ostream& out, const SimulationRun& run) {
    const SimulationResult& r = run.result;
    std::array<char, 256> line{};
    const std::string remove_moved =
        r.remove ? ratio(r.remove->moved / r.remove->ideal) : std::string("-");
    const std::string remove_spurious = r.remove ? percent(r.remove->spurious) : std::string("-");
    std::snprintf(line.data(), line.size(), "%-19s %6u %10llu %9s %9s %12s %10s %12s %10s\n",
                  run.algorithm.c_str(), run.params.replicas,
                  static_cast<unsigned long long>(run.params.keys), ratio(r.peak_to_mean).c_str(),
                  percent(r.stddev).c_str(), remove_moved.c_str(), remove_spurious.c_str(),
                  ratio(r.add.moved / r.add.ideal).c_str(), percent(r.add.spurious).c_str());
    out << line.data();
}

}  // namespace

void print_table(std::ostream& out, const std::vector<SimulationRun>& runs) {
    out << "                                               "
           "  remove one replica      add one replica\n";
    out << "algorithm                N       keys peak/mean    stddev "
           "moved/ideal   spurious  moved/ideal   spurious\n";
    for (const SimulationRun& run : runs) {
        print_row(out, run);
    }
    bool header = false;
    for (const SimulationRun& run : runs) {
        if (run.result.shares.size() > kMaxSharesShown) {
            continue;
        }
        if (!header) {
            out << "\nshares per replica (server 1, 2, ...):\n";
            header = true;
        }
        out << run.algorithm << " N=" << run.params.replicas << ":";
        for (const double share : run.result.shares) {
            out << ' ' << percent(share);
        }
        out << '\n';
    }
}

void print_json(std::ostream& out, const std::vector<SimulationRun>& runs) {
    for (const SimulationRun& run : runs) {
        const SimulationResult& r = run.result;
        boost::json::array shares;
        for (const double share : r.shares) {
            shares.emplace_back(share);
        }
        const boost::json::object object{
            {"algorithm", run.algorithm},
            {"parameters", parameters_json(run.params.config)},
            {"replicas", run.params.replicas},
            {"keys", run.params.keys},
            {"seed", run.params.seed},
            {"key_space", run.params.key_space == KeySpace::kUniform ? "uniform" : "six-digit"},
            {"shares", std::move(shares)},
            {"peak_to_mean", r.peak_to_mean},
            {"stddev", r.stddev},
            {"remove", r.remove ? moves_json(*r.remove) : boost::json::value(nullptr)},
            {"add", moves_json(r.add)}};
        out << to_json_text(object) << '\n';
    }
}

}  // namespace ringlb::loadgen

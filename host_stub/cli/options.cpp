#include "options.hpp"

#include <algorithm>
#include <thread>

#include "integer.hpp"

namespace nb::host {
namespace {

std::size_t positive_count(const std::string &option, const std::string &text) {
    const auto value = text.size() <= 9 ? parse_integer(text, Sign::unsigned_only) : std::nullopt;
    if (!value || *value == 0) {
        throw UsageError(option + " needs a whole number from 1 up, got \"" + text + "\"");
    }
    return static_cast<std::size_t>(*value);
}

}  // namespace

const char *usage_text() {
    return "usage: nb-host run WORKFLOW.json   [--plugin-dir DIR]... [--workers N] [--queue N] [--stats]\n"
           "       nb-host check WORKFLOW.json [--plugin-dir DIR]...\n"
           "       nb-host nodes               [--plugin-dir DIR]...\n"
           "       nb-host describe NODE_TYPE  [--plugin-dir DIR]...\n";
}

Options parse_options(const std::vector<std::string> &args) {
    Options o;
    o.workers = std::max(2u, std::thread::hardware_concurrency());
    if (args.empty()) throw UsageError("missing command");
    o.command = args[0];
    if (o.command == "--help" || o.command == "-h" || o.command == "help") {
        o.command = "help";
        return o;
    }
    const bool takes_argument = o.command == "run" || o.command == "check" || o.command == "describe";
    if (!takes_argument && o.command != "nodes") throw UsageError("unknown command \"" + o.command + "\"");
    bool have_argument = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string &arg = args[i];
        const auto value = [&]() -> const std::string & {
            if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
            return args[++i];
        };
        if (arg == "--plugin-dir") {
            o.plugin_dirs.emplace_back(value());
        } else if (o.command == "run" && arg == "--workers") {
            o.workers = positive_count(arg, value());
        } else if (o.command == "run" && arg == "--stats") {
            o.stats = true;
        } else if (o.command == "run" && arg == "--queue") {
            o.queue = positive_count(arg, value());
        } else if (arg.rfind("--", 0) == 0) {
            throw UsageError("unknown option " + arg + " for " + o.command);
        } else if (takes_argument && !have_argument) {
            o.argument = arg;
            have_argument = true;
        } else {
            throw UsageError("unexpected argument \"" + arg + "\"");
        }
    }
    if (takes_argument && !have_argument) {
        throw UsageError(o.command + (o.command == "describe" ? " needs NODE_TYPE" : " needs WORKFLOW.json"));
    }
    return o;
}

}  // namespace nb::host

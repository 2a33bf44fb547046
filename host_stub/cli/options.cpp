#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "integer.hpp"
#include "option_values.hpp"

namespace nb::host {
namespace {

constexpr unsigned kMaxRetries = 100;

std::size_t positive_count(const std::string &option, const std::string &text) {
    const auto value = text.size() <= 9 ? parse_integer(text, Sign::unsigned_only) : std::nullopt;
    if (!value || *value == 0) {
        throw UsageError(option + " needs a whole number from 1 up, got \"" + text + "\"");
    }
    return static_cast<std::size_t>(*value);
}

unsigned retry_count(const std::string &option, const std::string &text) {
    const auto value = text.size() <= 3 ? parse_integer(text, Sign::unsigned_only) : std::nullopt;
    if (!value || *value > kMaxRetries) {
        throw UsageError(option + " needs a whole number from 0 to " + std::to_string(kMaxRetries) +
                         ", got \"" + text + "\"");
    }
    return static_cast<unsigned>(*value);
}

std::chrono::milliseconds duration(const std::string &option, const std::string &text,
                                   bool zero_allowed) {
    const auto value = parse_duration(text);
    if (!value || (!zero_allowed && value->count() == 0)) {
        throw UsageError(option + " needs a DURATION" + (zero_allowed ? "" : " above 0") +
                         " (a whole number and ms, s, m, h or d, e.g. 30s), got \"" + text + "\"");
    }
    return *value;
}

std::uint64_t size(const std::string &option, const std::string &text) {
    const auto value = parse_size(text);
    if (!value || *value == 0) {
        throw UsageError(option + " needs a SIZE above 0 (a whole number, then B, KiB, MiB, GiB, "
                                  "kB, MB or GB, e.g. 64MiB), got \"" + text + "\"");
    }
    return *value;
}

JournalSync journal_sync(const std::string &option, const std::string &text) {
    if (text == "full") return JournalSync::full;
    if (text == "normal") return JournalSync::normal;
    throw UsageError(option + " needs full or normal, got \"" + text + "\"");
}

// Pulls the value of args[i] (an option), moving i past it.
class Arguments {
public:
    explicit Arguments(const std::vector<std::string> &args) : args_(args) {}
    std::size_t size() const { return args_.size(); }
    const std::string &operator[](std::size_t i) const { return args_[i]; }
    const std::string &value(std::size_t &i) const {
        if (i + 1 >= args_.size()) throw UsageError(args_[i] + " needs a value");
        return args_[++i];
    }

private:
    const std::vector<std::string> &args_;
};

}  // namespace

const char *usage_text() {
    return "usage: nb-host run WORKFLOW.json   [--plugin-dir DIR]... [--workers N] [--queue N] [--stats]\n"
           "                 [--journal PATH|off] [--journal-sync full|normal] [--journal-keep DURATION]\n"
           "                 [--journal-max SIZE] [--journal-poll DURATION] [--retries N]\n"
           "                 [--retry-delay DURATION] [--queue-bytes SIZE]\n"
           "       nb-host check WORKFLOW.json [--plugin-dir DIR]...\n"
           "       nb-host nodes               [--plugin-dir DIR]...\n"
           "       nb-host describe NODE_TYPE  [--plugin-dir DIR]...\n"
           "DURATION: a whole number and ms, s, m, h or d (500ms, 30s, 7d).\n"
           "SIZE: a whole number and B, KiB, MiB, GiB, kB, MB or GB (1000-based), bytes if none.\n";
}

Options parse_options(const std::vector<std::string> &argv) {
    const Arguments args(argv);
    Options o;
    o.workers = std::max(2u, std::thread::hardware_concurrency());
    if (args.size() == 0) throw UsageError("missing command");
    o.command = args[0];
    if (o.command == "--help" || o.command == "-h" || o.command == "help") {
        o.command = "help";
        return o;
    }
    const bool takes_argument = o.command == "run" || o.command == "check" || o.command == "describe";
    if (!takes_argument && o.command != "nodes") throw UsageError("unknown command \"" + o.command + "\"");
    const bool run = o.command == "run";
    bool have_argument = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--plugin-dir") {
            o.plugin_dirs.emplace_back(args.value(i));
        } else if (run && arg == "--workers") {
            o.workers = positive_count(arg, args.value(i));
        } else if (run && arg == "--stats") {
            o.stats = true;
        } else if (run && arg == "--queue") {
            o.queue = positive_count(arg, args.value(i));
        } else if (run && arg == "--journal") {
            const std::string &path = args.value(i);
            if (path.empty()) throw UsageError("--journal needs a PATH or off, got \"\"");
            o.journal_off = path == "off";
            o.journal = o.journal_off ? std::filesystem::path() : std::filesystem::path(path);
        } else if (run && arg == "--journal-sync") {
            o.journal_sync = journal_sync(arg, args.value(i));
        } else if (run && arg == "--journal-keep") {
            o.journal_keep = duration(arg, args.value(i), true);
        } else if (run && arg == "--journal-max") {
            o.journal_max = size(arg, args.value(i));
        } else if (run && arg == "--journal-poll") {
            o.journal_poll = duration(arg, args.value(i), false);
        } else if (run && arg == "--retries") {
            o.retries = retry_count(arg, args.value(i));
        } else if (run && arg == "--retry-delay") {
            o.retry_delay = duration(arg, args.value(i), true);
        } else if (run && arg == "--queue-bytes") {
            o.queue_bytes = size(arg, args.value(i));
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

std::filesystem::path journal_path_for(const Options &options, const std::string &workflow_name) {
    if (!options.journal.empty()) return options.journal;
    std::string name = workflow_name.empty() ? "unnamed" : workflow_name;
    for (char &c : name) {
        const bool kept = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '.' || c == '_' || c == '-';
        if (!kept) c = '_';
    }
    std::filesystem::path state;
    const char *xdg = std::getenv("XDG_STATE_HOME");
    if (xdg && std::filesystem::path(xdg).is_absolute()) {
        state = xdg;
    } else {
        const char *home = std::getenv("HOME");
        if (!home || !std::filesystem::path(home).is_absolute()) {
            throw UsageError("HOME is not an absolute path, so there is no default journal: give --journal PATH");
        }
        state = std::filesystem::path(home) / ".local" / "state";
    }
    return state / "nb-host" / (name + ".journal");
}

}  // namespace nb::host

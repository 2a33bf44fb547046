#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "../broker/redis_url.hpp"
#include "integer.hpp"
#include "option_values.hpp"
#include "../observe/utc_time.hpp"

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

AdminAddress admin_address(const std::string &option, const std::string &text) {
    auto address = parse_admin_address(text);
    if (!address) {
        throw UsageError(option + " needs ADDR:PORT (an IP address, in brackets for IPv6, and a port from 1 to "
                                  "65535, e.g. 127.0.0.1:9464), got \"" + text + "\"");
    }
    return std::move(*address);
}

BrokerRole role(const std::string &option, const std::string &text) {
    if (text == "all") return BrokerRole::all;
    if (text == "ingest") return BrokerRole::ingest;
    if (text == "worker") return BrokerRole::worker;
    throw UsageError(option + " needs all, ingest or worker, got \"" + text + "\"");
}

// --since T: a UTC time, or a DURATION meaning that long before now.
std::int64_t since(const std::string &option, const std::string &text) {
    if (const auto time = parse_utc_time(text)) return *time;
    if (const auto ago = parse_duration(text)) {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch() - *ago).count();
    }
    throw UsageError(option + " needs a UTC time (2026-12-03T10:00:00Z) or a DURATION (e.g. 2h), got \"" +
                     text + "\"");
}

std::int64_t event_id(const std::string &text) {
    const auto value = parse_integer(text, Sign::unsigned_only);
    if (!value || *value == 0) throw UsageError("an event ID is a whole number from 1 up, got \"" + text + "\"");
    return *value;
}

BrokerEventId broker_event_id(const std::string &text) {
    auto id = parse_broker_event_id(text);
    if (!id) {
        throw UsageError("an event ID with --broker is NODE/MS-SEQ (e.g. hook/1700000000000-0), got \"" + text +
                         "\"");
    }
    return std::move(*id);
}

// --broker's value; an env:NAME is read (and its URL checked) when used.
std::string broker_url(const std::string &text) {
    if (text.rfind("env:", 0) == 0) return text;
    try {
        parse_redis_url(text);
    } catch (const BrokerError &e) {
        throw UsageError(std::string("--broker: ") + e.what());
    }
    return text;
}

UsageError journal_and_broker(const std::string &journal_option) {
    return UsageError(journal_option + " and --broker exclude each other: with a broker, Redis keeps the events");
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

void set_filter(Options &o, EventFilter filter) {
    if (o.filter != EventFilter::all && o.filter != filter) {
        throw UsageError("--failed and --pending exclude each other");
    }
    o.filter = filter;
}

// nb-host journal list|show|replay|stats (--journal PATH | [--broker URL] WORKFLOW.json) ...
Options parse_journal(Options o, const Arguments &args) {
    if (args.size() < 2) throw UsageError("journal needs list, show, replay or stats");
    o.journal_command = args[1];
    const std::string &sub = o.journal_command;
    if (sub != "list" && sub != "show" && sub != "replay" && sub != "stats") {
        throw UsageError("unknown journal command \"" + sub + "\" (list, show, replay or stats)");
    }
    std::vector<std::string> positional;
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--journal") {
            o.journal = args.value(i);
            if (o.journal == "off") throw UsageError("journal " + sub + " needs a journal file, not --journal off");
        } else if (arg == "--broker") {
            o.broker = broker_url(args.value(i));
        } else if (arg == "--json" && sub != "replay") {
            o.json = true;
        } else if (arg == "--failed" && (sub == "list" || sub == "replay")) {
            set_filter(o, EventFilter::failed);
        } else if (arg == "--pending" && sub == "list") {
            set_filter(o, EventFilter::pending);
        } else if (arg == "--since" && sub == "list") {
            o.since = since(arg, args.value(i));
        } else if (arg == "--show-secrets" && sub == "show") {
            o.show_secrets = true;
        } else if (arg.rfind("--", 0) == 0) {
            throw UsageError("unknown option " + arg + " for journal " + sub);
        } else {
            positional.push_back(arg);
        }
    }
    if (!o.broker.empty() && !o.journal.empty()) throw journal_and_broker("--journal");
    // Without --journal the first argument names the workflow whose default
    // journal (or, with --broker, whose streams) is meant; with it every
    // argument is an event ID.
    auto rest = positional.begin();
    if (o.journal.empty()) {
        if (rest == positional.end()) {
            throw UsageError("journal " + sub +
                             (o.broker.empty() ? " needs --journal PATH or WORKFLOW.json"
                                               : " --broker needs WORKFLOW.json: its \"name\" and node ids "
                                                 "name the Redis streams"));
        }
        o.argument = *rest++;
        if (o.argument.size() > 8 && o.argument.rfind(".journal") == o.argument.size() - 8) {
            throw UsageError("\"" + o.argument + "\" looks like a journal: give it as --journal PATH");
        }
    }
    for (; rest != positional.end(); ++rest) {
        if (sub == "list" || sub == "stats") throw UsageError("unexpected argument \"" + *rest + "\"");
        if (o.broker.empty()) {
            o.ids.push_back(event_id(*rest));
        } else {
            o.broker_ids.push_back(broker_event_id(*rest));
        }
    }
    const std::size_t ids = o.ids.size() + o.broker_ids.size();
    if (sub == "show" && ids != 1) throw UsageError("journal show needs one event ID");
    if (sub == "replay" && (ids == 0) == (o.filter == EventFilter::all)) {
        throw UsageError("journal replay needs event IDs or --failed (not both)");
    }
    return o;
}

}  // namespace

const char *usage_text() {
    return "usage: nb-host run WORKFLOW.json   [--plugin-dir DIR]... [--workers N] [--queue N] [--stats]\n"
           "                 [--journal PATH|off] [--journal-sync full|normal] [--journal-keep DURATION]\n"
           "                 [--journal-max SIZE] [--journal-poll DURATION] [--retries N]\n"
           "                 [--retry-delay DURATION] [--queue-bytes SIZE]\n"
           "                 [--broker URL|env:NAME [--role all|ingest|worker] [--claim-after DURATION]\n"
           "                  [--max-backlog N] [--reconnect-max DURATION]]\n"
           "                 [--admin ADDR:PORT] [--access-log FILE|- [--access-log-buffer N]]\n"
           "       nb-host check WORKFLOW.json [--plugin-dir DIR]...\n"
           "       nb-host nodes               [--plugin-dir DIR]...\n"
           "       nb-host describe NODE_TYPE  [--plugin-dir DIR]...\n"
           "       nb-host journal list   JOURNAL [--failed|--pending] [--since T] [--json]\n"
           "       nb-host journal show   JOURNAL ID [--json] [--show-secrets]\n"
           "       nb-host journal replay JOURNAL (ID... | --failed)\n"
           "       nb-host journal stats  JOURNAL [--json]\n"
           "JOURNAL: --journal PATH, or WORKFLOW.json for that workflow's default journal,\n"
           "  ${XDG_STATE_HOME:-~/.local/state}/nb-host/NAME.journal (NAME: its \"name\"),\n"
           "  or --broker URL|env:NAME WORKFLOW.json for its queue mode streams in Redis\n"
           "  (an ID is then NODE/MS-SEQ, as list prints it).\n"
           "URL: redis://[:PASSWORD@]HOST[:PORT][/DB]; env:NAME reads it from the variable NAME.\n"
           "DURATION: a whole number and ms, s, m, h or d (500ms, 30s, 7d).\n"
           "SIZE: a whole number and B, KiB, MiB, GiB, kB, MB or GB (1000-based), bytes if none.\n"
           "T: a UTC time (2026-12-03T10:00:00Z) or a DURATION (that long ago).\n";
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
    if (o.command == "journal") return parse_journal(std::move(o), args);
    const bool takes_argument = o.command == "run" || o.command == "check" || o.command == "describe";
    if (!takes_argument && o.command != "nodes") throw UsageError("unknown command \"" + o.command + "\"");
    const bool run = o.command == "run";
    bool have_argument = false;
    std::vector<std::string> broker_only, journal_set, access_log_only;
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
            journal_set.push_back(arg);
            const std::string &path = args.value(i);
            if (path.empty()) throw UsageError("--journal needs a PATH or off, got \"\"");
            o.journal_off = path == "off";
            o.journal = o.journal_off ? std::filesystem::path() : std::filesystem::path(path);
        } else if (run && arg == "--journal-sync") {
            journal_set.push_back(arg);
            o.journal_sync = journal_sync(arg, args.value(i));
        } else if (run && arg == "--journal-keep") {
            journal_set.push_back(arg);
            o.journal_keep = duration(arg, args.value(i), true);
        } else if (run && arg == "--journal-max") {
            journal_set.push_back(arg);
            o.journal_max = size(arg, args.value(i));
        } else if (run && arg == "--journal-poll") {
            journal_set.push_back(arg);
            o.journal_poll = duration(arg, args.value(i), false);
        } else if (run && arg == "--retries") {
            o.retries = retry_count(arg, args.value(i));
        } else if (run && arg == "--retry-delay") {
            o.retry_delay = duration(arg, args.value(i), true);
        } else if (run && arg == "--queue-bytes") {
            o.queue_bytes = size(arg, args.value(i));
        } else if (run && arg == "--admin") {
            o.admin = admin_address(arg, args.value(i));
        } else if (run && arg == "--access-log") {
            o.access_log = args.value(i);
            if (o.access_log.empty()) throw UsageError("--access-log needs a FILE or -, got \"\"");
        } else if (run && arg == "--access-log-buffer") {
            o.access_log_buffer = positive_count(arg, args.value(i));
            access_log_only.push_back(arg);
        } else if (run && arg == "--broker") {
            o.broker = broker_url(args.value(i));
        } else if (run && arg == "--role") {
            o.role = role(arg, args.value(i));
            broker_only.push_back(arg);
        } else if (run && arg == "--claim-after") {
            o.claim_after = duration(arg, args.value(i), false);
            broker_only.push_back(arg);
        } else if (run && arg == "--max-backlog") {
            o.max_backlog = positive_count(arg, args.value(i));
            broker_only.push_back(arg);
        } else if (run && arg == "--reconnect-max") {
            o.reconnect_max = duration(arg, args.value(i), false);
            broker_only.push_back(arg);
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
    if (o.broker.empty() && !broker_only.empty()) throw UsageError(broker_only.front() + " needs --broker");
    if (o.access_log.empty() && !access_log_only.empty()) {
        throw UsageError(access_log_only.front() + " needs --access-log");
    }
    if (!o.broker.empty() && !journal_set.empty()) throw journal_and_broker(journal_set.front());
    return o;
}

std::filesystem::path journal_path_for(const Options &options, const std::string &workflow_name) {
    if (!options.journal.empty()) return options.journal;
    // Workflows without a name are told apart by their file's: two of them
    // must not share a journal (its lock would refuse the second).
    std::string name = !workflow_name.empty() ? workflow_name : std::filesystem::path(options.argument).stem().string();
    if (name.empty()) name = "unnamed";
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

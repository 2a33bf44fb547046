#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "../broker/broker_event_id.hpp"
#include "../broker/broker_settings.hpp"
#include "../observe/admin_server.hpp"
#include "../store/journal_reader.hpp"

namespace nb::host {

// A command line nb-host cannot act on; main prints it with the usage, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string command;   // run, check, nodes, describe, journal, help
    std::string argument;  // WORKFLOW.json or NODE_TYPE; journal: WORKFLOW.json or empty
    std::vector<std::filesystem::path> plugin_dirs;
    std::size_t workers;
    std::size_t queue = 1024;
    bool stats = false;  // run: print run counts and latency percentiles on exit

    // run and the journal commands: the journal file (docs/journal.md).
    std::filesystem::path journal;  // --journal PATH; empty: journal_path_for's default
    bool journal_off = false;       // run --journal off: events in memory only
    // run only.
    JournalSync journal_sync = JournalSync::full;
    std::chrono::milliseconds journal_keep = std::chrono::hours(7 * 24);
    std::uint64_t journal_max = std::uint64_t{1} << 30;
    std::chrono::milliseconds journal_poll = std::chrono::seconds(1);
    unsigned retries = 0;
    std::chrono::milliseconds retry_delay = std::chrono::seconds(1);  // then 4x each
    std::uint64_t queue_bytes = std::uint64_t{256} << 20;
    // run in queue mode (docs/broker.md): no journal, Redis streams instead;
    // the journal commands read those streams then.
    std::string broker;  // --broker URL or env:NAME, resolved when used; empty: none
    BrokerRole role = BrokerRole::all;
    std::chrono::milliseconds claim_after = std::chrono::seconds(30);
    std::uint64_t max_backlog = 100000;
    std::chrono::milliseconds reconnect_max = std::chrono::seconds(5);
    // run's observability (docs/metrics.md).
    std::optional<AdminAddress> admin;  // --admin ADDR:PORT; none: off
    std::string access_log;             // --access-log FILE or -; empty: off
    std::size_t access_log_buffer = 8192;  // records waiting to be written, at most

    // journal list|show|replay|stats.
    std::string journal_command;
    std::vector<std::int64_t> ids;          // show: one; replay: those
    std::vector<BrokerEventId> broker_ids;  // the same with --broker
    EventFilter filter = EventFilter::all;  // list --failed|--pending; replay --failed
    std::optional<std::int64_t> since;      // list --since, Unix ms (a DURATION: now minus it)
    bool json = false;
    bool show_secrets = false;
};

// Throws UsageError.
Options parse_options(const std::vector<std::string> &args);
const char *usage_text();

// The journal file for a workflow named `workflow_name`: --journal PATH, else
// ${XDG_STATE_HOME}/nb-host/NAME.journal (XDG_STATE_HOME only when set and
// absolute, else $HOME/.local/state) with NAME the workflow's name (when it
// has none, its file's name without the extension), every byte outside
// [A-Za-z0-9._-] made '_'. Throws
// UsageError when it needs HOME and HOME is not an absolute path.
std::filesystem::path journal_path_for(const Options &options, const std::string &workflow_name);

}  // namespace nb::host

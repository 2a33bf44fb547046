#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <memory>

#include "../broker/redis_url.hpp"
#include "../scheduling/host.hpp"
#include "../store/journal.hpp"
#include "../workflow/workflow.hpp"
#include "commands.hpp"
#include "listening_lines.hpp"
#include "option_values.hpp"
#include "second_signal.hpp"
#include "stop_lines.hpp"

namespace nb::host {
namespace {

std::unique_ptr<Journal> open_journal(const Options &options, const std::string &workflow_name) {
    JournalOptions journal;
    journal.path = journal_path_for(options, workflow_name);
    journal.sync = options.journal_sync;
    journal.keep = std::chrono::duration_cast<std::chrono::seconds>(options.journal_keep);
    journal.max_bytes = options.journal_max;
    return std::make_unique<Journal>(journal);
}

BrokerSettings broker_settings(const Options &options) {
    BrokerSettings broker;
    broker.link.url = parse_redis_url(resolve_broker_url(options.broker));
    broker.link.reconnect_max = options.reconnect_max;
    broker.role = options.role;
    broker.max_backlog = options.max_backlog;
    broker.claim_after = options.claim_after;
    return broker;
}

// Queue mode's refusals of a workflow: its streams are named after it, and
// a worker on another host cannot answer a request held open here.
void check_for_broker(const Workflow &workflow, const std::string &file) {
    if (workflow.name.empty()) {
        throw WorkflowError(file + ": queue mode (--broker) names its Redis streams after the workflow's "
                                   "\"name\", and this workflow has none: give it one, the same on every host");
    }
    for (const WorkflowNode &node : workflow.nodes) {
        if (!node.is_event_source() || !node.instance->get_widget) continue;
        const char *respond = node.instance->get_widget(node.instance.get(), "respond");
        if (respond && std::string_view(respond) == "when_finished") {
            throw WorkflowError("node \"" + node.id + "\": respond=when_finished cannot be used with --broker: "
                                "the run may happen on another host, which cannot answer this request; "
                                "use respond=immediately");
        }
    }
}

// Waits for one of `stop_signals`; every `poll` meanwhile, queues the events
// `nb-host journal replay` marked.
void serve_until_stopped(Host &host, const Options &options, const sigset_t &stop_signals, std::ostream &err) {
    int signal = 0;
    if (!host.journal()) {
        sigwait(&stop_signals, &signal);
        return;
    }
    const auto poll = std::chrono::duration_cast<std::chrono::nanoseconds>(options.journal_poll);
    const timespec every{static_cast<time_t>(poll.count() / 1000000000), static_cast<long>(poll.count() % 1000000000)};
    while (sigtimedwait(&stop_signals, nullptr, &every) < 0) {
        if (errno != EAGAIN) continue;  // EINTR
        if (const std::size_t marked = host.take_replays()) {
            err << "journal: replaying " << marked << " events marked by nb-host journal replay\n" << std::flush;
        }
    }
}

// What keeps the events a second signal leaves unfinished.
KeptBy kept_by_of(const Host &host, const Options &options) {
    if (!options.broker.empty()) return {KeptBy::Kind::broker, format_duration(options.claim_after)};
    if (const Journal *journal = host.journal()) return {KeptBy::Kind::journal, journal->path().string()};
    return {};
}

// The drain (host.shutdown()): every accepted event runs, unless one more of
// `stop_signals` ends the process first (SecondSignal), saying what was left.
void drain(Host &host, const Options &options, const sigset_t &stop_signals) {
    const KeptBy kept_by = kept_by_of(host, options);
    const SecondSignal second(stop_signals, [&host, &kept_by](int signal) {
        const Unfinished &unfinished = host.unfinished();
        for (const StopLine &line : forced_stop_lines(signal, unfinished.events(), unfinished.executing(), kept_by)) {
            host.log_line(line.level, nullptr, line.text);
        }
    });
    const std::string waiting = draining_line(host.unfinished().events());
    if (!waiting.empty()) host.log_line(NB_LOG_INFO, nullptr, waiting);
    host.shutdown();
}

}  // namespace

int command_run(const Options &options, const sigset_t &stop_signals, std::ostream &out, std::ostream &err) {
    const PluginSet plugins = load_plugins(options, err);
    Host host(err);  // after plugins: destroyed (nodes first) before they unload
    try {
        const WorkflowSpec spec = read_workflow_file(options.argument);
        Workflow workflow = build_workflow(spec, plugins, host.abi());
        if (!options.broker.empty()) {
            check_for_broker(workflow, options.argument);
            host.use_broker(broker_settings(options));
        } else if (!options.journal_off) {
            host.use_journal(open_journal(options, workflow.name));
        }
        host.set_retries(options.retries, options.retry_delay);
        host.set_queue_bytes(options.queue_bytes);
        host.start_runs(std::move(workflow), options.workers, options.queue);
        if (const std::size_t pending = host.replay_pending()) {
            err << "journal: replaying " << pending << " accepted events from " << host.journal()->path().string()
                << "\n";
        }
        host.listen();
    } catch (const WorkflowError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    } catch (const JournalError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    } catch (const ListenError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    } catch (const BrokerError &e) {
        err << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    }
    print_consuming(host.consumed(), out);
    print_listening(host.listening(), out);
    out.flush();
    serve_until_stopped(host, options, stop_signals, err);
    drain(host, options, stop_signals);
    if (options.stats) {
        err << "stats: " << host.stats().summary() << "\n";
        if (const Journal *journal = host.journal()) {
            err << "journal: " << journal->commits() << " commits, " << journal->events_stored() << " events\n";
        }
    }
    return exit_ok;
}

}  // namespace nb::host

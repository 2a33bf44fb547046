#include <cerrno>
#include <chrono>
#include <csignal>
#include <ctime>
#include <memory>

#include "../broker/redis_url.hpp"
#include "../observe/access_log.hpp"
#include "../scheduling/host.hpp"
#include "../store/journal.hpp"
#include "../workflow/workflow.hpp"
#include "admin_endpoint.hpp"
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

// Waits for one of `stop_signals`; every `poll` meanwhile (with a journal),
// queues the events `nb-host journal replay` marked; at each SIGHUP (with
// an access log), reopens the log.
void serve_until_stopped(Host &host, const Options &options, const sigset_t &stop_signals, AccessLog *access_log,
                         std::ostream &err) {
    sigset_t waited = stop_signals;
    if (access_log) sigaddset(&waited, SIGHUP);
    const auto poll = std::chrono::duration_cast<std::chrono::nanoseconds>(options.journal_poll);
    const timespec every{static_cast<time_t>(poll.count() / 1000000000), static_cast<long>(poll.count() % 1000000000)};
    for (;;) {
        const int signal = host.journal() ? sigtimedwait(&waited, nullptr, &every) : sigwaitinfo(&waited, nullptr);
        if (signal == SIGHUP) {
            access_log->reopen();
        } else if (signal > 0) {
            return;
        } else if (errno == EAGAIN) {
            if (const std::size_t marked = host.take_replays()) {
                err << "journal: replaying " << marked << " events marked by nb-host journal replay\n" << std::flush;
            }
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
    std::optional<AccessLog> access_log;  // outlives the nodes, which record into it
    Host host(err);  // after plugins: destroyed (nodes first) before they unload
    std::optional<AdminEndpoint> admin;  // reads the host: stopped before it is destroyed
    try {
        if (!options.access_log.empty()) {
            access_log.emplace(options.access_log, options.access_log_buffer, err);
            host.use_access_log(*access_log);
        }
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
        if (options.admin) {
            admin.emplace(*options.admin, host, plugins, access_log ? &*access_log : nullptr);
            out << "admin: " << options.admin->url() << "/metrics\n" << std::flush;
        }
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
    }  // AccessLogError, AdminError: main prints "nb-host: error: WHAT", exit 1
    print_consuming(host.consumed(), out);
    print_listening(host.listening(), out);
    out.flush();
    serve_until_stopped(host, options, stop_signals, access_log ? &*access_log : nullptr, err);
    admin.reset();
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

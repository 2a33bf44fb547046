#include "stop_lines.hpp"

#include <csignal>

namespace nb::host {
namespace {

std::string events_text(std::uint64_t events) {
    return std::to_string(events) + " accepted event" + (events == 1 ? "" : "s");
}

std::string signal_name(int signal) {
    switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "signal " + std::to_string(signal);
    }
}

StopLine fate(std::uint64_t events, const KeptBy &kept_by) {
    const bool one = events == 1;
    switch (kept_by.kind) {
    case KeptBy::Kind::journal:
        return {NB_LOG_WARN, "the journal " + kept_by.where + (one ? " keeps it: it runs" : " keeps them: they run") +
                                 " at the next start"};
    case KeptBy::Kind::broker:
        return {NB_LOG_WARN, std::string(one ? "it stays" : "they stay") +
                                 " pending in Redis: a worker takes " + (one ? "it" : "them") +
                                 " over after --claim-after (" + kept_by.where + ")"};
    case KeptBy::Kind::memory: break;
    }
    return {NB_LOG_ERROR,
            std::string(one ? "it is" : "they are") + " lost: with --journal off, accepted events are kept in memory only"};
}

}  // namespace

std::string draining_line(std::uint64_t events) {
    if (events == 0) return "";
    return "stopping: waiting for " + events_text(events) + " to finish; SIGINT or SIGTERM again exits at once";
}

std::vector<StopLine> forced_stop_lines(int signal, std::uint64_t events,
                                        const std::vector<Unfinished::Executing> &executing,
                                        const KeptBy &kept_by) {
    const std::string again = signal_name(signal) + " again: exiting at once";
    if (events == 0) return {{NB_LOG_WARN, again + "; every accepted event had finished"}};
    std::vector<StopLine> lines{{NB_LOG_WARN, again + " with " + events_text(events) + " unfinished"}};
    for (const Unfinished::Executing &run : executing) {
        lines.push_back({NB_LOG_WARN, "still executing: node \"" + run.node + "\" (" + run.type + ") in run " +
                                          std::to_string(run.run_id)});
    }
    lines.push_back(fate(events, kept_by));
    return lines;
}

}  // namespace nb::host

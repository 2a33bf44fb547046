#include "journal_commands.hpp"

#include "../store/journal_reader.hpp"
#include "../workflow/workflow_file.hpp"
#include "broker_journal_commands.hpp"
#include "commands.hpp"
#include "journal_output.hpp"

namespace nb::host {
namespace {

std::string id_list(const std::vector<std::int64_t> &ids) {
    std::string text;
    for (const std::int64_t id : ids) text += (text.empty() ? "" : ", ") + std::to_string(id);
    return text;
}

ListedEvent listed(const EventSummary &event) {
    return {event.id,       event.node,       event.accepted_at, state_name(event.state),
            event.attempts, event.body_bytes, event.last_error};
}

ShownEvent shown(const EventDetails &event) {
    ShownEvent out;
    static_cast<EventFields &>(out) = event;
    out.summary = listed(event.summary);
    out.finished_at = event.finished_at;
    out.replay = event.replay;
    return out;
}

int list(JournalReader &reader, const Options &options, std::ostream &out) {
    std::vector<ListedEvent> events;
    for (const EventSummary &event : reader.list(options.filter, options.since)) events.push_back(listed(event));
    out << (options.json ? list_json(events) : list_text(events));
    return exit_ok;
}

int show(JournalReader &reader, const JournalFile &file, const Options &options, std::ostream &out,
         std::ostream &err) {
    const auto event = reader.show(options.ids.front());
    if (!event) {
        err << "nb-host: error: " << file.path().string() << " has no event " << options.ids.front() << "\n";
        return exit_failure;
    }
    const ShownEvent shown_event = shown(*event);
    out << (options.json ? show_json(shown_event, options.show_secrets) : show_text(shown_event, options.show_secrets));
    return exit_ok;
}

int replay(JournalReader &reader, const Options &options, std::ostream &out) {
    const ReplayMarks marks = options.filter == EventFilter::failed ? reader.mark_failed_replay()
                                                                     : reader.mark_replay(options.ids);
    out << "marked " << marks.marked.size() << (marks.marked.size() == 1 ? " event" : " events")
        << " for replay" << (marks.marked.empty() ? "" : ": " + id_list(marks.marked)) << "\n";
    for (const std::int64_t id : marks.already_pending) out << "event " << id << ": already pending, left alone\n";
    if (!marks.marked.empty()) {
        out << "a running nb-host picks them up within its --journal-poll (1s unless set); "
               "else the next nb-host run of the workflow replays them\n";
    }
    return exit_ok;
}

int stats(JournalReader &reader, const Options &options, std::ostream &out) {
    const JournalStats counts = reader.stats();
    out << (options.json ? stats_json(counts) : stats_text(counts));
    return exit_ok;
}

}  // namespace

int command_journal(const Options &options, std::ostream &out, std::ostream &err) {
    if (!options.broker.empty()) return command_broker_journal(options, out, err);
    std::filesystem::path path = options.journal;
    if (path.empty()) {
        try {
            path = journal_path_for(options, read_workflow_file(options.argument).name);
        } catch (const WorkflowError &e) {
            err << "nb-host: error: " << e.what() << "\n";
            return exit_failure;
        }
    }
    const bool writes = options.journal_command == "replay";
    try {
        JournalFile file(path, writes ? JournalAccess::read_write : JournalAccess::read);
        JournalReader reader(file);
        if (options.journal_command == "list") return list(reader, options, out);
        if (options.journal_command == "show") return show(reader, file, options, out, err);
        if (options.journal_command == "replay") return replay(reader, options, out);
        return stats(reader, options, out);
    } catch (const JournalError &e) {
        err << "nb-host: error: " << e.what() << "\n";
    } catch (const SqliteError &e) {
        err << "nb-host: error: journal " << path.string() << ": " << e.what() << "\n";
    }
    return exit_failure;
}

}  // namespace nb::host

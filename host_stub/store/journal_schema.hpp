#pragma once

// The journal's file format: an SQLite database in WAL mode, marked as ours
// by its application_id and versioned by its user_version. Every reader and
// writer of a journal agrees on this file only.

#include <cstdint>

namespace nb::host {

// 'nbhj': a database without it (and not empty) is not a journal.
constexpr std::int32_t kJournalApplicationId = 0x6E62686A;
// Raised with every change of the tables below; a journal with a higher one
// was written by a newer nb-host and is refused, never changed.
constexpr int kJournalSchemaVersion = 1;

// events.state
enum class EventState : int {
    pending = 0,   // accepted, to run (again): replayed at start
    finished = 1,  // its last run succeeded
    failed = 2,    // every attempt failed: a dead letter, kept for `journal replay`
};

// Times are Unix milliseconds. Ids are never reused (AUTOINCREMENT), so a
// node may key its side effects on one.
//
// An event is two rows: event_data, written once when it is accepted (and
// committed before its 200), and event_runs, the small row its runs update,
// so marking a run's end never rewrites the body. The view `events` joins
// them, with triggers that write through it: readers and tools see one row.
//   state (EventState): finished once a run succeeded; a run that failed
//   with retries left stays pending; once none is left it is failed.
//   attempts counts ended runs; last_error the last failed one's message.
//   replay = 1: `nb-host journal replay` set it (and state 0) for the
//   running host to pick up; a start replays every pending row anyway.
// deliveries: the delivery ids seen per node, each until expires_at
//   (accepted_at + the node's dedupe window); written in the transaction
//   that stores its event, deleted with it when that event is refused after
//   all.
constexpr const char *kJournalSchema = R"sql(
CREATE TABLE event_data (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    node TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    query_json TEXT NOT NULL,
    body BLOB NOT NULL,
    delivery_id TEXT,
    dedupe_window_s INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event_runs (
    event_id INTEGER PRIMARY KEY,
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER,
    last_error TEXT,
    replay INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_runs_to_replay ON event_runs(event_id) WHERE replay = 1;
CREATE VIEW events AS
    SELECT d.id, d.node, d.accepted_at, r.state, r.attempts, r.finished_at, r.last_error, r.replay,
           d.method, d.path, d.remote_addr, d.headers_json, d.query_json, d.body, d.delivery_id,
           d.dedupe_window_s
    FROM event_data d JOIN event_runs r ON r.event_id = d.id;
CREATE TRIGGER events_insert INSTEAD OF INSERT ON events BEGIN
    INSERT INTO event_data (id, node, accepted_at, method, path, remote_addr, headers_json, query_json,
                            body, delivery_id, dedupe_window_s)
        VALUES (NEW.id, NEW.node, NEW.accepted_at, NEW.method, NEW.path, NEW.remote_addr, NEW.headers_json,
                NEW.query_json, NEW.body, NEW.delivery_id, COALESCE(NEW.dedupe_window_s, 0));
    INSERT INTO event_runs (event_id, state, attempts, finished_at, last_error, replay)
        VALUES (last_insert_rowid(), COALESCE(NEW.state, 0), COALESCE(NEW.attempts, 0), NEW.finished_at,
                NEW.last_error, COALESCE(NEW.replay, 0));
END;
CREATE TRIGGER events_update INSTEAD OF UPDATE ON events BEGIN
    UPDATE event_runs SET state = NEW.state, attempts = NEW.attempts, finished_at = NEW.finished_at,
                          last_error = NEW.last_error, replay = NEW.replay
        WHERE event_id = OLD.id;
END;
CREATE TRIGGER events_delete INSTEAD OF DELETE ON events BEGIN
    DELETE FROM event_runs WHERE event_id = OLD.id;
    DELETE FROM event_data WHERE id = OLD.id;
END;
CREATE TABLE deliveries (
    node TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (node, delivery_id)
) WITHOUT ROWID;
)sql";

}  // namespace nb::host

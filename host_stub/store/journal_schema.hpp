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
// events: one row per accepted event, committed before its 200.
//   finished: the last run succeeded (state 1). A run that failed with
//   retries left stays pending; once none is left it is failed (state 2).
//   attempts counts ended runs; last_error the last failed one's message.
//   replay = 1: `nb-host journal replay` set it (and state 0) for the
//   running host to pick up; a start replays every pending row anyway.
// deliveries: the delivery ids seen per node, each until expires_at
//   (accepted_at + the node's dedupe window); written in the transaction
//   that stores its event, deleted with it when that event is refused after
//   all.
constexpr const char *kJournalSchema = R"sql(
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    node TEXT NOT NULL,
    accepted_at INTEGER NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER,
    last_error TEXT,
    replay INTEGER NOT NULL DEFAULT 0,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    remote_addr TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    query_json TEXT NOT NULL,
    body BLOB NOT NULL,
    delivery_id TEXT,
    dedupe_window_s INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_by_state ON events(state, id);
CREATE INDEX events_to_replay ON events(id) WHERE replay = 1;
CREATE TABLE deliveries (
    node TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (node, delivery_id)
) WITHOUT ROWID;
)sql";

}  // namespace nb::host

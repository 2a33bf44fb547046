#pragma once

// `nb-host run --access-log FILE|-`: one JSON line per record an event
// source sends through NB_EXT_ACCESS_LOG, written off the event loops.

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "access_line.hpp"
#include "exposition.hpp"
#include "instruments.hpp"

namespace nb::host {

// The file could not be opened; what() names it and says why.
class AccessLogError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A bounded buffer of records and the thread that writes them, in batches
// every 50 ms or once half the buffer waits. record()
// takes a short lock and never waits for the disk: when `capacity` records
// already wait, the new one is dropped and counted
// (nb_access_log_dropped_total). A line that cannot be written is dropped
// and counted the same way, with one warning per run of failures.
class AccessLog {
public:
    // Opens `target` for appending (created 0600: it names clients), or
    // standard output for "-", and starts the writer. Warnings go to `log`
    // as whole lines. Throws AccessLogError.
    AccessLog(std::filesystem::path target, std::size_t capacity, std::ostream &log);
    // Writes what waits, then joins the writer.
    ~AccessLog();
    AccessLog(const AccessLog &) = delete;
    AccessLog &operator=(const AccessLog &) = delete;

    // [thread-safe] Copies `record`, stamped with the time now, for the
    // workflow node `node` (null: none). Never blocks beyond a short lock,
    // never throws.
    void record(const std::string *node, const nb_access_record_t &record) noexcept;
    // [thread-safe] The writer opens the file again (by name) before its next
    // write: after a rename, lines go to the new file (SIGHUP, for log
    // rotation). A file that cannot be opened is warned about and the old
    // one kept. Nothing for "-".
    void reopen() noexcept;
    // [thread-safe] Returns once every record made before it was written
    // (or dropped). For tests.
    void flush();

    // [thread-safe] nb_access_log_lines_total, nb_access_log_dropped_total.
    void write_metrics(Exposition &out) const;
    std::uint64_t lines() const noexcept { return lines_.value(); }
    std::uint64_t dropped() const noexcept { return dropped_.value(); }

private:
    int open_file() const;  // -1 with errno
    void push(AccessEntry &&entry);
    void write_loop();
    // Writes `entries` as lines; counts them written or dropped.
    void write(const std::vector<AccessEntry> &entries);
    void warn(const std::string &message);

    const std::filesystem::path target_;
    const bool stdout_;
    const std::size_t capacity_;
    const std::size_t wake_at_;  // records waiting that wake the writer before its next flush
    std::ostream &log_;
    int fd_ = -1;  // the writer's
    bool failing_ = false;  // the writer's: the last write failed
    Counter lines_, dropped_;
    std::mutex mutex_;
    std::condition_variable work_, written_;
    std::vector<AccessEntry> pending_;  // capacity_ reserved: a record never allocates under the lock
    std::uint64_t taken_ = 0;     // records the writer took so far
    std::uint64_t done_ = 0;      // ... and has written or dropped
    std::uint64_t recorded_ = 0;  // records queued so far
    bool reopen_ = false;
    bool flush_now_ = false;
    bool stopping_ = false;
    std::thread writer_;  // last
};

}  // namespace nb::host

#pragma once

// Opening a journal: the one place that decides whether a file is a journal
// this nb-host can use, and that no other nb-host writes it.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "sqlite.hpp"

namespace nb::host {

// A journal that cannot be used; what() names the file and what is wrong
// ("... is not an nb-host journal", "... was written by a newer nb-host
// (schema 3, this one reads 1)", "... is corrupt: ...", "... is in use by
// nb-host pid 1234", "cannot create folder ...: ..."). The file is never
// deleted or changed because of it.
class JournalError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class JournalSync { full, normal };

// How a connection opens the file.
enum class JournalAccess {
    write,      // the host: creates the file (0600) and its folder, takes the lock
    read,       // `journal list/show/stats`: the file must exist; no lock
    read_write, // `journal replay`: as read, may also write (beside a running host)
};

// An open, checked journal connection in WAL mode, its schema created when
// the file was new. With JournalAccess::write it holds PATH.lock (flock,
// holding its pid) for its lifetime.
class JournalFile {
public:
    // Throws JournalError.
    JournalFile(const std::filesystem::path &path, JournalAccess access,
                JournalSync sync = JournalSync::full);
    ~JournalFile();
    JournalFile(const JournalFile &) = delete;
    JournalFile &operator=(const JournalFile &) = delete;

    Database &db() noexcept { return *db_; }
    const std::filesystem::path &path() const noexcept { return path_; }

private:
    friend class Journal;
    struct Another {};
    // One more connection to the journal this process opened with write
    // access, checked then: no lock, no checks again.
    JournalFile(const std::filesystem::path &path, JournalSync sync, Another);
    void open(JournalAccess access, JournalSync sync);
    void check(JournalAccess access);
    void configure(JournalSync sync);

    std::filesystem::path path_;
    int lock_fd_ = -1;
    std::unique_ptr<Database> db_;
};

}  // namespace nb::host

#include "journal_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

#include "journal_schema.hpp"

namespace nb::host {

namespace fs = std::filesystem;

namespace {

std::string system_error() { return std::strerror(errno); }

// Owns a descriptor until released.
class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

void create_folder(const fs::path &path) {
    fs::path folder = path.parent_path();
    if (folder.empty())
        return;
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw JournalError("cannot create folder " + folder.string() + " for journal " +
                           path.string() + ": " + error.message());
}

// The pid a holder wrote into its lock file; empty in the moment between its
// flock and its write.
std::string holder_pid(int fd) {
    char text[32];
    ssize_t size = ::pread(fd, text, sizeof text, 0);
    std::string pid;
    for (ssize_t i = 0; i < size && text[i] >= '0' && text[i] <= '9'; ++i)
        pid += text[i];
    return pid;
}

// flock, not fcntl locks: those are per process, so a second Journal in the
// same process (and its tests) would not see the first.
int take_lock(const fs::path &path) {
    fs::path lock_path = path;
    lock_path += ".lock";
    Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        throw JournalError("cannot open " + lock_path.string() + " for journal " +
                           path.string() + ": " + system_error());
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            throw JournalError("cannot lock " + lock_path.string() + ": " + system_error());
        std::string pid = holder_pid(fd.get());
        throw JournalError("journal " + path.string() + " is in use by " +
                           (pid.empty() ? "another nb-host" : "nb-host pid " + pid));
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::pwrite(fd.get(), pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
        throw JournalError("cannot write " + lock_path.string() + ": " + system_error());
    return fd.release();
}

// Created here rather than by SQLite so that no umask widens or narrows it:
// SQLite gives -wal and -shm the database file's mode.
void create_file(const fs::path &path) {
    Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST)
            return;
        throw JournalError("cannot create journal " + path.string() + ": " + system_error());
    }
    if (::fchmod(fd.get(), 0600) != 0)
        throw JournalError("cannot set the mode of journal " + path.string() + ": " +
                           system_error());
}

JournalError described(const fs::path &path, const SqliteError &error) {
    switch (error.code()) {
    case SQLITE_NOTADB:
        return JournalError(path.string() + " is not an nb-host journal (not an SQLite database)");
    case SQLITE_CORRUPT:
        return JournalError(path.string() + " is corrupt: " + error.what());
    default:
        return JournalError("cannot use journal " + path.string() + ": " + error.what());
    }
}

// Without write access to the file or its folder (a command run by another
// user beside the host), SQLite may still read it through a read-only
// connection.
bool read_only_may_help(int code) {
    return code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM;
}

std::string first_text(Database &db, const char *sql) {
    Statement statement(db, sql);
    return statement.step() ? statement.text(0) : std::string();
}

void create_schema(Database &db) {
    Transaction transaction(db);
    db.exec(kJournalSchema);
    db.exec(("PRAGMA application_id = " + std::to_string(kJournalApplicationId)).c_str());
    db.exec(("PRAGMA user_version = " + std::to_string(kJournalSchemaVersion)).c_str());
    transaction.commit();
}

}  // namespace

JournalFile::JournalFile(const fs::path &path, JournalAccess access, JournalSync sync)
    : path_(path) {
    if (access == JournalAccess::write) {
        create_folder(path);
        lock_fd_ = take_lock(path);
    } else if (!fs::exists(path)) {
        throw JournalError("no journal at " + path.string());
    }
    // The lock must outlive the connection, also when this constructor throws.
    try {
        open(access, sync);
    } catch (...) {
        db_.reset();
        if (lock_fd_ >= 0)
            ::close(lock_fd_);
        throw;
    }
}

void JournalFile::open(JournalAccess access, JournalSync sync) {
    if (access == JournalAccess::write)
        create_file(path_);
    try {
        try {
            db_ = std::make_unique<Database>(path_.string(), false);
            check(access);
        } catch (const SqliteError &error) {
            if (access == JournalAccess::write || !read_only_may_help(error.code()))
                throw;
            db_ = std::make_unique<Database>(path_.string(), false, true);
            check(access);
        }
        configure(sync);
    } catch (const SqliteError &error) {
        throw described(path_, error);
    }
}

JournalFile::JournalFile(const fs::path &path, JournalSync sync, Another) : path_(path) {
    try {
        db_ = std::make_unique<Database>(path.string(), false);
        configure(sync);
    } catch (const SqliteError &error) {
        throw described(path, error);
    }
}

JournalFile::~JournalFile() {
    db_.reset();
    if (lock_fd_ >= 0)
        ::close(lock_fd_);
}

// Only reads until the file is known to be a journal of this version, so a
// file that is not one is left as it was.
void JournalFile::check(JournalAccess access) {
    Database &db = *db_;
    db.exec("PRAGMA busy_timeout = 5000");
    std::int64_t objects = db.scalar("SELECT count(*) FROM sqlite_master");
    std::int64_t application_id = db.scalar("PRAGMA application_id");
    std::int64_t version = db.scalar("PRAGMA user_version");
    if (objects == 0 && application_id == 0 && version == 0) {
        if (access != JournalAccess::write)
            throw JournalError(path_.string() + " is not an nb-host journal (an empty database)");
        db.exec("PRAGMA journal_mode = WAL");
        create_schema(db);
        return;
    }
    if (application_id != kJournalApplicationId)
        throw JournalError(path_.string() + " is not an nb-host journal (application id " +
                           std::to_string(application_id) + ")");
    if (version > kJournalSchemaVersion)
        throw JournalError(path_.string() + " was written by a newer nb-host (schema " +
                           std::to_string(version) + ", this one reads " +
                           std::to_string(kJournalSchemaVersion) + ")");
    std::string verdict = first_text(db, "PRAGMA quick_check(1)");
    // Its report spans lines; an error message is one.
    std::replace(verdict.begin(), verdict.end(), '\n', ' ');
    if (verdict != "ok")
        throw JournalError(path_.string() + " is corrupt: " + verdict);
    if (version < kJournalSchemaVersion)
        throw JournalError(path_.string() + " is corrupt: schema version " +
                           std::to_string(version));
}

void JournalFile::configure(JournalSync sync) {
    Database &db = *db_;
    db.exec("PRAGMA busy_timeout = 5000");
    std::string mode = first_text(db, "PRAGMA journal_mode = WAL");
    if (mode != "wal")
        throw JournalError("journal " + path_.string() + " cannot use WAL mode (it is in " +
                           mode + " mode)");
    db.exec(sync == JournalSync::full ? "PRAGMA synchronous = FULL"
                                      : "PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = OFF");
    // A WAL grown under load is cut back once reset (checkpointer.hpp).
    db.exec("PRAGMA journal_size_limit = 67108864");
}

}  // namespace nb::host

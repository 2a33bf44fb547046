#pragma once

// A thin RAII layer over SQLite's C API: a connection and its prepared
// statements, errors as exceptions carrying SQLite's message.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace nb::host {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string &what) : std::runtime_error(what), code_(code) {}
    // SQLite's primary result code (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOTADB...).
    int code() const noexcept { return code_; }

private:
    int code_;
};

class Statement;

class Database {
public:
    // Opens (SQLITE_OPEN_READWRITE, and CREATE when `create`) `path`;
    // read_only opens SQLITE_OPEN_READONLY. Throws SqliteError.
    Database(const std::string &path, bool create, bool read_only = false);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Runs one or more statements without results. Throws SqliteError.
    void exec(const char *sql);
    // The first column of the first row of `sql` as an integer (0 when no row).
    std::int64_t scalar(const char *sql);
    std::int64_t changes() const noexcept;
    // The WAL file of the main database, as SQLite names it (beside the
    // database's real path, symbolic links resolved).
    std::string wal_path() const;
    // The rowid of this connection's last successful INSERT.
    std::int64_t last_insert_rowid() const noexcept;
    // A transaction is open (also after a failed COMMIT that SQLite kept open).
    bool in_transaction() const noexcept;
    sqlite3 *handle() const noexcept { return db_; }

private:
    sqlite3 *db_ = nullptr;
};

// One prepared statement, reset for the next use by reset() or by the next
// bind after a step.
class Statement {
public:
    Statement(Database &db, const char *sql);  // throws SqliteError
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Parameters are 1-based. Text and blobs are copied (SQLITE_TRANSIENT)
    // unless `borrowed`: then they must stay valid until the next reset.
    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, std::string_view text, bool borrowed = false);
    Statement &bind_blob(int index, std::string_view bytes, bool borrowed = false);
    Statement &bind_null(int index);
    // true: a row is ready; false: done. Throws SqliteError.
    bool step();
    // step() until done, then reset(). Throws SqliteError.
    void run();
    void reset() noexcept;

    // Columns are 0-based; valid until the next step or reset.
    std::int64_t integer(int column) const noexcept;
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    bool is_null(int column) const noexcept;

private:
    void prepare_bind() noexcept;
    void check(int code);

    Database &db_;
    sqlite3_stmt *stmt_ = nullptr;
    bool stepped_ = false;  // a bind must reset first
};

// BEGIN IMMEDIATE (the write lock now, so it cannot fail later as BUSY)
// until commit(); rolled back when left without one.
class Transaction {
public:
    // `begin`: BEGIN IMMEDIATE to write, BEGIN for a consistent read.
    explicit Transaction(Database &db, const char *begin = "BEGIN IMMEDIATE");  // throws SqliteError
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit();  // throws SqliteError

private:
    Database &db_;
};

}  // namespace nb::host

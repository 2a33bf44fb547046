#include "sqlite.hpp"

#include <sqlite3.h>

namespace nb::host {

namespace {

// Extended result codes are off, but a primary code is what callers compare.
int primary(int code) { return code & 0xff; }

[[noreturn]] void fail(sqlite3 *db, int code) {
    throw SqliteError(primary(code), db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
}

// An empty view may have no data, and SQLite binds a null pointer as NULL.
const char *bytes_of(std::string_view bytes) { return bytes.data() ? bytes.data() : ""; }

}  // namespace

Database::Database(const std::string &path, bool create, bool read_only) {
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !read_only)
        flags |= SQLITE_OPEN_CREATE;
    // Each connection is used by one thread at a time: SQLite's own mutexes buy nothing.
    flags |= SQLITE_OPEN_NOMUTEX;
    int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (code != SQLITE_OK) {
        SqliteError error(primary(code), db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code));
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw error;
    }
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const char *sql) {
    char *message = nullptr;
    int code = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (code == SQLITE_OK)
        return;
    SqliteError error(primary(code), message ? message : sqlite3_errstr(code));
    sqlite3_free(message);
    throw error;
}

std::int64_t Database::scalar(const char *sql) {
    Statement statement(*this, sql);
    return statement.step() ? statement.integer(0) : 0;
}

std::int64_t Database::changes() const noexcept { return sqlite3_changes64(db_); }

std::string Database::wal_path() const {
    const char *name = sqlite3_db_filename(db_, "main");
    const char *wal = name ? sqlite3_filename_wal(name) : nullptr;
    return wal ? wal : "";
}

std::int64_t Database::last_insert_rowid() const noexcept { return sqlite3_last_insert_rowid(db_); }

bool Database::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

Statement::Statement(Database &db, const char *sql) : db_(db) {
    int code = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr);
    if (code != SQLITE_OK)
        fail(db.handle(), code);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::prepare_bind() noexcept {
    if (stepped_)
        reset();
}

Statement &Statement::bind(int index, std::int64_t value) {
    prepare_bind();
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement &Statement::bind(int index, std::string_view text, bool borrowed) {
    prepare_bind();
    check(sqlite3_bind_text64(stmt_, index, bytes_of(text), text.size(),
                              borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement &Statement::bind_blob(int index, std::string_view bytes, bool borrowed) {
    prepare_bind();
    check(sqlite3_bind_blob64(stmt_, index, bytes_of(bytes), bytes.size(),
                              borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bind_null(int index) {
    prepare_bind();
    check(sqlite3_bind_null(stmt_, index));
    return *this;
}

bool Statement::step() {
    stepped_ = true;
    int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW)
        return true;
    if (code == SQLITE_DONE)
        return false;
    fail(db_.handle(), code);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() noexcept {
    // Its result repeats the last step's error, already thrown there.
    sqlite3_reset(stmt_);
    stepped_ = false;
}

void Statement::check(int code) {
    if (code != SQLITE_OK)
        fail(db_.handle(), code);
}

std::int64_t Statement::integer(int column) const noexcept {
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
    // The blob accessor returns text and blobs alike, NUL bytes included, unconverted.
    const void *bytes = sqlite3_column_blob(stmt_, column);
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return bytes ? std::string(static_cast<const char *>(bytes), size) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column))
        return std::nullopt;
    return text(column);
}

bool Statement::is_null(int column) const noexcept {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database &db, const char *begin) : db_(db) { db_.exec(begin); }

Transaction::~Transaction() {
    if (!db_.in_transaction())
        return;
    // A failed rollback leaves nothing to do: SQLite rolls back a
    // transaction it cannot finish when the connection closes.
    try {
        db_.exec("ROLLBACK");
    } catch (const SqliteError &) {
    }
}

void Transaction::commit() { db_.exec("COMMIT"); }

}  // namespace nb::host

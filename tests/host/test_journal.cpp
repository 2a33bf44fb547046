#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <store/journal.hpp>
#include <store/journal_schema.hpp>

using namespace nb::host;
namespace fs = std::filesystem;

namespace {

// A fresh folder per test case, removed with everything in it.
class Folder {
public:
    Folder() {
        std::string pattern = (fs::temp_directory_path() / "nb-journal-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~Folder() {
        std::error_code error;
        fs::remove_all(path_, error);
    }
    Folder(const Folder &) = delete;
    Folder &operator=(const Folder &) = delete;
    fs::path operator/(const std::string &name) const { return path_ / name; }

private:
    fs::path path_;
};

std::string bytes_of(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void write_bytes(const fs::path &path, const std::string &bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

struct Event {
    std::string node = "hook";
    std::string body = "body";
    std::optional<std::string> delivery_id;
    std::uint32_t dedupe_window_s = 0;
};

// What a waiter was told. Read after flush(), which orders it after the telling.
struct Told {
    enum What { nothing, stored, duplicate, failed } what = nothing;
    std::int64_t id = 0;
    std::string why;
    int times = 0;
};

class Waiter : public AppendWaiter {
public:
    Waiter(Event event, std::shared_ptr<Told> told)
        : event_(std::move(event)), told_(std::move(told)) {}
    EventRecord record() const override {
        EventRecord record;
        record.node = event_.node;
        record.method = "POST";
        record.path = "/hook";
        record.remote_addr = "127.0.0.1";
        record.headers_json = R"({"a":"b"})";
        record.query_json = "{}";
        record.body = event_.body;
        if (event_.delivery_id)
            record.delivery_id = *event_.delivery_id;
        record.dedupe_window_s = event_.dedupe_window_s;
        return record;
    }
    void stored(std::int64_t id) noexcept override { tell(Told::stored, id, ""); }
    void duplicate() noexcept override { tell(Told::duplicate, 0, ""); }
    void failed(const char *why) noexcept override { tell(Told::failed, 0, why); }

private:
    void tell(Told::What what, std::int64_t id, const char *why) {
        told_->what = what;
        told_->id = id;
        told_->why = why;
        ++told_->times;
    }

    Event event_;
    std::shared_ptr<Told> told_;
};

std::shared_ptr<Told> append_only(Journal &journal, Event event) {
    auto told = std::make_shared<Told>();
    journal.append(std::make_unique<Waiter>(std::move(event), told));
    return told;
}

Told append(Journal &journal, Event event = {}) {
    auto told = append_only(journal, std::move(event));
    journal.flush();
    REQUIRE(told->times == 1);
    return *told;
}

std::int64_t stored(Journal &journal, Event event = {}) {
    Told told = append(journal, std::move(event));
    REQUIRE(told.what == Told::stored);
    return told.id;
}

Event delivery(std::string id, std::uint32_t window, std::string node = "hook") {
    Event event;
    event.node = std::move(node);
    event.delivery_id = std::move(id);
    event.dedupe_window_s = window;
    return event;
}

JournalOptions options_for(const fs::path &path) {
    JournalOptions options;
    options.path = path;
    return options;
}

// One column of event `id`, read as `journal list` would: beside the writer.
std::string column(const fs::path &path, std::int64_t id, const char *name) {
    Database db(path.string(), false);
    Statement row(db, (std::string("SELECT ") + name + " FROM events WHERE id = ?1").c_str());
    row.bind(1, id);
    REQUIRE(row.step());
    return row.is_null(0) ? "NULL" : row.text(0);
}

std::int64_t count(const fs::path &path, const char *sql) {
    Database db(path.string(), false);
    return db.scalar(sql);
}

std::string refusal(const fs::path &path, JournalAccess access = JournalAccess::write) {
    try {
        JournalFile file(path, access);
    } catch (const JournalError &error) {
        return error.what();
    }
    return "not refused";
}

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("an append is stored with a new id, its body byte for byte") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    Event event;
    event.body = std::string("a\0b\xff", 4);
    std::int64_t first = stored(journal, event);
    std::int64_t second = stored(journal);
    CHECK(first > 0);
    CHECK(second > first);
    CHECK(column(path, first, "body") == std::string("a\0b\xff", 4));
    CHECK(column(path, first, "length(body)") == "4");
    CHECK(column(path, first, "node") == "hook");
    CHECK(column(path, first, "state") == "0");
    CHECK(column(path, first, "delivery_id") == "NULL");
    CHECK(column(path, second, "headers_json") == R"({"a":"b"})");
    CHECK(std::stoll(column(path, first, "accepted_at")) > 1'600'000'000'000);
}

TEST_CASE("appends from many threads are all stored, each with its own id") {
    Folder folder;
    Journal journal(options_for(folder / "journal.db"));
    constexpr int kThreads = 8, kEach = 25;
    std::vector<std::vector<std::shared_ptr<Told>>> told(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                Event event;
                event.body = std::to_string(t) + ":" + std::to_string(i);
                told[t].push_back(append_only(journal, event));
            }
        });
    for (std::thread &thread : threads)
        thread.join();
    journal.flush();
    std::set<std::int64_t> ids;
    for (const auto &each : told)
        for (const auto &one : each) {
            CHECK(one->what == Told::stored);
            CHECK(one->times == 1);
            ids.insert(one->id);
        }
    CHECK(ids.size() == kThreads * kEach);
    CHECK(count(folder / "journal.db", "SELECT count(*) FROM events") == kThreads * kEach);
}

TEST_CASE("a delivery id seen within its node's window is a duplicate") {
    Folder folder;
    Journal journal(options_for(folder / "journal.db"));
    std::int64_t first = stored(journal, delivery("d1", 60));
    CHECK(append(journal, delivery("d1", 60)).what == Told::duplicate);
    CHECK(stored(journal, delivery("d1", 60, "other")) > first);
    CHECK(stored(journal, delivery("d2", 60)) > first);
    // A delivery id without a window is never a duplicate.
    stored(journal, delivery("d3", 0));
    CHECK(append(journal, delivery("d3", 0)).what == Told::stored);

    SUBCASE("within one batch too") {
        auto one = append_only(journal, delivery("d4", 60));
        auto two = append_only(journal, delivery("d4", 60));
        journal.flush();
        CHECK(one->what == Told::stored);
        CHECK(two->what == Told::duplicate);
    }
    SUBCASE("forgetting the event frees its delivery id") {
        journal.forget(first);
        CHECK(stored(journal, delivery("d1", 60)) > first);
        std::string sql = "SELECT count(*) FROM events WHERE id = " + std::to_string(first);
        CHECK(count(folder / "journal.db", sql.c_str()) == 0);
    }
    SUBCASE("a forget queued before the append frees it for that append") {
        journal.forget(first);
        auto again = append_only(journal, delivery("d1", 60));
        journal.flush();
        CHECK(again->what == Told::stored);
        CHECK(count(folder / "journal.db",
                    "SELECT count(*) FROM events WHERE delivery_id = 'd1' AND node = 'hook'") == 1);
    }
}

TEST_CASE("a delivery id is new again once its window has passed") {
    Folder folder;
    Journal journal(options_for(folder / "journal.db"));
    stored(journal, delivery("d1", 1));
    CHECK(append(journal, delivery("d1", 1)).what == Told::duplicate);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(append(journal, delivery("d1", 1)).what == Told::stored);
}

TEST_CASE("run results are stored") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    std::int64_t done = stored(journal), retried = stored(journal), dead = stored(journal);
    journal.finished(done);
    journal.failed_run(retried, "timeout", false);
    journal.failed_run(dead, "first", false);
    journal.failed_run(dead, "refused", true);
    journal.flush();
    CHECK(column(path, done, "state") == "1");
    CHECK(column(path, done, "attempts") == "1");
    CHECK(column(path, done, "finished_at") != "NULL");
    CHECK(column(path, retried, "state") == "0");
    CHECK(column(path, retried, "attempts") == "1");
    CHECK(column(path, retried, "last_error") == "timeout");
    CHECK(column(path, retried, "finished_at") == "NULL");
    CHECK(column(path, dead, "state") == "2");
    CHECK(column(path, dead, "attempts") == "2");
    CHECK(column(path, dead, "last_error") == "refused");
    CHECK(column(path, dead, "finished_at") != "NULL");
}

TEST_CASE("pending pages through pending events only, oldest first") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        Event event;
        event.body = "event " + std::to_string(i);
        ids.push_back(stored(journal, event));
    }
    journal.finished(ids[1]);
    journal.failed_run(ids[3], "gone", true);
    journal.failed_run(ids[4], "again", false);
    journal.flush();

    std::vector<StoredEvent> page = journal.pending(0, 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].id == ids[0]);
    CHECK(page[0].body == "event 0");
    CHECK(page[0].method == "POST");
    CHECK(page[1].id == ids[2]);
    page = journal.pending(page.back().id, 2);
    REQUIRE(page.size() == 1);
    CHECK(page[0].id == ids[4]);
    CHECK(page[0].attempts == 1);
    CHECK(journal.pending(ids[4], 2).empty());
}

TEST_CASE("replays marked by `journal replay` are taken once") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    std::int64_t a = stored(journal, delivery("x", 60)), b = stored(journal), c = stored(journal);
    journal.finished(a);
    journal.flush();
    {
        JournalFile command(path, JournalAccess::read_write);
        command.db().exec(("UPDATE events SET replay = 1, state = 0 WHERE id IN (" +
                           std::to_string(a) + "," + std::to_string(c) + ")")
                              .c_str());
    }
    std::vector<StoredEvent> replays = journal.take_replays(10);
    REQUIRE(replays.size() == 2);
    CHECK(replays[0].id == a);
    CHECK(replays[0].delivery_id == std::optional<std::string>("x"));
    CHECK(replays[0].dedupe_window_s == 60);
    CHECK(replays[1].id == c);
    CHECK(journal.take_replays(10).empty());
    CHECK(count(path, "SELECT count(*) FROM events WHERE replay = 1") == 0);
    CHECK(b > a);

    SUBCASE("pending clears the flags of the rows it returns") {
        JournalFile command(path, JournalAccess::read_write);
        command.db().exec("UPDATE events SET replay = 1");
        CHECK(journal.pending(0, 1).size() == 1);
        CHECK(journal.take_replays(10).size() == 2);
    }
}

TEST_CASE("a journal reopened keeps its events and never reuses an id") {
    Folder folder;
    fs::path path = folder / "journal.db";
    std::int64_t first = 0, last = 0;
    {
        Journal journal(options_for(path));
        first = stored(journal);
        last = stored(journal);
        journal.finished(first);
        journal.forget(last);
        journal.close();
        journal.close();
    }
    Journal journal(options_for(path));
    CHECK(column(path, first, "state") == "1");
    CHECK(stored(journal) > last);
}

TEST_CASE("a journal in use by another nb-host is refused with its pid") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    std::string why = refusal(path);
    CHECK(contains(why, "in use"));
    CHECK(contains(why, "pid " + std::to_string(::getpid())));
    CHECK(contains(why, path.string()));
    journal.close();
    CHECK(refusal(path) == "not refused");
}

TEST_CASE("a file that is not a journal is refused and left as it was") {
    Folder folder;
    fs::path path = folder / "journal.db";

    SUBCASE("text") {
        write_bytes(path, "hello, this is not a database\n");
        std::string why = refusal(path);
        CHECK(contains(why, "not an nb-host journal"));
        CHECK(contains(why, path.string()));
        CHECK(contains(refusal(path, JournalAccess::read), "not an nb-host journal"));
        CHECK(bytes_of(path) == "hello, this is not a database\n");
    }
    SUBCASE("another application's database") {
        {
            Database db(path.string(), true);
            db.exec("PRAGMA application_id = 42; CREATE TABLE t (x); INSERT INTO t VALUES (1)");
        }
        std::string before = bytes_of(path);
        CHECK(contains(refusal(path), "not an nb-host journal (application id 42)"));
        CHECK(bytes_of(path) == before);
    }
    SUBCASE("a journal from a newer nb-host") {
        {
            Database db(path.string(), true);
            db.exec(("PRAGMA application_id = " + std::to_string(kJournalApplicationId) +
                     "; PRAGMA user_version = 99; CREATE TABLE events (x)")
                        .c_str());
        }
        std::string before = bytes_of(path);
        CHECK(contains(refusal(path), "written by a newer nb-host (schema 99, this one reads 1)"));
        CHECK(bytes_of(path) == before);
    }
    SUBCASE("none at all, for the commands") {
        CHECK(contains(refusal(path, JournalAccess::read), "no journal at"));
        CHECK(!fs::exists(path));
    }
}

TEST_CASE("a corrupt journal is refused and kept") {
    Folder folder;
    fs::path path = folder / "journal.db";
    {
        Journal journal(options_for(path));
        for (int i = 0; i < 50; ++i) {
            Event event;
            event.body = std::string(2000, static_cast<char>('a' + i % 26));
            stored(journal, event);
        }
    }
    std::string bytes = bytes_of(path);
    REQUIRE(bytes.size() > 8 * 4096);
    for (std::size_t i = 2 * 4096; i < 6 * 4096; ++i)
        bytes[i] = static_cast<char>(i * 7 + 3);
    write_bytes(path, bytes);
    std::string why = refusal(path);
    CHECK((contains(why, "corrupt") || contains(why, "not an nb-host journal")));
    CHECK(bytes_of(path) == bytes);
}

TEST_CASE("a journal whose folder cannot be made is refused") {
    Folder folder;
    write_bytes(folder / "file", "x");
    std::string why = refusal(folder / "file" / "sub" / "journal.db");
    CHECK(contains(why, "cannot create folder"));
    CHECK(contains(why, (folder / "file" / "sub").string()));
}

TEST_CASE("a new journal and its lock are readable by their owner only, whatever the umask") {
    Folder folder;
    fs::path path = folder / "deeper" / "journal.db";
    mode_t old_umask = ::umask(0);
    Journal journal(options_for(path));
    ::umask(old_umask);
    stored(journal);
    for (const char *suffix : {"", ".lock", "-wal", "-shm"}) {
        struct stat status {};
        fs::path file = path.string() + suffix;
        REQUIRE(::stat(file.c_str(), &status) == 0);
        CHECK_MESSAGE((status.st_mode & 0777) == 0600, file);
    }
}

TEST_CASE("near its size limit the journal prunes ended events, and refuses when pending fill it") {
    Folder folder;
    fs::path path = folder / "journal.db";
    JournalOptions options = options_for(path);
    options.max_bytes = 200 * 1024;
    Journal journal(options);
    Event big;
    big.body = std::string(4000, 'x');

    for (int i = 0; i < 200; ++i) {
        Told told = append(journal, big);
        REQUIRE_MESSAGE(told.what == Told::stored, told.why);
        journal.finished(told.id);
    }
    journal.flush();
    std::int64_t kept = count(path, "SELECT count(*) FROM events");
    CHECK(kept < 100);
    CHECK(kept > 0);

    Told told;
    for (int i = 0; i < 200 && told.what != Told::failed; ++i)
        told = append(journal, big);
    CHECK(told.what == Told::failed);
    CHECK(contains(told.why, "the journal is full"));
    CHECK(contains(told.why, "--journal-max 204800"));
    CHECK(count(path, "SELECT count(*) FROM events WHERE state != 0") == 0);

    SUBCASE("run results still apply, and make room") {
        std::int64_t oldest = count(path, "SELECT min(id) FROM events");
        journal.finished(oldest);
        journal.forget(oldest + 1);
        journal.flush();
        CHECK(column(path, oldest, "state") == "1");
        CHECK(count(path, ("SELECT count(*) FROM events WHERE id = " +
                           std::to_string(oldest + 1)).c_str()) == 0);
    }
}

TEST_CASE("after close an append fails at once") {
    Folder folder;
    Journal journal(options_for(folder / "journal.db"));
    journal.close();
    auto told = append_only(journal, Event{});
    CHECK(told->times == 1);
    CHECK(told->what == Told::failed);
    CHECK(told->why == "nb-host is shutting down");
    journal.finished(1);
    journal.flush();
}

TEST_CASE("close commits and tells what waits") {
    Folder folder;
    fs::path path = folder / "journal.db";
    std::vector<std::shared_ptr<Told>> told;
    {
        Journal journal(options_for(path));
        for (int i = 0; i < 50; ++i)
            told.push_back(append_only(journal, Event{}));
        journal.close();
    }
    for (const auto &one : told)
        CHECK(one->what == Told::stored);
    CHECK(count(path, "SELECT count(*) FROM events") == 50);
}

// In a child: it lowers its file size limit, so SQLite meets EFBIG.
TEST_CASE("a batch that cannot commit fails its appends and keeps its run results") {
    Folder folder;
    fs::path path = folder / "journal.db";
    // Else the child's exit prints what the parent has buffered a second time.
    std::fflush(nullptr);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        int code = 0;
        {
            Journal journal(options_for(path));
            std::int64_t first = stored(journal);
            struct rlimit limit {};
            ::getrlimit(RLIMIT_FSIZE, &limit);
            limit.rlim_cur = 1 << 20;
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0)
                ::_exit(10);
            Event big;
            big.body = std::string(2 << 20, 'b');
            auto failed = append_only(journal, big);
            journal.finished(first);
            journal.flush();
            if (failed->what != Told::failed)
                ::_exit(11);
            if (!contains(failed->why, "the journal could not commit: "))
                ::_exit(12);
            Told next = append(journal);
            if (next.what != Told::stored || next.id <= first)
                ::_exit(13);
            // The finished of the failed batch went with the next one.
            if (column(path, first, "state") != "1")
                code = 14;
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a poll for replays never waits for another writer's lock when nothing is marked") {
    Folder folder;
    fs::path path = folder / "journal.db";
    Journal journal(options_for(path));
    std::int64_t id = stored(journal);
    JournalFile command(path, JournalAccess::read_write);
    {
        // Held as the writer holds it while it commits: the poll only reads.
        Transaction held(command.db());
        auto start = std::chrono::steady_clock::now();
        CHECK(journal.take_replays(10).empty());
        // The lock's busy timeout is 5 s: a poll that wanted it would wait that long.
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
        command.db().exec(("UPDATE events SET replay = 1, state = 0 WHERE id = " + std::to_string(id)).c_str());
        held.commit();
    }
    std::vector<StoredEvent> replays = journal.take_replays(10);
    REQUIRE(replays.size() == 1);
    CHECK(replays[0].id == id);
    CHECK(count(path, "SELECT count(*) FROM events WHERE replay = 1") == 0);
}

// The acknowledger alone: what each waiter is told, in which order.
struct Acknowledged {
    std::vector<std::shared_ptr<Told>> told;
    std::vector<std::int64_t> forgotten;
    std::uint64_t done = 0;

    Acknowledger::Told waiter(std::int64_t id) {
        told.push_back(std::make_shared<Told>());
        return {std::make_unique<Waiter>(Event{}, told.back()), id};
    }
    Acknowledger::Batch batch(std::vector<std::int64_t> ids, std::string why, std::uint64_t operations) {
        Acknowledger::Batch batch;
        for (std::int64_t id : ids)
            batch.told.push_back(waiter(id));
        batch.why = std::move(why);
        batch.operations = operations;
        return batch;
    }
};

TEST_CASE("an acknowledger tells each batch as committed, and a batch that failed as failed") {
    Folder folder;
    write_bytes(folder / "journal.db-wal", "frames");
    Acknowledged seen;
    for (bool sync : {false, true}) {
        CAPTURE(sync);
        seen = {};
        {
            Acknowledger acknowledger(
                folder / "journal.db-wal", sync, [&](std::int64_t id) { seen.forgotten.push_back(id); },
                [&](std::uint64_t operations) { seen.done += operations; });
            acknowledger.push(seen.batch({4, 0}, "", 3));
            acknowledger.push(seen.batch({5}, "the journal could not commit: disk I/O error", 1));
        }
        REQUIRE(seen.told.size() == 3);
        CHECK(seen.told[0]->what == Told::stored);
        CHECK(seen.told[0]->id == 4);
        CHECK(seen.told[1]->what == Told::duplicate);
        CHECK(seen.told[2]->what == Told::failed);
        CHECK(seen.told[2]->why == "the journal could not commit: disk I/O error");
        for (const auto &told : seen.told)
            CHECK(told->times == 1);
        CHECK(seen.forgotten.empty());
        CHECK(seen.done == 4);
    }
}

TEST_CASE("a batch whose sync fails is refused and forgotten, never acknowledged") {
    Folder folder;
    Acknowledged seen;
    {
        // No such file to sync: as an fdatasync that fails.
        Acknowledger acknowledger(
            folder / "gone" / "journal.db-wal", true, [&](std::int64_t id) { seen.forgotten.push_back(id); },
            [&](std::uint64_t operations) { seen.done += operations; });
        acknowledger.push(seen.batch({7, 0, 8}, "", 3));
    }
    REQUIRE(seen.told.size() == 3);
    for (const auto &told : seen.told) {
        CHECK(told->what == Told::failed);
        CHECK(contains(told->why, "the journal could not sync "));
        CHECK(contains(told->why, "journal.db-wal"));
    }
    CHECK(seen.forgotten == std::vector<std::int64_t>{7, 8});
    CHECK(seen.done == 3);
}

TEST_CASE("a journal reached through a symbolic link syncs the WAL beside its real file") {
    Folder folder;
    fs::create_directory(folder / "real");
    fs::create_directory(folder / "links");
    fs::path real = folder / "real" / "journal.db";
    write_bytes(real, "");
    fs::create_symlink(real, folder / "links" / "journal.db");
    Journal journal(options_for(folder / "links" / "journal.db"));  // --journal-sync full
    Told told = append(journal);
    CHECK(told.what == Told::stored);
    CHECK(told.why.empty());
}

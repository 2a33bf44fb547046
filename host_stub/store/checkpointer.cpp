#include "checkpointer.hpp"

#include <sqlite3.h>

namespace nb::host {
namespace {

// SQLite's own threshold for its automatic checkpoint: about 4 MiB of WAL.
constexpr int kCheckpointPages = 1000;
// Past this the writer finishes the checkpoint itself between two batches.
constexpr int kCatchUpPages = 4 * kCheckpointPages;

}  // namespace

Checkpointer::Checkpointer(std::unique_ptr<JournalFile> connection)
    : file_(std::move(connection)), thread_([this] { serve(); }) {}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void Checkpointer::watch(Database &writer) { sqlite3_wal_hook(writer.handle(), committed, this); }

void Checkpointer::unwatch(Database &writer) { sqlite3_wal_hook(writer.handle(), nullptr, nullptr); }

void Checkpointer::catch_up(Database &writer) {
    if (writer_wal_pages_ < kCatchUpPages) return;
    // Busy when this thread's checkpoint runs: the next batch tries again.
    sqlite3_wal_checkpoint_v2(writer.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    writer_wal_pages_ = 0;
}

// On the writer's thread, after each commit: never blocks on the checkpoint.
int Checkpointer::committed(void *self, sqlite3 *, const char *, int wal_pages) {
    auto &checkpointer = *static_cast<Checkpointer *>(self);
    checkpointer.writer_wal_pages_ = wal_pages;
    if (wal_pages < kCheckpointPages) return SQLITE_OK;
    {
        std::lock_guard lock(checkpointer.mutex_);
        checkpointer.wal_pages_ = wal_pages;
    }
    checkpointer.wake_.notify_one();
    return SQLITE_OK;
}

void Checkpointer::serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || wal_pages_ > 0; });
        if (stopping_) return;
        wal_pages_ = 0;
        lock.unlock();
        // A checkpoint that fails (busy, I/O) is tried again after the next
        // commits: nothing is lost, the WAL only grows meanwhile.
        sqlite3_wal_checkpoint_v2(file_->db().handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
    }
}

}  // namespace nb::host

#include "access_log.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace nb::host {
namespace {

// The writer writes this often, or as soon as half the buffer waits: one
// write (and one wake-up) per batch rather than per line, as nginx's
// `access_log ... buffer= flush=`.
constexpr std::chrono::milliseconds kFlushEvery{50};
// What a usual line takes, so a batch's text is allocated once.
constexpr std::size_t kLineRoom = 256;

}  // namespace

AccessLog::AccessLog(std::filesystem::path target, std::size_t capacity, std::ostream &log)
    : target_(std::move(target)), stdout_(target_ == "-"), capacity_(capacity),
      wake_at_(std::max<std::size_t>(1, capacity / 2)), log_(log) {
    fd_ = stdout_ ? STDOUT_FILENO : open_file();
    if (fd_ < 0) {
        throw AccessLogError("--access-log: cannot open " + target_.string() + ": " + std::strerror(errno));
    }
    pending_.reserve(capacity_);
    writer_ = std::thread([this] { write_loop(); });
}

AccessLog::~AccessLog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    writer_.join();
    if (!stdout_) ::close(fd_);
}

int AccessLog::open_file() const {
    return ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

void AccessLog::record(const std::string *node, const nb_access_record_t &record) noexcept {
    using namespace std::chrono;
    try {
        push(AccessEntry(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(), node, record));
    } catch (...) {
        dropped_.add();  // no memory for its copy
    }
}

void AccessLog::push(AccessEntry &&entry) {
    std::unique_lock lock(mutex_);
    if (pending_.size() >= capacity_) {
        lock.unlock();
        dropped_.add();
        return;
    }
    pending_.push_back(std::move(entry));  // within the reserved capacity: no allocation
    ++recorded_;
    const bool wake = pending_.size() == wake_at_;
    lock.unlock();
    if (wake) work_.notify_one();
}

void AccessLog::reopen() noexcept {
    {
        std::lock_guard lock(mutex_);
        reopen_ = true;
    }
    work_.notify_one();
}

void AccessLog::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t until = recorded_;
    flush_now_ = true;
    work_.notify_one();
    written_.wait(lock, [&] { return done_ >= until; });
}

void AccessLog::write_loop() {
    std::vector<AccessEntry> taken;
    taken.reserve(capacity_);
    for (;;) {
        bool reopen = false;
        {
            std::unique_lock lock(mutex_);
            work_.wait_for(lock, kFlushEvery, [this] {
                return pending_.size() >= wake_at_ || reopen_ || stopping_ || flush_now_;
            });
            if (pending_.empty() && !reopen_) {
                if (stopping_) return;  // everything written
                continue;
            }
            flush_now_ = false;
            taken.swap(pending_);
            taken_ += taken.size();
            reopen = std::exchange(reopen_, false);
        }
        if (reopen && !stdout_) {
            const int fd = open_file();
            if (fd < 0) {
                warn("cannot reopen " + target_.string() + ": " + std::strerror(errno) +
                     "; writing on to the file opened before");
            } else {
                ::close(fd_);
                fd_ = fd;
            }
        }
        write(taken);
        {
            std::lock_guard lock(mutex_);
            done_ += taken.size();
        }
        written_.notify_all();
        taken.clear();
    }
}

void AccessLog::write(const std::vector<AccessEntry> &entries) {
    if (entries.empty()) return;
    std::string text;
    text.reserve(entries.size() * kLineRoom);
    for (const AccessEntry &entry : entries) append_access_line(text, entry);
    std::size_t at = 0;
    while (at < text.size()) {
        const ssize_t n = ::write(fd_, text.data() + at, text.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
    }
    if (at == text.size()) {
        lines_.add(entries.size());
        failing_ = false;
        return;
    }
    // Whole lines written before the failure count as written.
    const std::size_t written = static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
    const std::string why = std::strerror(errno);
    lines_.add(written);
    dropped_.add(entries.size() - written);
    if (!std::exchange(failing_, true)) warn("cannot write " + target_.string() + ": " + why + "; dropping lines");
}

void AccessLog::warn(const std::string &message) {
    log_ << ("nb-host: warning: --access-log: " + message + "\n") << std::flush;
}

void AccessLog::write_metrics(Exposition &out) const {
    write_counter(out, "nb_access_log_lines_total", "Access log lines written", lines_.value());
    write_counter(out, "nb_access_log_dropped_total",
                  "Access log records dropped: the buffer was full, or the line could not be written",
                  dropped_.value());
}

}  // namespace nb::host

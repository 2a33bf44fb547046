#pragma once

#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "server/transport.hpp"
#include "server_context.hpp"
#include "socket_bio.hpp"

namespace nb::net::tls {

// The TLS side of one HTTPS port: its context, handed to each new
// connection, and its files, whose changes make a new context that
// connections accepted from then on use (those open keep theirs).
class TlsPort final : public TransportFactory {
public:
    // [main-thread] Loads `files`: throws as load_server_context.
    explicit TlsPort(TlsFiles files);

    const TlsFiles &files() const noexcept { return files_; }
    // The first load's warning (load_server_context); "" when none.
    const std::string &warning() const noexcept { return warning_; }

    // [server-thread] A connection of the current context.
    std::unique_ptr<Transport> make(int fd) override;

    // What a reload did, and `message`, one line, saying what.
    enum class Reload {
        unchanged,  // the files are as last seen: nothing read, no message
        reloaded,   // the new pair serves new connections (message: a warning if any, else "")
        kept,       // the new files are bad: the old pair still serves (message: why)
    };
    // Reads the files when they changed since the last load or attempt:
    // never call it on an event loop. One caller at a time.
    Reload reload_if_changed(std::string &message);

private:
    // What tells a file changed: its identity, size and time (a renewal
    // replaces a symbolic link's target or rewrites the file).
    struct Stamp {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        timespec modified{};
        int error = 0;
        bool operator==(const Stamp &other) const noexcept;
    };
    std::vector<Stamp> stamps() const;

    const TlsFiles files_;
    const BioMethod bio_;
    std::shared_ptr<SSL_CTX> context_;  // std::atomic_load / store: loops read it
    std::string warning_;
    std::vector<Stamp> seen_;
};

}  // namespace nb::net::tls

#include "tls_port.hpp"

#include <atomic>
#include <cerrno>

#include "tls_transport.hpp"

namespace nb::net::tls {

bool TlsPort::Stamp::operator==(const Stamp &other) const noexcept {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec &&
           modified.tv_nsec == other.modified.tv_nsec && error == other.error;
}

TlsPort::TlsPort(TlsFiles files) : files_(std::move(files)), bio_(make_socket_bio_method()) {
    seen_ = stamps();
    auto loaded = load_server_context(files_);
    context_ = std::move(loaded.context);
    warning_ = std::move(loaded.warning);
}

std::vector<TlsPort::Stamp> TlsPort::stamps() const {
    std::vector<Stamp> all;
    for (const std::string *path : {&files_.cert, &files_.key, &files_.client_ca}) {
        Stamp stamp;
        struct stat info {};
        if (!path->empty() && ::stat(path->c_str(), &info) != 0) {
            stamp.error = errno;
        } else if (!path->empty()) {
            stamp = {info.st_dev, info.st_ino, info.st_size, info.st_mtim, 0};
        }
        all.push_back(stamp);
    }
    return all;
}

std::unique_ptr<Transport> TlsPort::make(int fd) {
    const auto context = std::atomic_load(&context_);
    return std::make_unique<TlsTransport>(fd, context.get(), bio_.get());
}

TlsPort::Reload TlsPort::reload_if_changed(std::string &message) {
    auto now = stamps();
    if (now == seen_) return Reload::unchanged;
    // Seen even when bad: a pair caught half-written is read again once it
    // changes again, not logged every period meanwhile.
    seen_ = std::move(now);
    try {
        auto loaded = load_server_context(files_);
        // A renewal keeps clients' tickets resuming. Not with mutual TLS: a
        // resumed session skips the client certificate's check against a
        // CA file that may have changed.
        if (files_.client_ca.empty()) {
            keep_ticket_keys(std::atomic_load(&context_).get(), loaded.context.get());
        }
        std::atomic_store(&context_, std::move(loaded.context));
        message = std::move(loaded.warning);
        return Reload::reloaded;
    } catch (const std::exception &e) {
        message = std::string("kept the previous certificate: ") + e.what();
        return Reload::kept;
    }
}

}  // namespace nb::net::tls

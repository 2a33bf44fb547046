#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "admin_routes.hpp"
#include "server/server.hpp"

namespace nb::host {

// Where `--admin` listens.
struct AdminAddress {
    std::string ip;  // IPv4 or IPv6, without brackets
    std::uint16_t port = 0;
    // "http://IP:PORT" (an IPv6 address in brackets).
    std::string url() const;
};

// "IP:PORT" or "[IPv6]:PORT", port 1-65535; nothing for anything else.
std::optional<AdminAddress> parse_admin_address(std::string_view text);

// The admin server could not listen; what() says why, "in use" for a port
// another program holds.
class AdminError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `--admin`: the routes served by one event loop of the server code every
// webhook port runs.
class AdminServer {
public:
    // [main-thread] Listens at once. `routes` outlives the server. Throws
    // AdminError.
    AdminServer(const AdminAddress &address, AdminRoutes &routes);

private:
    static net::Server open(const AdminAddress &address, AdminRoutes &routes);
    net::Server server_;
};

}  // namespace nb::host

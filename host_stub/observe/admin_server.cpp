#include "admin_server.hpp"

#include <cerrno>
#include <system_error>

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>

#include "integer.hpp"

namespace nb::host {

std::string AdminAddress::url() const {
    const bool v6 = ip.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::optional<AdminAddress> parse_admin_address(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view ip = text.substr(0, colon);
    const bool bracketed = ip.size() >= 2 && ip.front() == '[' && ip.back() == ']';
    if (bracketed) ip = ip.substr(1, ip.size() - 2);
    const auto port = text.size() - colon <= 6 ? parse_integer(text.substr(colon + 1), Sign::unsigned_only)
                                               : std::nullopt;
    if (!port || *port == 0 || *port > 65535 || ip.empty()) return std::nullopt;
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(std::string(ip), address)) return std::nullopt;
    // An IPv6 address needs its brackets, an IPv4 one has none.
    if ((address.family() == Poco::Net::IPAddress::IPv6) != bracketed) return std::nullopt;
    return AdminAddress{std::string(ip), static_cast<std::uint16_t>(*port)};
}

AdminServer::AdminServer(const AdminAddress &address, AdminRoutes &routes) : server_(open(address, routes)) {}

net::Server AdminServer::open(const AdminAddress &address, AdminRoutes &routes) {
    net::ServerOptions options;
    options.bind = address.ip;
    options.port = address.port;
    options.loops = 1;  // a scrape every few seconds
    const std::string where = "--admin " + address.url().substr(7) + ": port " + std::to_string(address.port);
    try {
        return net::Server(options, routes);
    } catch (const Poco::Exception &e) {
        const bool in_use = e.code() == EADDRINUSE || e.displayText().find("in use") != std::string::npos;
        throw AdminError(where + (in_use ? " is in use by another program" : " cannot be listened on: " + e.displayText()));
    } catch (const std::system_error &e) {
        throw AdminError(where + " cannot be served: " + e.what());
    }
}

}  // namespace nb::host

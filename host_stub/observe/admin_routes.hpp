#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/request_handler.hpp"

namespace nb::host {

// One readiness check: its name and what is wrong, "" when nothing is.
struct ReadinessCheck {
    std::string name;
    std::string problem;
};

// What the admin endpoints show; each is called on the admin server's
// thread, at each request, and must not block.
struct AdminSources {
    std::function<std::string()> metrics;  // Prometheus text
    std::function<std::vector<ReadinessCheck>()> readiness;
};

// The routes of `--admin`: GET (or HEAD) /metrics, /healthz and /readyz;
// another method 405 with Allow, another path 404, as JSON errors.
class AdminRoutes : public net::RequestHandlerFactory {
public:
    explicit AdminRoutes(AdminSources sources) : sources_(std::move(sources)) {}

    // [server-thread]
    std::unique_ptr<net::RequestHandler> create(const net::RequestHead &head) override;
    // [server-thread] The answer to `head`, whatever its body.
    net::Answer answer(const net::RequestHead &head) const;

private:
    AdminSources sources_;
};

inline constexpr const char *kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// 200 {"status":"ready","checks":{...}} when every check passes, else 503
// {"status":"not ready","checks":{NAME: "ok" or the problem}}.
net::Answer readiness_answer(const std::vector<ReadinessCheck> &checks);

}  // namespace nb::host

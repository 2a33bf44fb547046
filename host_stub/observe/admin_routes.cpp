#include "admin_routes.hpp"

#include <algorithm>

#include "http/request_path.hpp"
#include "json_text.hpp"

namespace nb::host {
namespace {

// Every admin answer is decided by the head: a body is never read.
class AdminHandler : public net::RequestHandler {
public:
    explicit AdminHandler(net::Answer answer) : answer_(std::move(answer)) {}
    std::optional<net::Answer> on_head(const net::RequestHead &, const net::Peer &) override { return answer_; }
    std::uint64_t max_body_bytes() const noexcept override { return 0; }
    std::optional<net::Answer> on_body(const net::RequestHead &, std::string &, const net::Peer &,
                                       net::Parker &) override {
        return answer_;
    }

private:
    net::Answer answer_;
};

}  // namespace

net::Answer readiness_answer(const std::vector<ReadinessCheck> &checks) {
    const bool ready = std::all_of(checks.begin(), checks.end(),
                                   [](const ReadinessCheck &check) { return check.problem.empty(); });
    std::string body = ready ? R"({"status":"ready","checks":{)" : R"({"status":"not ready","checks":{)";
    for (std::size_t i = 0; i < checks.size(); ++i) {
        if (i > 0) body += ',';
        append_json_string(body, checks[i].name);
        body += ':';
        append_json_string(body, checks[i].problem.empty() ? "ok" : checks[i].problem);
    }
    body += "}}";
    return net::json_answer(ready ? 200 : 503, body);
}

std::unique_ptr<net::RequestHandler> AdminRoutes::create(const net::RequestHead &head) {
    return std::make_unique<AdminHandler>(answer(head));
}

net::Answer AdminRoutes::answer(const net::RequestHead &head) const {
    const std::string_view path = net::request_path(head.target);
    if (path != "/metrics" && path != "/healthz" && path != "/readyz") {
        return net::error_answer(404, "no admin endpoint on this path (/metrics, /healthz, /readyz)");
    }
    if (head.method != "GET" && head.method != "HEAD") {
        net::Answer answer = net::error_answer(405, "only GET or HEAD may be used on this path");
        answer.extra_headers = "Allow: GET, HEAD\r\n";
        return answer;
    }
    if (path == "/healthz") return net::json_answer(200, R"({"status":"ok"})");
    if (path == "/readyz") return readiness_answer(sources_.readiness());
    net::Answer answer;
    answer.body = sources_.metrics();
    answer.content_type = kMetricsContentType;
    return answer;
}

}  // namespace nb::host

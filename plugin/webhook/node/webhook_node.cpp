#include "webhook_node.hpp"

#include <chrono>

#include <nb/async_trigger.h>

#include "descriptor/webhook_descriptor.hpp"
#include "host_extension.hpp"
#include "listeners/registry.hpp"
#include "node_vtable.hpp"
#include "outcome_answer.hpp"

namespace nb::webhook {
namespace {

// How long a stopping node waits for the outcomes its host still owes before
// it has them cancelled: a when_finished run about to end still gets its
// reply to the caller, and a stop waits no longer than a server's drain.
constexpr std::chrono::milliseconds kOutcomeGrace{1000};

}  // namespace

WebhookNode::WebhookNode(std::string node_id, const nb_host_t *host)
    : abi_(NodeVtable<WebhookNode>::make(this, webhook_descriptor())),
      node_id_(std::move(node_id)),
      host_(host),
      metrics_(std::make_shared<metrics::NodeMetrics>(node_id_)),
      errors_(node_id_) {
    ListenerRegistry::instance().add_node(metrics_);
}

WebhookNode::~WebhookNode() {
    stop();
    ListenerRegistry::instance().remove_node(*metrics_);
}

nb_status_t WebhookNode::fail(nb_status_t status, std::string message) {
    return errors_.fail(status, message);
}

nb_status_t WebhookNode::start() {
    if (active_) return fail(NB_ERR_STATE, "already listening; stop it first");
    std::string error;
    auto gate = auth::make_gate(settings_.access().gate(), clock_, error);
    if (!gate) return fail(NB_ERR_INVALID, std::move(error));
    const auto *async = host_extension<nb_host_async_trigger_t>(host_, NB_EXT_ASYNC_TRIGGER);
    if (settings_.respond() == Respond::when_finished && !async) {
        return fail(NB_ERR_INVALID, "respond=when_finished needs a host that answers later "
                                    "(ABI 1.1, " NB_EXT_ASYNC_TRIGGER "); this host has no such "
                                    "extension: use respond=immediately");
    }
    const Answering answering{
        settings_.respond(), std::chrono::seconds(settings_.response_timeout_s()),
        static_cast<std::uint32_t>(settings_.access().gate().dedupe_window_s)};
    auto endpoint = std::make_shared<Endpoint>(host_, &abi_, settings_.path(),
                                               settings_.methods(), settings_.max_body_bytes(),
                                               std::move(gate), answering,
                                               std::make_shared<const net::Answer>(timeout_answer(answering)),
                                               async, settings_.port(), metrics_,
                                               metrics::AccessLog::of(host_));
    const TlsSettings &tls = settings_.tls();
    if (auto why = tls.incomplete(); !why.empty()) return fail(NB_ERR_INVALID, std::move(why));
    std::string warning;
    const nb_status_t status = ListenerRegistry::instance().attach(
        settings_.port(),
        PortSettings{settings_.access().bind(), settings_.read_timeout_s(), tls.files(),
                     tls.reload_s()},
        RouteTable::Route{endpoint->path, node_id_, endpoint, endpoint->access_log, host_, &abi_},
        error, warning);
    if (status != NB_OK) return fail(status, std::move(error));
    if (!warning.empty() && host_->log) host_->log(host_, &abi_, NB_LOG_WARN, warning.c_str());
    active_ = std::move(endpoint);
    active_port_ = settings_.port();
    active_address_ = settings_.access().bind().empty() ? "0.0.0.0" : settings_.access().bind();
    active_scheme_ = tls.enabled() ? "https" : "http";
    return NB_OK;
}

bool WebhookNode::listen_address(nb_listen_address_t &out) const noexcept {
    if (!active_) return false;
    out = {active_scheme_, active_address_.c_str(), active_port_, active_->path.c_str()};
    return true;
}

void WebhookNode::stop() noexcept {
    if (!active_) return;
    // Closed first: requests from now on are answered 503, the outcomes owed
    // are delivered or cancelled, and their answers are queued on their
    // connections; then unrouted, which lets the last node of a port stop
    // its server, which writes those answers out as it drains.
    active_->close(kOutcomeGrace);
    ListenerRegistry::instance().detach(active_port_, active_->path, *active_);
    active_.reset();
}

nb_status_t WebhookNode::execute(const nb_run_t *run) {
    if (!run) return fail(NB_ERR_INVALID, "execute needs a run");
    const nb_event_t *event = run->event;
    if (!event) {
        return fail(NB_ERR_STATE,
                    "no event in this run: a webhook node only runs for a request it received");
    }
    const struct {
        const char *socket;
        const char *data;
        std::size_t len;
    } outputs[] = {
        {kOutReceivedData, event->body, event->body_len},
        {kOutHeaders, event->headers_json, event->headers_json_len},
        {kOutQuery, event->query_json, event->query_json_len},
    };
    for (const auto &out : outputs) {
        const nb_status_t status =
            run->set_output(run, out.socket, out.data ? out.data : "", out.data ? out.len : 0);
        if (status != NB_OK) {
            return fail(status, std::string("the host refused output ") + out.socket);
        }
    }
    return NB_OK;
}

}  // namespace nb::webhook

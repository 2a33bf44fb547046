#include "webhook_node.hpp"

#include "descriptor/webhook_descriptor.hpp"
#include "listeners/registry.hpp"
#include "node_vtable.hpp"

namespace nb::webhook {

WebhookNode::WebhookNode(std::string node_id, const nb_host_t *host)
    : abi_(NodeVtable<WebhookNode>::make(this, webhook_descriptor())),
      node_id_(std::move(node_id)),
      host_(host),
      errors_(node_id_) {}

WebhookNode::~WebhookNode() { stop(); }

nb_status_t WebhookNode::fail(nb_status_t status, std::string message) {
    return errors_.fail(status, message);
}

nb_status_t WebhookNode::start() {
    if (active_) return fail(NB_ERR_STATE, "already listening; stop it first");
    std::string error;
    auto gate = auth::make_gate(settings_.access().gate(), clock_, error);
    if (!gate) return fail(NB_ERR_INVALID, std::move(error));
    auto endpoint = std::make_shared<Endpoint>(host_, &abi_, settings_.path(),
                                               settings_.methods(), settings_.max_body_bytes(),
                                               std::move(gate));
    const nb_status_t status = ListenerRegistry::instance().attach(
        settings_.port(), PortSettings{settings_.access().bind(), settings_.read_timeout_s()},
        RouteTable::Route{endpoint->path, node_id_, endpoint}, error);
    if (status != NB_OK) return fail(status, std::move(error));
    active_ = std::move(endpoint);
    active_port_ = settings_.port();
    return NB_OK;
}

void WebhookNode::stop() noexcept {
    if (!active_) return;
    // Unrouted first, so no new request reaches the endpoint; requests
    // already routed to it are answered 503 by their server, and the ones
    // inside trigger are waited for.
    ListenerRegistry::instance().detach(active_port_, active_->path, *active_);
    active_->close();
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

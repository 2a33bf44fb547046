#include "reply_node.hpp"

#include <vector>

#include "node/node_vtable.hpp"
#include "reply_descriptor.hpp"
#include "reply_limits.hpp"

namespace nb::webhook {
namespace {

// The host's reply extension: only a 1.1 host has get_extension to ask.
const nb_host_run_reply_t *find_run_reply(const nb_host_t *host) noexcept {
    if (!host || !nb_version_has(host->abi, 1) || !host->get_extension) return nullptr;
    const auto *ext = static_cast<const nb_host_run_reply_t *>(
        host->get_extension(host, NB_EXT_RUN_REPLY));
    return ext && ext->set_reply ? ext : nullptr;
}

}  // namespace

ReplyNode::ReplyNode(std::string node_id, const nb_host_t *host)
    : abi_(NodeVtable<ReplyNode>::make(this, reply_descriptor())),
      host_(host),
      run_reply_(find_run_reply(host)),
      errors_(node_id) {}

nb_status_t ReplyNode::execute(const nb_run_t *run) {
    if (!run) return fail(NB_ERR_INVALID, "execute needs a run");
    if (!run_reply_) {
        return fail(NB_ERR_STATE,
                    "this host cannot reply to a webhook: it lacks the " NB_EXT_RUN_REPLY
                    " extension (nb ABI 1.1), so the reply node has nothing to answer with");
    }
    const char *body = nullptr;
    std::size_t body_len = 0;
    if (!run->get_input(run, kReplyInBody, &body, &body_len)) body_len = 0;  // none: empty

    // The fields point into settings_, which outlives the call.
    std::vector<nb_header_field_t> fields;
    fields.reserve(settings_.headers().fields().size());
    for (const auto &[name, value] : settings_.headers().fields()) {
        fields.push_back({name.c_str(), value.c_str()});
    }
    const nb_reply_t reply{NB_VERSION_INIT,
                           settings_.status(),
                           settings_.content_type().c_str(),
                           fields.empty() ? nullptr : fields.data(),
                           static_cast<std::uint32_t>(fields.size()),
                           body_len > 0 ? body : nullptr,
                           body_len};
    switch (run_reply_->set_reply(host_, run, &reply)) {
    case NB_REPLY_SET:
        return NB_OK;
    case NB_REPLY_NOT_AWAITED:
        warn_not_awaited();
        return NB_OK;
    case NB_REPLY_ALREADY_SET:
        return fail(NB_ERR_STATE,
                    "a reply was already set earlier in this run; the first reply wins");
    case NB_REPLY_INVALID:
        return fail(NB_ERR_INVALID, "the host refused the reply as invalid: status " +
                                        std::to_string(settings_.status()) +
                                        " is not one it takes, or this run is not executing");
    }
    return fail(NB_ERR_INTERNAL, "the host's set_reply gave a result this node does not know");
}

void ReplyNode::warn_not_awaited() {
    if (warned_not_awaited_.exchange(true) || !host_->log) return;
    host_->log(host_, &abi_, NB_LOG_WARN,
               "nobody waits for this reply: the webhook that started the run answers "
               "immediately (or no request started it), so the reply is ignored; set "
               "respond=when_finished on the webhook to answer with it");
}

}  // namespace nb::webhook

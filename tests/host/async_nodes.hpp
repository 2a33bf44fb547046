#pragma once

// Helpers for the async trigger tests: a two-node workflow built in the test
// whose nodes do what each test says, and a sink that records its outcome.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nb/plugin.h>
#include <scheduling/host.hpp>

namespace nb::test {

// src.out -> step.in. src is the event source; it writes an empty "out",
// which step reads. Each node runs `on_src` / `on_step` (NB_OK when unset); a
// failing step's last_error is "step broke".
struct AsyncNodes {
    static constexpr nb_socket_desc_t out{"out", NB_SOCKET_TEXT, "written by src"};
    static constexpr nb_socket_desc_t in{"in", NB_SOCKET_TEXT, "read by step"};
    const nb_node_descriptor_t src_desc{NB_VERSION_INIT, "test.async_src", "", "", "", "1.0.0",
                                        nullptr, 0, nullptr, 0, &out, 1, nullptr, 0,
                                        NB_NODE_EVENT_SOURCE};
    const nb_node_descriptor_t step_desc{NB_VERSION_INIT, "test.async_step", "", "", "", "1.0.0",
                                         nullptr, 0, &in, 1, nullptr, 0, nullptr, 0, 0};
    const host::NodeType src_type{&src_desc, nullptr};
    const host::NodeType step_type{&step_desc, nullptr};
    using Execute = std::function<nb_status_t(const nb_run_t *)>;
    Execute on_src, on_step;

    static AsyncNodes &self(const nb_node_t *node) { return *static_cast<AsyncNodes *>(node->node_data); }
    static void destroy(const nb_node_t *) {}
    static const char *last_error(const nb_node_t *) { return "step broke"; }
    static nb_status_t src_execute(const nb_node_t *node, const nb_run_t *run) {
        run->set_output(run, "out", nullptr, 0);
        return self(node).on_src ? self(node).on_src(run) : NB_OK;
    }
    static nb_status_t step_execute(const nb_node_t *node, const nb_run_t *run) {
        return self(node).on_step ? self(node).on_step(run) : NB_OK;
    }
    const nb_node_t src{NB_VERSION_INIT, &src_desc, this, destroy, nullptr, nullptr, nullptr, nullptr,
                        src_execute, last_error, nullptr};
    const nb_node_t step{NB_VERSION_INIT, &step_desc, this, destroy, nullptr, nullptr, nullptr, nullptr,
                         step_execute, last_error, nullptr};

    host::Workflow workflow() const {
        host::Workflow wf;
        wf.name = "async";
        wf.nodes.push_back(host::WorkflowNode{"src", &src_type, host::NodeInstance(&src)});
        wf.nodes.push_back(host::WorkflowNode{"step", &step_type, host::NodeInstance(&step)});
        wf.edges.push_back(host::WorkflowEdge{0, "out", 1, "in"});
        wf.runs_from = {{0, 1}, {1}};
        return wf;
    }
};

// What a sink was told, copied out of the borrowed outcome.
struct Told {
    nb_outcome_kind_t kind;
    nb_refusal_t refusal;
    std::string message, failed_node;
    bool accepted;
    std::optional<unsigned> reply_status;
    std::string reply_body, reply_type, reply_headers;  // headers as "name: value;"
    std::thread::id thread;
};

// One submit's sink: records every deliver (there must be one).
class Outcome {
public:
    const nb_outcome_sink_t *sink() const { return &sink_; }
    // Waits up to `limit` for the first deliver.
    std::optional<Told> wait(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, limit, [this] { return count_ > 0; });
        return first_;
    }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }

private:
    static void deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *o) {
        auto &self = *static_cast<Outcome *>(sink->context);
        Told told{o->kind, o->refusal, o->message ? o->message : "", o->failed_node ? o->failed_node : "",
                  o->accepted, std::nullopt, "", "", "", std::this_thread::get_id()};
        if (o->reply) {
            told.reply_status = o->reply->status;
            if (o->reply->body) told.reply_body.assign(o->reply->body, o->reply->body_len);
            if (o->reply->content_type) told.reply_type = o->reply->content_type;
            for (uint32_t i = 0; i < o->reply->header_count; ++i) {
                told.reply_headers += std::string(o->reply->headers[i].name) + ": " + o->reply->headers[i].value + ";";
            }
        }
        {
            std::lock_guard lock(self.mutex_);
            if (++self.count_ == 1) self.first_ = told;
        }
        self.changed_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
    std::optional<Told> first_;
    const nb_outcome_sink_t sink_{this, deliver};
};

// A door a node's execute waits at until the test opens it.
class Gate {
public:
    void wait() {
        std::unique_lock lock(mutex_);
        ++arrived_;
        changed_.notify_all();
        changed_.wait(lock, [this] { return open_; });
    }
    void wait_arrived(int n) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return arrived_ >= n; });
    }
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int arrived_ = 0;
    bool open_ = false;
};

inline const nb_host_async_trigger_t &async_trigger(const host::Host &host) {
    return *static_cast<const nb_host_async_trigger_t *>(
        host.abi().get_extension(&host.abi(), NB_EXT_ASYNC_TRIGGER));
}

inline const nb_host_run_reply_t &run_reply(const host::Host &host) {
    return *static_cast<const nb_host_run_reply_t *>(host.abi().get_extension(&host.abi(), NB_EXT_RUN_REPLY));
}

}  // namespace nb::test

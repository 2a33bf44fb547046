#include <doctest/doctest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "conformance_config.hpp"
#include "plugin_under_test.hpp"
#include "check_host.hpp"

using namespace nb::conformance;

namespace {

// Sends POSTs to 127.0.0.1:port/path in a loop until told to stop, whether or
// not anything listens: the traffic that must never reach trigger outside
// start..stop.
class PostLoop {
public:
    PostLoop(std::uint16_t port, std::string path)
        : port_(port), path_(std::move(path)), thread_([this] { run(); }) {}
    ~PostLoop() {
        done_ = true;
        thread_.join();
    }

private:
    void run() {
        const std::string request = "POST " + path_ +
                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                                    "Connection: close\r\n\r\n{}";
        while (!done_) {
            try {
                Poco::Net::StreamSocket s;
                s.connect(Poco::Net::SocketAddress("127.0.0.1", port_), Poco::Timespan(1, 0));
                s.setReceiveTimeout(Poco::Timespan(2, 0));
                s.sendBytes(request.data(), static_cast<int>(request.size()));
                char buf[512];
                while (s.receiveBytes(buf, sizeof buf) > 0) {
                }
            } catch (const Poco::Exception &) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    }

    std::uint16_t port_;
    std::string path_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Starts and stops each event source 5 times with POST traffic throughout and
// checks that every trigger (or, with an async host, submit) of it fell
// inside start..return of stop: outside, the host may already have forgotten
// the node, or the library may be unloading.
void check_calls_only_while_started(bool async) {
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        if (!(d.flags & NB_NODE_EVENT_SOURCE)) return;
        CheckHost host(async);
        Instance node(entry, d, host.host());
        REQUIRE(node);
        const HttpRoute route = use_free_route(node.get(), d);
        using Clock = std::chrono::steady_clock;
        struct Window {
            Clock::time_point started, stopped;
        };
        std::vector<Window> windows;
        {
            PostLoop traffic(route.port, route ? route.path : "/");
            for (int round = 0; round < 5; ++round) {
                // Traffic keeps coming while the node is stopped, too.
                std::this_thread::sleep_for(std::chrono::milliseconds(30));
                const std::size_t before = host.trigger_count();
                const auto started = Clock::now();
                REQUIRE_MESSAGE(node->start(node.get()) == NB_OK, text(node->last_error(node.get())));
                std::this_thread::sleep_for(std::chrono::milliseconds(60));
                node->stop(node.get());
                windows.push_back({started, Clock::now()});
                if (route)
                    CHECK_MESSAGE(host.trigger_count() > before, "no trigger while started, with POSTs to :"
                                                                     << route.port << route.path);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        for (const auto &call : host.triggers()) {
            bool inside = false;
            for (const auto &w : windows)
                inside = inside || (call.entered >= w.started && call.returned <= w.stopped);
            CHECK_MESSAGE(inside, (async ? "a submit" : "a trigger")
                                      << " ran outside start..return of stop");
        }
    });
}

}  // namespace

TEST_CASE("event sources trigger only between start and the return of stop") {
    check_calls_only_while_started(false);
}

// A host offering NB_EXT_ASYNC_TRIGGER gets submits instead: the same rule.
TEST_CASE("event sources submit only between start and the return of stop (async host)") {
    check_calls_only_while_started(true);
}

TEST_CASE("event sources start and stop 50 times in a row on the same port") {
    CheckHost host;
    for_each_node_type([&](const nb_plugin_entry_t &entry, const nb_node_descriptor_t &d) {
        if (!(d.flags & NB_NODE_EVENT_SOURCE)) return;
        Instance node(entry, d, host.host());
        REQUIRE(node);
        use_free_port(node.get(), d);
        for (int i = 0; i < 50; ++i) {
            INFO("cycle " << i);
            REQUIRE_MESSAGE(node->start(node.get()) == NB_OK, text(node->last_error(node.get())));
            node->stop(node.get());
        }
    });
}

#pragma once

#include <map>
#include <string>

#include <nb/event.h>
#include <nb/run.h>

namespace nb::test {

// An event whose strings the test owns; event() points into them, so keep the
// OwnedEvent alive (and unmodified) while the nb_event_t is used.
struct OwnedEvent {
    std::string method = "POST";
    std::string path = "/webhook";
    std::string body;
    std::string headers_json = "{}";
    std::string query_json = "{}";
    std::string remote_addr = "127.0.0.1:1";

    nb_event_t event() const;
};

// An nb_run_t for calling execute directly: serves `inputs`, records outputs.
class FakeRun {
public:
    explicit FakeRun(const nb_event_t *event = nullptr, std::uint64_t run_id = 1);
    FakeRun(const FakeRun &) = delete;
    FakeRun &operator=(const FakeRun &) = delete;

    const nb_run_t *run() const noexcept { return &run_; }

    std::map<std::string, std::string> inputs;   // socket -> value offered
    std::map<std::string, std::string> outputs;  // socket -> value written

private:
    static bool on_get_input(const nb_run_t *run, const char *socket, const char **data,
                             std::size_t *len);
    static nb_status_t on_set_output(const nb_run_t *run, const char *socket, const char *data,
                                     std::size_t len);

    nb_run_t run_;
};

}  // namespace nb::test

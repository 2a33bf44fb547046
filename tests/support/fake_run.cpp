#include "fake_run.hpp"

namespace nb::test {

nb_event_t OwnedEvent::event() const {
    return nb_event_t{NB_VERSION_INIT,     method.c_str(),      path.c_str(),
                      body.data(),         body.size(),         headers_json.c_str(),
                      headers_json.size(), query_json.c_str(),  query_json.size(),
                      remote_addr.c_str(), nullptr};
}

FakeRun::FakeRun(const nb_event_t *event, std::uint64_t run_id)
    : run_{NB_VERSION_INIT, this, run_id, event, &FakeRun::on_get_input,
           &FakeRun::on_set_output} {}

bool FakeRun::on_get_input(const nb_run_t *run, const char *socket, const char **data,
                           std::size_t *len) {
    auto &self = *static_cast<FakeRun *>(run->run_data);
    const auto it = self.inputs.find(socket ? socket : "");
    if (it == self.inputs.end()) return false;
    *data = it->second.data();
    *len = it->second.size();
    return true;
}

nb_status_t FakeRun::on_set_output(const nb_run_t *run, const char *socket, const char *data,
                                   std::size_t len) {
    auto &self = *static_cast<FakeRun *>(run->run_data);
    self.outputs[socket ? socket : ""] = std::string(data ? data : "", data ? len : 0);
    return NB_OK;
}

}  // namespace nb::test

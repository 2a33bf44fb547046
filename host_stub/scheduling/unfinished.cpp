#include "unfinished.hpp"

#include <algorithm>

namespace nb::host {

Unfinished::Run::Run(Unfinished &owner, std::uint64_t run_id) : owner_(owner), run_id_(run_id) {
    std::lock_guard lock(owner_.mutex_);
    owner_.runs_.push_back(this);
}

Unfinished::Run::~Run() {
    std::lock_guard lock(owner_.mutex_);
    auto &runs = owner_.runs_;
    runs.erase(std::find(runs.begin(), runs.end(), this));
}

std::vector<Unfinished::Executing> Unfinished::executing() const {
    std::vector<Executing> found;
    std::lock_guard lock(mutex_);
    for (const Run *run : runs_) {
        if (const WorkflowNode *node = run->node_.load(std::memory_order_acquire)) {
            found.push_back({run->run_id_, node->id, node->type->descriptor->id});
        }
    }
    std::sort(found.begin(), found.end(),
              [](const Executing &a, const Executing &b) { return a.run_id < b.run_id; });
    return found;
}

}  // namespace nb::host

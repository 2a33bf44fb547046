#include "stored_submit.hpp"

#include <new>
#include <type_traits>

#include "outcomes.hpp"

namespace nb::host {
namespace {

constexpr nb_outcome_t kOutOfMemory =
    refused(NB_REFUSED_STORE_FAILING, "nb-host could not keep the event (out of memory)");

// The sink Submissions delivers a stored event's outcome to: it forgets the
// event when that outcome says it will not run, then passes it on. It frees
// itself once it has delivered.
struct ForgetIfRefused {
    nb_outcome_sink_t sink;  // first: deliver finds this from its address
    Journal *journal;
    std::int64_t id;
    const nb_outcome_sink_t *to;

    static void deliver(const nb_outcome_sink_t *sink, const nb_outcome_t *outcome) {
        auto *self = reinterpret_cast<ForgetIfRefused *>(const_cast<nb_outcome_sink_t *>(sink));
        const bool unrun = outcome->kind == NB_OUTCOME_REFUSED ||
                           (outcome->kind == NB_OUTCOME_CANCELLED && !outcome->accepted);
        if (unrun) {
            try {
                self->journal->forget(self->id);
            } catch (...) {
                // Out of memory: it stays stored and runs at the next start,
                // at least once as the journal promises.
            }
        }
        const nb_outcome_sink_t *to = self->to;
        delete self;
        to->deliver(to, outcome);
    }
};
static_assert(std::is_standard_layout_v<ForgetIfRefused>);

}  // namespace

void StoredSubmit::stored(std::int64_t id) noexcept {
    job_.event_id = id;
    auto *forward = new (std::nothrow) ForgetIfRefused{{nullptr, ForgetIfRefused::deliver}, &journal_, id, &sink_};
    if (!forward) {
        try {
            journal_.forget(id);
        } catch (...) {
        }
        return sink_.deliver(&sink_, &kOutOfMemory);
    }
    submissions_.submit(std::move(job_), forward->sink);
}

void StoredTrigger::tell(Result result, std::int64_t id) noexcept {
    try {
        result_.set_value({result, id});
    } catch (...) {
        // set_value throws only when already set: told once, as promised.
    }
}

}  // namespace nb::host

// After every rule has run (and so after the details of each failure), one
// line per rule, so that a long report ends in what held and what did not:
//   passed  RULE (N checks)            or (nothing to check): no node type it applies to
//   FAILED  RULE (F of N checks failed)  or (threw: WHAT), (crashed: WHAT)
//   skipped RULE (WHY)                 a rule that checked nothing and said why
#include <doctest/doctest.h>

#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace {

struct RuleOutcome {
    std::string name;
    int checks = 0;
    int failed = 0;
    std::string exception;  // "threw: ..." or "crashed: ..."
    std::string said;       // the rule's last MESSAGE
};

std::string summary_line(const RuleOutcome &r) {
    const std::string counted = std::to_string(r.checks) + (r.checks == 1 ? " check" : " checks");
    if (!r.exception.empty()) return "FAILED  " + r.name + " (" + r.exception + ")";
    if (r.failed) return "FAILED  " + r.name + " (" + std::to_string(r.failed) + " of " + counted + " failed)";
    if (r.checks == 0 && !r.said.empty()) return "skipped " + r.name + " (" + r.said + ")";
    return "passed  " + r.name + " (" + (r.checks ? counted : "nothing to check") + ")";
}

class RuleSummary : public doctest::IReporter {
public:
    explicit RuleSummary(const doctest::ContextOptions &options) : out_(*options.cout) {}

    void report_query(const doctest::QueryData &) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats &) override {
        for (const auto &rule : rules_) out_ << summary_line(rule) << '\n';
        out_.flush();
    }
    void test_case_start(const doctest::TestCaseData &test) override {
        std::lock_guard lock(mutex_);
        rules_.push_back({test.m_name, 0, 0, {}, {}});
    }
    void test_case_reenter(const doctest::TestCaseData &) override {}
    void test_case_end(const doctest::CurrentTestCaseStats &stats) override {
        std::lock_guard lock(mutex_);
        rules_.back().checks = stats.numAssertsCurrentTest;
        rules_.back().failed = stats.numAssertsFailedCurrentTest;
    }
    void test_case_exception(const doctest::TestCaseException &e) override {
        std::lock_guard lock(mutex_);
        rules_.back().exception = (e.is_crash ? "crashed: " : "threw: ") + std::string(e.error_string.c_str());
    }
    void subcase_start(const doctest::SubcaseSignature &) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData &) override {}
    void log_message(const doctest::MessageData &message) override {
        if (!(message.m_severity & doctest::assertType::is_warn)) return;
        std::lock_guard lock(mutex_);
        rules_.back().said = message.m_string.c_str();
    }
    void test_case_skipped(const doctest::TestCaseData &) override {}

private:
    std::ostream &out_;
    std::mutex mutex_;  // doctest may report from the threads a rule starts
    std::vector<RuleOutcome> rules_;
};

}  // namespace

REGISTER_LISTENER("rule-summary", 1, RuleSummary);

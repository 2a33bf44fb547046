#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "journal_commands.hpp"
#include "options.hpp"

int main(int argc, char **argv) {
    using namespace nb::host;
    Options options;
    try {
        options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError &e) {
        std::cerr << "nb-host: " << e.what() << "\n" << usage_text();
        return exit_usage;
    }
    // Blocked before any thread exists so every plugin thread inherits the
    // mask and SIGINT/SIGTERM reach only the sigwaits of command_run: the
    // first begins the drain, a second one ends it (SecondSignal). With an
    // access log, SIGHUP too: command_run's wait reopens the log.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    if (!options.access_log.empty()) {
        sigset_t reopen;
        sigemptyset(&reopen);
        sigaddset(&reopen, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &reopen, nullptr);
    }
    // A journal or access log write past RLIMIT_FSIZE then fails with EFBIG
    // (answered 503, or a line dropped) instead of killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        if (options.command == "help") {
            std::cout << usage_text();
            return exit_ok;
        }
        if (options.command == "check") return command_check(options, std::cout, std::cerr);
        if (options.command == "nodes") return command_nodes(options, std::cout, std::cerr);
        if (options.command == "describe") return command_describe(options, std::cout, std::cerr);
        if (options.command == "journal") return command_journal(options, std::cout, std::cerr);
        return command_run(options, stop_signals, std::cout, std::cerr);
    } catch (const std::exception &e) {
        std::cerr << "nb-host: error: " << e.what() << "\n";
        return exit_failure;
    }
}

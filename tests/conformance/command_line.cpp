#include "command_line.hpp"

#include <filesystem>

namespace nb::conformance {

CommandLine parse_command_line(int argc, char **argv, Config &cfg) {
    CommandLine line;
    const auto refuse = [&line](std::string why) {
        line.action = CommandLine::Action::usage_error;
        line.error = std::move(why);
        return line;
    };
    line.doctest_args.push_back(argv[0]);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--manifest" || arg == "--manifest-dir") {
            if (i + 1 == argc) return refuse(arg + " needs a value");
            (arg == "--manifest" ? cfg.manifests : cfg.manifest_dirs)
                .push_back(std::filesystem::absolute(argv[++i]));
        } else if (arg == "--no-manifests") {
            cfg.no_manifests = true;
        } else if (arg == "--verbose") {
            cfg.verbose = true;
        } else if (arg == "-h" || arg == "--help") {
            line.action = CommandLine::Action::help;
            return line;
        } else if (!arg.empty() && arg[0] == '-') {
            line.doctest_args.push_back(argv[i]);
        } else {
            cfg.plugins.push_back(std::filesystem::absolute(arg));
        }
    }
    if (cfg.plugins.empty()) return refuse("no plugin given");
    if (cfg.no_manifests && !(cfg.manifests.empty() && cfg.manifest_dirs.empty()))
        return refuse("--no-manifests and --manifest or --manifest-dir contradict each other");
    return line;
}

}  // namespace nb::conformance

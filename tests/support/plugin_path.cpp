#include "plugin_path.hpp"

#include <cstdlib>
#include <fstream>

namespace nb::test {

std::string find_plugin(const std::string &file_name) {
    const char *env = std::getenv("NB_PLUGIN_PATH");
    std::string dirs = env ? env : "";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto colon = dirs.find(':', start);
        const std::string dir =
            dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!dir.empty()) {
            const std::string candidate = dir + "/" + file_name;
            if (std::ifstream(candidate).good()) return candidate;
        }
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return "";
}

}  // namespace nb::test

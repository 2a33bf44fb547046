#pragma once

// Small helpers shared by the host and basic suites.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <plugins/plugin_set.hpp>

namespace nb::test {

// A fresh directory, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::random_device seed;
        path_ = std::filesystem::temp_directory_path() /
                ("nb-test-" + std::to_string(seed()) + std::to_string(seed()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The plugins of NB_PLUGIN_PATH (set by meson), loaded as nb-host does.
inline void load_test_plugins(host::PluginSet &plugins, std::ostream &warnings) {
    host::SearchPath search = host::plugin_search_path({}, std::getenv("NB_PLUGIN_PATH"));
    search.default_dirs.clear();
    plugins.load(search, warnings);
}

}  // namespace nb::test

#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "conformance_config.hpp"

namespace nb::conformance {

// A manifest file read and parsed; `error` says why not ("no such file",
// "not valid JSON: ...") and `json` is then empty.
struct ManifestFile {
    Poco::Dynamic::Var json;
    std::string error;
};
ManifestFile read_manifest(const std::filesystem::path &file);

// The "id" string of a parsed manifest; "" when it has none.
std::string manifest_id(const Poco::Dynamic::Var &json);

// The folders searched for ID.json, in order: each --manifest-dir, then the
// plugin's own folder.
std::vector<std::filesystem::path> manifest_folders(const Config &cfg,
                                                    const std::filesystem::path &plugin);

// The manifest of node type `id`: the --manifest file whose "id" it is, else
// the first ID.json in manifest_folders. Empty when there is none.
std::filesystem::path find_manifest(const Config &cfg, const std::filesystem::path &plugin,
                                    const std::string &id);

}  // namespace nb::conformance

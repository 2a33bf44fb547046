#include "manifest_file.hpp"

#include <fstream>
#include <iterator>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace nb::conformance {

ManifestFile read_manifest(const std::filesystem::path &file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return {{}, "no such file"};
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return {{}, "cannot read it"};
    try {
        return {Poco::JSON::Parser().parse(text), {}};
    } catch (const Poco::Exception &e) {
        return {{}, "not valid JSON: " + e.displayText()};
    }
}

std::string manifest_id(const Poco::Dynamic::Var &json) {
    if (json.type() != typeid(Poco::JSON::Object::Ptr)) return {};
    const auto object = json.extract<Poco::JSON::Object::Ptr>();
    const auto id = object->get("id");
    return id.isString() ? id.extract<std::string>() : std::string();
}

std::vector<std::filesystem::path> manifest_folders(const Config &cfg,
                                                    const std::filesystem::path &plugin) {
    auto folders = cfg.manifest_dirs;
    folders.push_back(plugin.parent_path());
    return folders;
}

std::filesystem::path find_manifest(const Config &cfg, const std::filesystem::path &plugin,
                                    const std::string &id) {
    if (const auto given = cfg.manifest_by_id.find(id); given != cfg.manifest_by_id.end())
        return given->second;
    for (const auto &folder : manifest_folders(cfg, plugin)) {
        std::error_code ec;
        if (std::filesystem::exists(folder / (id + ".json"), ec)) return folder / (id + ".json");
    }
    return {};
}

}  // namespace nb::conformance

#include "json_difference.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

namespace nb::conformance {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// RFC 6901: '~' is written "~0" and '/' "~1" inside a reference token.
std::string pointer_token(const std::string &key) {
    std::string out;
    for (const char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

class Differ {
public:
    std::vector<JsonDifference> take() { return std::move(out_); }

    void compare(const std::string &pointer, const Var &left, const Var &right) {
        const auto left_object = object(left), right_object = object(right);
        if (left_object && right_object) return compare_objects(pointer, *left_object, *right_object);
        const auto left_array = array(left), right_array = array(right);
        if (left_array && right_array) return compare_arrays(pointer, *left_array, *right_array);
        const std::string left_text = compact_json(left), right_text = compact_json(right);
        if (left_text != right_text) out_.push_back({pointer, left_text, right_text});
    }

private:
    static Object::Ptr object(const Var &v) {
        return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : nullptr;
    }
    static Array::Ptr array(const Var &v) {
        return v.type() == typeid(Array::Ptr) ? v.extract<Array::Ptr>() : nullptr;
    }

    void compare_objects(const std::string &pointer, const Object &left, const Object &right) {
        std::set<std::string> keys;
        for (const Object *side : {&left, &right})
            for (auto &name : side->getNames()) keys.insert(std::move(name));
        for (const auto &key : keys) {
            const std::string here = pointer + "/" + pointer_token(key);
            if (!left.has(key)) out_.push_back({here, std::nullopt, compact_json(right.get(key))});
            else if (!right.has(key)) out_.push_back({here, compact_json(left.get(key)), std::nullopt});
            else compare(here, left.get(key), right.get(key));
        }
    }

    void compare_arrays(const std::string &pointer, const Array &left, const Array &right) {
        for (unsigned i = 0; i < std::max(left.size(), right.size()); ++i) {
            const std::string here = pointer + "/" + std::to_string(i);
            if (i >= left.size()) out_.push_back({here, std::nullopt, compact_json(right.get(i))});
            else if (i >= right.size()) out_.push_back({here, compact_json(left.get(i)), std::nullopt});
            else compare(here, left.get(i), right.get(i));
        }
    }

    std::vector<JsonDifference> out_;
};

}  // namespace

std::string compact_json(const Var &value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

std::vector<JsonDifference> json_differences(const Var &left, const Var &right) {
    Differ differ;
    differ.compare("", left, right);
    return differ.take();
}

}  // namespace nb::conformance

// The one check of a configuration object's keys (input and stage sections).
#include "io/json_keys.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace gridplan::io {

void check_known_keys(const nlohmann::json& object,
                      const std::set<std::string>& allowed,
                      const std::string& where,
                      const std::string& what) {
    if (!object.is_object()) {
        throw core::Error{core::Errc::usage,
                          "reading " + what + ": '" + where + "' must be an object"};
    }
    for (const auto& [key, value] : object.items()) {
        if (allowed.count(key) == 0) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            throw core::Error{core::Errc::usage,
                              "reading " + what + ": unknown key '" +
                                  (where.empty() ? key : where + "." + key) +
                                  "' (allowed: " + list + ")"};
        }
    }
}

}  // namespace gridplan::io

#pragma once
/// \file
/// The one check of a configuration object's keys, for the input sections (io/config.cpp) and
/// the stage sections (pipeline/stages.cpp): the same messages everywhere.

#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace gridplan::io {

/// Throws Errc::usage "reading <what>: '<where>' must be an object" when `object` is not one, and
/// "reading <what>: unknown key '<where>.<key>' (allowed: <allowed, sorted>)" for the first key
/// not in `allowed` (`where` "" = the top level: "unknown key '<key>'").
void check_known_keys(const nlohmann::json& object,
                      const std::set<std::string>& allowed,
                      const std::string& where,
                      const std::string& what);

}  // namespace gridplan::io

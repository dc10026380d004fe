#pragma once
/// \file
/// The configuration's JSON, read and checked in one place for the input sections
/// (io/config.cpp) and the stage sections (pipeline/stages.cpp): the file policy (a regular file
/// of at most kMaxConfigBytes), the parse (nesting depth, duplicate keys, NUL characters), the
/// keys of each object and the range of each number, with the same messages everywhere.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace gridplan::io {

/// The largest configuration file read (4 MiB; a real one is a few kilobytes).
inline constexpr std::uintmax_t kMaxConfigBytes = 4U << 20U;
/// The deepest nesting of objects and arrays in a configuration (a real one nests 5 deep).
inline constexpr int kMaxConfigDepth = 64;

/// Reads a configuration file under the input policy: opened without blocking (a FIFO or a
/// device never hangs the run), then refused unless it is a regular file of at most
/// kMaxConfigBytes. Errc::io "reading <what>: …" naming what it is instead.
[[nodiscard]] std::string read_config_file(const std::filesystem::path& file,
                                           const std::string& what);

/// Parses configuration text. Errc::usage "reading <what>: …" for invalid JSON, nesting deeper
/// than kMaxConfigDepth, a key given twice in one object, and a NUL character in a key or a
/// string, each naming the place ('inputs.buildings.path').
[[nodiscard]] nlohmann::json parse_config_json(const std::string& text, const std::string& what);

/// Throws Errc::usage "reading <what>: '<where>' must be an object" when `object` is not one, and
/// "reading <what>: unknown key '<where>.<key>' (allowed: <allowed, sorted>)" for the first key
/// not in `allowed` (`where` "" = the top level: "unknown key '<key>'").
void check_known_keys(const nlohmann::json& object,
                      const std::set<std::string>& allowed,
                      const std::string& where,
                      const std::string& what);

/// The allowed values of a configuration number: from `min` to `max`, each end included unless
/// it is marked open.
struct NumberRange {
    double min = 0;
    double max = 0;
    bool min_open = false;  ///< `min` itself is not allowed ("> min")
    bool max_open = false;  ///< `max` itself is not allowed ("< max")
};

/// A finite number within `range`, else Errc::usage "reading <what>: '<key>' must be a number
/// > 0 and <= 500 (got 1e+308)".
[[nodiscard]] double checked_number(const nlohmann::json& value,
                                    const std::string& key,
                                    const std::string& what,
                                    const NumberRange& range);

/// A whole number (an integer literal, not 2.5 or 1e20) from `min` to `max`, else Errc::usage
/// "reading <what>: '<key>' must be a whole number from 0 to 100000 (got 2.5)".
[[nodiscard]] std::int64_t checked_integer(const nlohmann::json& value,
                                           const std::string& key,
                                           const std::string& what,
                                           std::int64_t min,
                                           std::int64_t max);

/// True when iconv (which GDAL's CPLRecode uses to read Shapefile attributes) can convert from
/// `encoding` to UTF-8.
[[nodiscard]] bool is_known_encoding(const std::string& encoding);

}  // namespace gridplan::io

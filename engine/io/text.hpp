#pragma once
/// \file
/// Text helpers of the readers: UTF-8 validation and repair, numbers stored as text, and the
/// hstore text of GDAL's OSM `other_tags` field.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gridplan::io {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;
/// `text` with every ill-formed byte sequence replaced by U+FFFD.
[[nodiscard]] std::string repair_utf8(std::string_view text);
/// Parses a decimal number stored as text (surrounding spaces allowed; "1,234" is not a number).
/// nullopt when the text is not entirely a finite number.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);
/// Parses GDAL's OSM `other_tags` hstore text: "k1"=>"v1","k2"=>"v2" (with \" and \\ escapes).
[[nodiscard]] std::map<std::string, std::string> parse_hstore(std::string_view text);
/// ASCII lower case (other bytes unchanged).
[[nodiscard]] std::string ascii_lower(std::string_view text);
/// Trims ASCII white space at both ends.
[[nodiscard]] std::string trim(std::string_view text);

}  // namespace gridplan::io

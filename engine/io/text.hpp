#pragma once
/// \file
/// Text helpers of the readers: numbers stored as text and the hstore text of GDAL's OSM
/// `other_tags` field (UTF-8, case and white space helpers are in core/text.hpp).

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gridplan::io {

/// Parses a decimal number stored as text (surrounding spaces allowed; "1,234" is not a number).
/// nullopt when the text is not entirely a finite number.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);
/// Parses GDAL's OSM `other_tags` hstore text: "k1"=>"v1","k2"=>"v2" (with \" and \\ escapes).
[[nodiscard]] std::map<std::string, std::string> parse_hstore(std::string_view text);
/// A postal address from OSM tags (docs/config.md, "Addresses"): `addr:full` when present, else
/// addr:province, addr:city, addr:district, addr:subdistrict, addr:street (or addr:place) and
/// addr:housenumber in that (Chinese) order, a part equal to the one before it left out; parts are
/// joined without a space unless both sides are ASCII, and a house number ending in a digit after
/// a Chinese street gets 号. Else the `address` tag; "" when none (a bare ASCII house number is no
/// address).
[[nodiscard]] std::string osm_address(const std::map<std::string, std::string>& tags);

}  // namespace gridplan::io

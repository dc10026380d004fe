#pragma once
/// \file
/// Text helpers shared by every module: UTF-8 validation, repair and cutting, ASCII case and
/// white space, and fixed-point number formatting for messages.

#include <cstddef>
#include <string>
#include <string_view>

namespace gridplan::core {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;
/// `text` with every ill-formed byte sequence replaced by U+FFFD.
[[nodiscard]] std::string repair_utf8(std::string_view text);
/// The longest prefix of at most `max_bytes` bytes that does not end inside a UTF-8 sequence.
[[nodiscard]] std::string_view cut_utf8(std::string_view text, std::size_t max_bytes);
/// ASCII lower case (other bytes unchanged).
[[nodiscard]] std::string ascii_lower(std::string_view text);
/// Trims ASCII white space at both ends.
[[nodiscard]] std::string trim(std::string_view text);
/// `value` in fixed notation with `decimals` digits after the point ("12.5" for 12.5, 1).
[[nodiscard]] std::string fixed(double value, int decimals);
/// `value` rounded to a whole number with thousands separators ("1,234,567").
[[nodiscard]] std::string format_count(double value);

}  // namespace gridplan::core

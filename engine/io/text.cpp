#include "io/text.hpp"

#include <charconv>
#include <cmath>

#include "core/text.hpp"

namespace gridplan::io {

using core::trim;

std::optional<double> parse_number(std::string_view text) {
    const std::string t = trim(text);
    if (t.empty()) {
        return std::nullopt;
    }
    const char* first = t.data();
    const char* last = t.data() + t.size();
    if (*first == '+') {
        ++first;
    }
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || ptr != last || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::map<std::string, std::string> parse_hstore(std::string_view text) {
    std::map<std::string, std::string> tags;
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',')) {
            ++i;
        }
    };
    auto read_quoted = [&](std::string& out) {
        if (i >= text.size() || text[i] != '"') {
            return false;
        }
        ++i;
        while (i < text.size() && text[i] != '"') {
            if (text[i] == '\\' && i + 1 < text.size()) {
                ++i;
            }
            out += text[i];
            ++i;
        }
        if (i >= text.size()) {
            return false;
        }
        ++i;  // closing quote
        return true;
    };
    while (true) {
        skip_space();
        if (i >= text.size()) {
            break;
        }
        std::string key;
        std::string value;
        if (!read_quoted(key)) {
            break;
        }
        while (i < text.size() && text[i] == ' ') {
            ++i;
        }
        if (text.substr(i, 2) != "=>") {
            break;
        }
        i += 2;
        while (i < text.size() && text[i] == ' ') {
            ++i;
        }
        if (text.substr(i, 4) == "NULL") {
            i += 4;
            continue;
        }
        if (!read_quoted(value)) {
            break;
        }
        tags.emplace(std::move(key), std::move(value));
    }
    return tags;
}

}  // namespace gridplan::io

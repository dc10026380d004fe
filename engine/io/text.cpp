#include "io/text.hpp"

#include <algorithm>
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

namespace {

bool ascii_only(std::string_view text) {
    return std::all_of(
        text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

/// `tags[key]`, trimmed ("" when absent).
std::string tag(const std::map<std::string, std::string>& tags, const std::string& key) {
    const auto it = tags.find(key);
    return it == tags.end() ? std::string{} : trim(it->second);
}

/// Appends `part` to `out` in Chinese order: a space only between two ASCII ends.
void append_part(std::string& out, const std::string& part) {
    if (!out.empty() && static_cast<unsigned char>(out.back()) < 0x80 &&
        static_cast<unsigned char>(part.front()) < 0x80) {
        out += ' ';
    }
    out += part;
}

}  // namespace

std::string osm_address(const std::map<std::string, std::string>& tags) {
    if (std::string full = tag(tags, "addr:full"); !full.empty()) {
        return full;
    }
    std::string out;
    std::string previous;
    std::string street = tag(tags, "addr:street");
    if (street.empty()) {
        street = tag(tags, "addr:place");
    }
    for (const std::string& part : {tag(tags, "addr:province"),
                                    tag(tags, "addr:city"),
                                    tag(tags, "addr:district"),
                                    tag(tags, "addr:subdistrict"),
                                    street}) {
        if (!part.empty() && part != previous) {
            append_part(out, part);
            previous = part;
        }
    }
    std::string number = tag(tags, "addr:housenumber");
    if (!number.empty() && (!out.empty() || !ascii_only(number))) {
        const bool chinese_street =
            !street.empty() && static_cast<unsigned char>(street.back()) >= 0x80;
        if (chinese_street && number.back() >= '0' && number.back() <= '9') {
            number += "号";
        }
        append_part(out, number);
    }
    return out.empty() ? tag(tags, "address") : out;
}

}  // namespace gridplan::io

// CSV attribute tables (RFC 4180, UTF-8 with BOM, for spreadsheets) and the ledger as a layer /
// CSV.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/schema.hpp"
#include "output/write.hpp"
#include "output/writers_detail.hpp"

namespace gridplan::output {
namespace {

constexpr std::string_view kCrlf = "\r\n";

void append_cell(std::string& out, std::string_view text) {
    const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) {
        out += text;
        return;
    }
    out += '"';
    for (const char c : text) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
}

/// Excel (opened by double-click, no import wizard) turns every cell that looks like a number
/// into one, quoted or not: a 15-digit grid code becomes 9.9E+14 and leading zeros vanish. A
/// formula that yields text is the one form Excel and LibreOffice Calc both keep as text
/// (docs/layers.md, "CSV tables").
bool is_code_field(std::string_view name) {
    return name == "code" || name == "id" || name.ends_with("_code") || name.ends_with("_id") ||
           name.ends_with("_grid");
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// `value` rounded to `decimals` places, written shortest ("20", "3.5"): a column of minutes
/// reads 12, 12.5, 13 rather than 12.000000000000002. `+ 0.0` turns -0 into 0.
double round_for_reading(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale + 0.0;
}

void append_value(std::string& out, const FieldDef& field, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out += detail::format_real(round_for_reading(v, csv_decimals(field)));
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_cell(out, is_code_field(field.name) && all_digits(v) ? "=\"" + v + "\"" : v);
            }
        },
        value);
}

}  // namespace

int csv_decimals(const FieldDef& field) {
    const std::string_view name = field.name;
    const std::string_view en = field.alias_en;
    const auto has = [&](std::string_view word) { return en.find(word) != std::string_view::npos; };
    if (name == "gap_pct") {
        return 3;  // an optimality gap of 0.04 % is not a proof of optimality
    }
    if (name == "lon" || name == "lat") {
        return 6;  // WGS84 degrees: 6 decimals are about 0.1 m
    }
    if (has("%") || name.ends_with("_min") || name == "minutes") {
        return 1;
    }
    if (has("household") || has("resident") || has("population") || name.ends_with("_m2")) {
        return 0;  // whole households, residents and square metres
    }
    return 2;  // km, metres, coordinates, objective values
}

namespace detail {

std::string csv_text(const Layer& layer, Language lang) {
    std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel reads the file as UTF-8, not GBK
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        const FieldDef& field = layer.fields[i];
        append_cell(out, lang == Language::zh ? field.alias_zh : field.alias_en);
    }
    out += kCrlf;
    for (const auto& row : layer.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            append_value(out, layer.fields[i], row[i]);
        }
        out += kCrlf;
    }
    return out;
}

}  // namespace detail

Layer ledger_layer(const core::Ledger& ledger) {
    Layer layer = make_layer("ledger");
    for (const core::LedgerEntry& entry : ledger.entries()) {
        Geometry where;
        if (std::isfinite(entry.x) && std::isfinite(entry.y)) {
            where = core::Point{entry.x, entry.y};
        }
        layer.add(std::move(where),
                  {entry.layer,
                   entry.source_id,
                   entry.reason,
                   std::string{core::to_string(entry.action)},
                   entry.detail});
    }
    return layer;
}

void write_csv(const Layer& layer, const std::filesystem::path& path, bool force, Language lang) {
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        core::require_invariant(layer.rows[r].size() == layer.fields.size(),
                                "output row width != field count");
        for (const Value& value : layer.rows[r]) {
            const auto* text = std::get_if<std::string>(&value);
            const auto* real = std::get_if<double>(&value);
            if ((text != nullptr && !core::is_valid_utf8(*text)) ||
                (real != nullptr && !std::isfinite(*real))) {
                throw core::Error{core::Errc::internal,
                                  "writing CSV '" + path.string() + "': layer '" + layer.name +
                                      "' row " + std::to_string(r + 1) +
                                      ": invalid UTF-8 text or non-finite number"};
            }
        }
    }
    detail::write_file_atomically(path, detail::csv_text(layer, lang), force);
}

void write_ledger_csv(const core::Ledger& ledger,
                      const std::filesystem::path& path,
                      bool force,
                      Language lang) {
    Layer table;
    table.name = "ledger";
    for (const char* name : {"layer", "source_id", "reason", "action", "detail"}) {
        table.fields.push_back(schema("ledger").fields[field_index(schema("ledger"), name)]);
    }
    table.fields.push_back({"x", FieldType::real, "x (working CRS)", "横坐标"});
    table.fields.push_back({"y", FieldType::real, "y (working CRS)", "纵坐标"});
    for (const core::LedgerEntry& entry : ledger.entries()) {
        const bool located = std::isfinite(entry.x) && std::isfinite(entry.y);
        table.add({},
                  {entry.layer,
                   entry.source_id,
                   entry.reason,
                   std::string{core::to_string(entry.action)},
                   entry.detail,
                   located ? Value{entry.x} : Value{},
                   located ? Value{entry.y} : Value{}});
    }
    write_csv(table, path, force, lang);
}

}  // namespace gridplan::output

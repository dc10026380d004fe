// CSV attribute tables (RFC 4180) and the ledger as a layer / CSV.
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

void append_value(std::string& out, const Value& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                out += std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                out += detail::format_real(v);
            } else if constexpr (std::is_same_v<T, std::string>) {
                append_cell(out, v);
            }
        },
        value);
}

}  // namespace

namespace detail {

std::string csv_text(const Layer& layer) {
    std::string out;
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_cell(out, layer.fields[i].name);
    }
    out += kCrlf;
    for (const auto& row : layer.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) {
                out += ',';
            }
            append_value(out, row[i]);
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

void write_csv(const Layer& layer, const std::filesystem::path& path, bool force) {
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
    detail::write_file_atomically(path, detail::csv_text(layer), force);
}

void write_ledger_csv(const core::Ledger& ledger, const std::filesystem::path& path, bool force) {
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
    write_csv(table, path, force);
}

}  // namespace gridplan::output

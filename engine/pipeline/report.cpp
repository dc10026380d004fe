#include "pipeline/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "output/schema.hpp"

namespace gridplan::pipeline {
namespace {

bool looks_numeric(const std::string& s) {
    if (s.empty()) {
        return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == '-' || c == '%';
    });
}

// Display width of a UTF-8 string: CJK characters take two columns in a terminal.
std::size_t display_width(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
        } else if (c >= 0xE0) {
            len = 3;
        } else if (c >= 0xC0) {
            len = 2;
        }
        width += (len >= 3) ? 2 : 1;
        i += len;
    }
    return width;
}

/// A ledger stage as the report names it: the stage id in English, its Chinese name in Chinese.
std::string stage_name(const std::string& stage, const Say& say) {
    static const std::map<std::string, const char*> kZh{{"read", "读取"},
                                                        {"partition", "网格划分"},
                                                        {"redraw", "网格调整"},
                                                        {"walk_graph", "步行路网"},
                                                        {"coverage", "覆盖分析"},
                                                        {"siting", "选址"},
                                                        {"read_points", "读取点位"}};
    const auto it = kZh.find(stage);
    return say.zh() && it != kZh.end() ? it->second : stage;
}

}  // namespace

std::string Say::kind(core::FacilityKind kind) const {
    const std::string_view value = core::to_string(kind);
    if (zh_) {
        for (const auto& info : output::kFacilityKinds) {
            if (info.kind == value) {
                return std::string{info.name_zh};
            }
        }
    }
    return std::string{value};
}

std::string Say::profile(const std::string& name) const {
    if (zh_ && name == "adult") {
        return "成人";
    }
    if (zh_ && name == "elderly") {
        return "老年人";
    }
    return name;
}

std::string format_table(const std::vector<std::string>& header,
                         const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size(), 0);
    for (std::size_t c = 0; c < header.size(); ++c) {
        widths[c] = display_width(header[c]);
    }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    std::ostringstream out;
    auto emit = [&](const std::vector<std::string>& row, bool is_header) {
        std::string line;
        for (std::size_t c = 0; c < widths.size(); ++c) {
            const std::string cell = c < row.size() ? row[c] : "";
            const std::string pad(widths[c] - display_width(cell), ' ');
            if (c > 0) {
                line += "  ";
            }
            line += (!is_header && c > 0 && looks_numeric(cell)) ? pad + cell : cell + pad;
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out << line << '\n';
    };
    emit(header, true);
    for (const auto& row : rows) {
        emit(row, false);
    }
    return out.str();
}

std::string format_fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string scene_report(const core::Scene& scene, output::Language lang) {
    const Say say(lang);
    std::ostringstream out;
    out << say("working CRS: ", "工作坐标系：") << "EPSG:" << scene.crs.epsg << " "
        << scene.crs.name << " (" << scene.crs.how << ")\n\n";

    std::vector<std::vector<std::string>> rows;
    for (const auto& l : scene.layers) {
        const std::string source = std::filesystem::path(l.source).filename().string() +
                                   (l.layer.empty() ? "" : ":" + l.layer);
        rows.push_back({l.role,
                        source,
                        l.driver,
                        l.crs + (l.datum_shift.empty() ? "" : " (" + l.datum_shift + ")"),
                        format_count(static_cast<double>(l.counts.n_in)),
                        format_count(static_cast<double>(l.counts.used)),
                        format_count(static_cast<double>(l.counts.repaired)),
                        format_count(static_cast<double>(l.counts.skipped)),
                        l.counts.conserved() ? say("yes", "是") : say("NO", "否")});
    }
    out << format_table({say("layer", "图层"),
                         say("source", "来源"),
                         say("driver", "驱动"),
                         say("CRS", "坐标系"),
                         say("in", "读入"),
                         say("used", "采用"),
                         say("repaired", "修复"),
                         say("skipped", "跳过"),
                         say("conserved", "数量守恒")},
                        rows);

    for (const auto& l : scene.layers) {
        if (l.role == "buildings") {
            out << "\n"
                << (say.zh()
                        ? "建筑：" + format_count(l.households) + " 户（" +
                              format_count(static_cast<double>(l.households_estimated)) +
                              " 栋建筑按建筑面积估算），" + format_count(l.population) + " 人\n"
                        : "buildings: " + format_count(l.households) + " households (" +
                              format_count(static_cast<double>(l.households_estimated)) +
                              " buildings estimated from floor area), " +
                              format_count(l.population) + " residents\n");
        }
    }
    std::size_t assigned = 0;
    for (const auto& b : scene.buildings) {
        assigned += b.community ? 1 : 0;
    }
    std::size_t nested = 0;
    for (const auto& c : scene.communities) {
        nested += c.street ? 1 : 0;
    }
    const std::string n_assigned = format_count(static_cast<double>(assigned));
    const std::string n_buildings = format_count(static_cast<double>(scene.buildings.size()));
    const std::string n_nested = std::to_string(nested);
    const std::string n_comm = std::to_string(scene.communities.size());
    out << (say.zh() ? "层级：" + n_buildings + " 栋建筑中 " + n_assigned + " 栋位于社区内；" +
                           n_comm + " 个社区中 " + n_nested + " 个位于街道内\n"
                     : "hierarchy: " + n_assigned + " of " + n_buildings +
                           " buildings in a community; " + n_nested + " of " + n_comm +
                           " communities in a street\n");
    return out.str();
}

std::string ledger_report(const core::Ledger& ledger,
                          const std::vector<LedgerStage>& stages,
                          output::Language lang) {
    const Say say(lang);
    std::ostringstream out;
    const std::string total = format_count(static_cast<double>(ledger.entries().size()));
    out << "\n"
        << say("data issues: ", "数据问题：") << total << say(" ledger rows", " 条台账记录");
    if (stages.size() > 1) {
        std::string per_stage;
        for (const auto& s : stages) {
            per_stage += (per_stage.empty() ? "" : say(", ", "，")) + stage_name(s.stage, say) +
                         " " + format_count(static_cast<double>(s.rows));
        }
        out << say(" (", "（") << per_stage << say(")", "）");
    }
    out << "\n";
    const auto counts = ledger.counts_by_reason();
    if (!counts.empty()) {
        std::map<std::string, std::string> action_of;
        for (const auto& e : ledger.entries()) {
            action_of.emplace(e.layer + "/" + e.reason, core::to_string(e.action));
        }
        std::vector<std::vector<std::string>> issue_rows;
        issue_rows.reserve(counts.size());
        for (const auto& [key, n] : counts) {
            issue_rows.push_back({key, action_of[key], format_count(static_cast<double>(n))});
        }
        out << format_table(
            {say("layer/reason", "图层/原因"), say("action", "处理"), say("rows", "条数")},
            issue_rows);
    }
    return out.str();
}

}  // namespace gridplan::pipeline

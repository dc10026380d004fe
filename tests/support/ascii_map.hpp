#pragma once
/// \file
/// Street maps drawn as ASCII art for graph and coverage tests (after OSRM's cucumber node maps
/// and Valhalla's gurka). One character cell = `cell_m` metres; x grows to the right, y upwards.
///
///   letters A-Z a-z   nodes (line ends); every straight run of edge characters between two
///                     letters becomes one road
///   -  |  /  \        street going east-west, north-south, north-east, north-west
///   =  #              bridge (layer 1) going east-west, north-south
///   +                 two roads crossing in this cell (noded only when on the same grade)
///   any other char    a mark (digits for buildings, '$', '&', '*' for facilities…), not a street
///
///   const auto map = test::parse_ascii_map(R"(
///   A---+---B
///       |
///       C
///   )", 10.0);

#include <cctype>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/geometry.hpp"
#include "core/scene.hpp"

namespace gridplan::test {

struct AsciiEdge {
    char from = 0;
    char to = 0;
    bool bridge = false;
    core::LineString line;
};

struct AsciiMap {
    double cell_m = 1.0;
    std::map<char, core::Point> nodes;
    std::vector<AsciiEdge> edges;
    std::vector<std::pair<char, core::Point>> marks;

    [[nodiscard]] const core::Point& node(char c) const { return nodes.at(c); }
    /// The first mark drawn with `c` (reading order).
    [[nodiscard]] core::Point mark(char c) const {
        for (const auto& [m, p] : marks) {
            if (m == c) {
                return p;
            }
        }
        throw std::runtime_error(std::string{"no mark '"} + c + "' in the map");
    }
    /// All marks drawn with `c`, in reading order.
    [[nodiscard]] std::vector<core::Point> all_marks(char c) const {
        std::vector<core::Point> out;
        for (const auto& [m, p] : marks) {
            if (m == c) {
                out.push_back(p);
            }
        }
        return out;
    }
    /// One walkable road per edge, id "A-B"; bridges get layer 1 and bridge = true.
    [[nodiscard]] std::vector<core::Road> roads() const {
        std::vector<core::Road> out;
        for (const auto& e : edges) {
            core::Road r;
            r.id = std::string{e.from} + "-" + e.to;
            r.line = e.line;
            r.bridge = e.bridge;
            r.layer = e.bridge ? 1 : 0;
            out.push_back(std::move(r));
        }
        return out;
    }
    [[nodiscard]] std::vector<core::LineString> lines() const {
        std::vector<core::LineString> out;
        for (const auto& e : edges) {
            out.push_back(e.line);
        }
        return out;
    }
};

inline AsciiMap parse_ascii_map(const std::string& text, double cell_m) {
    std::vector<std::string> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        rows.push_back(line);
    }
    while (!rows.empty() && rows.front().find_first_not_of(' ') == std::string::npos) {
        rows.erase(rows.begin());
    }
    const auto at = [&](long r, long c) -> char {
        if (r < 0 || c < 0 || r >= static_cast<long>(rows.size()) ||
            c >= static_cast<long>(rows[r].size())) {
            return ' ';
        }
        return rows[r][c];
    };
    const auto point = [&](long r, long c) {
        return core::Point{static_cast<double>(c) * cell_m, -static_cast<double>(r) * cell_m};
    };
    AsciiMap map;
    map.cell_m = cell_m;
    for (long r = 0; r < static_cast<long>(rows.size()); ++r) {
        for (long c = 0; c < static_cast<long>(rows[r].size()); ++c) {
            const char ch = rows[r][c];
            if (std::isalpha(static_cast<unsigned char>(ch)) != 0) {
                if (map.nodes.count(ch) != 0) {
                    throw std::runtime_error(std::string{"node '"} + ch + "' drawn twice");
                }
                map.nodes[ch] = point(r, c);
            } else if (ch != ' ' && ch != '-' && ch != '|' && ch != '/' && ch != '\\' &&
                       ch != '=' && ch != '#' && ch != '+') {
                map.marks.emplace_back(ch, point(r, c));
            }
        }
    }
    struct Dir {
        long dr;
        long dc;
        const char* chars;  // street characters allowed along this direction
    };
    const Dir dirs[] = {{0, 1, "-=+"}, {1, 0, "|#+"}, {1, 1, "\\"}, {1, -1, "/"}};
    for (long r = 0; r < static_cast<long>(rows.size()); ++r) {
        for (long c = 0; c < static_cast<long>(rows[r].size()); ++c) {
            const char from = rows[r][c];
            if (std::isalpha(static_cast<unsigned char>(from)) == 0) {
                continue;
            }
            for (const auto& d : dirs) {
                long rr = r + d.dr;
                long cc = c + d.dc;
                bool bridge = false;
                long steps = 0;
                while (std::string{d.chars}.find(at(rr, cc)) != std::string::npos &&
                       at(rr, cc) != ' ') {
                    bridge = bridge || at(rr, cc) == '=' || at(rr, cc) == '#';
                    rr += d.dr;
                    cc += d.dc;
                    ++steps;
                }
                const char to = at(rr, cc);
                if (steps > 0 && std::isalpha(static_cast<unsigned char>(to)) != 0) {
                    map.edges.push_back({from, to, bridge, core::LineString{point(r, c), point(rr, cc)}});
                }
            }
        }
    }
    return map;
}

}  // namespace gridplan::test

#pragma once
// Helpers of the io tests: small GeoJSON fixtures written to a scratch directory, a config
// around them, and ledger queries.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "io/config.hpp"
#include "io/read.hpp"
#include "support/paths.hpp"

namespace gridplan::test {

inline void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out{file, std::ios::binary};
    out << text;
}

/// A closed square ring around (lon, lat) with half-size d degrees, as GeoJSON coordinates.
inline std::string square(double lon, double lat, double d = 0.0001) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]", lon - d,
                  lat - d, lon + d, lat - d, lon + d, lat + d, lon - d, lat + d, lon - d, lat - d);
    return buf;
}

inline std::string polygon_feature(const std::string& properties, const std::string& coordinates) {
    return R"({"type":"Feature","properties":)" + properties + R"(,"geometry":{"type":"Polygon","coordinates":)" +
           coordinates + "}}";
}

inline std::string collection(const std::vector<std::string>& features, const std::string& crs_member = "") {
    std::string out = R"({"type":"FeatureCollection",)" + crs_member + R"("features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) {
        out += (i == 0 ? "" : ",\n") + features[i];
    }
    return out + "]}";
}

/// Reads a scene whose only layer is `role` from the GeoJSON text `geojson`.
inline core::Scene read_one(const std::string& scratch, const std::string& role, const std::string& geojson,
                            const std::string& extra_source_json = "", bool strict = false) {
    const auto dir = scratch_dir(scratch);
    write_text(dir / "layer.geojson", geojson);
    const std::string cfg = R"({"inputs":{")" + role + R"(":{"path":"layer.geojson")" + extra_source_json + "}}}";
    auto config = io::parse_input_config(cfg, dir);
    return io::read_scene(config, {.strict = strict});
}

inline const core::LayerReport& layer_report(const core::Scene& s, const std::string& role) {
    for (const auto& l : s.layers) {
        if (l.role == role) {
            return l;
        }
    }
    FAIL("no layer report for " << role);
    return s.layers.front();
}

inline bool has_row(const core::Scene& s, const std::string& layer, const std::string& id, const std::string& reason,
                    core::Action action) {
    for (const auto& e : s.ledger.entries()) {
        if (e.layer == layer && e.source_id == id && e.reason == reason && e.action == action) {
            return true;
        }
    }
    return false;
}

inline void check_conserved(const core::Scene& s) {
    for (const auto& l : s.layers) {
        CAPTURE(l.role, l.counts.n_in, l.counts.used, l.counts.repaired, l.counts.skipped);
        CHECK(l.counts.conserved());
    }
}

/// Runs `fn` and returns the core::Error it throws (fails the test when it does not throw).
template <typename Fn>
core::Error error_of(Fn fn) {
    try {
        fn();
    } catch (const core::Error& e) {
        return e;
    }
    FAIL("expected a core::Error");
    return core::Error{core::Errc::internal, ""};
}

}  // namespace gridplan::test

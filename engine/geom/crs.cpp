#include "geom/crs.hpp"

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"

namespace gridplan::geom {
namespace {

struct ThreadContext {
    PJ_CONTEXT* ctx = nullptr;

    ThreadContext() {
        ctx = proj_context_create();
        proj_context_set_enable_network(ctx, 0);
        // PROJ logs to stderr by default; the engine never prints.
        proj_log_level(ctx, PJ_LOG_NONE);
    }
    ~ThreadContext() { proj_context_destroy(ctx); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;
    ThreadContext(ThreadContext&&) = delete;
    ThreadContext& operator=(ThreadContext&&) = delete;
};

PJ_CONTEXT* context() {
    thread_local ThreadContext tc;
    return tc.ctx;
}

using PjPtr = std::unique_ptr<PJ, decltype([](PJ* p) { proj_destroy(p); })>;

std::string last_proj_error() {
    const int err = proj_context_errno(context());
    if (err == 0) {
        return "unknown PROJ error";
    }
    const char* msg = proj_context_errno_string(context(), err);
    return msg != nullptr ? msg : "unknown PROJ error";
}

bool contains_ci(const std::string& haystack, const std::string& needle) {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    return lower(haystack).find(lower(needle)) != std::string::npos;
}

DatumFamily classify_datum(const std::string& name, const std::string& auth, const std::string& code) {
    if (auth == "EPSG") {
        if (code == "6214" || code == "1045") {
            return DatumFamily::beijing1954;
        }
        if (code == "6610") {
            return DatumFamily::xian1980;
        }
        if (code == "1043") {
            return DatumFamily::cgcs2000;
        }
        if (code == "6326") {
            return DatumFamily::wgs84;
        }
    }
    if (contains_ci(name, "beijing")) {
        return DatumFamily::beijing1954;
    }
    if (contains_ci(name, "xian") || contains_ci(name, "xi'an") || contains_ci(name, "xi_an")) {
        return DatumFamily::xian1980;
    }
    if (contains_ci(name, "china 2000") || contains_ci(name, "china_2000") ||
        contains_ci(name, "cgcs2000") || contains_ci(name, "cgcs_2000")) {
        return DatumFamily::cgcs2000;
    }
    if (contains_ci(name, "world geodetic system 1984") || contains_ci(name, "wgs 84") ||
        contains_ci(name, "wgs_1984") || contains_ci(name, "wgs84")) {
        return DatumFamily::wgs84;
    }
    return DatumFamily::other;
}

std::string str_or_empty(const char* s) { return s != nullptr ? std::string{s} : std::string{}; }

}  // namespace

const char* to_string(DatumFamily family) noexcept {
    switch (family) {
        case DatumFamily::wgs84:
            return "WGS 84";
        case DatumFamily::cgcs2000:
            return "CGCS2000";
        case DatumFamily::beijing1954:
            return "Beijing 1954";
        case DatumFamily::xian1980:
            return "Xian 1980";
        case DatumFamily::other:
            return "other";
    }
    return "other";
}

void PjDeleter::operator()(void* pj) const noexcept {
    if (pj != nullptr) {
        proj_destroy(static_cast<PJ*>(pj));
    }
}

void init_proj_context() { (void)context(); }

Crs::Crs(void* raw) : pj_(raw, PjDeleter{}) {
    auto* ctx = context();
    auto* pj = static_cast<PJ*>(raw);
    name_ = str_or_empty(proj_get_name(pj));
    if (str_or_empty(proj_get_id_auth_name(pj, 0)) == "EPSG") {
        epsg_ = std::atoi(proj_get_id_code(pj, 0));
    }
    PjPtr base_owned;
    const PJ* base = pj;
    PJ_TYPE type = proj_get_type(pj);
    if (type == PJ_TYPE_BOUND_CRS) {
        towgs84_ = true;
        base_owned.reset(proj_get_source_crs(ctx, pj));
        base = base_owned.get();
        type = base != nullptr ? proj_get_type(base) : PJ_TYPE_UNKNOWN;
        if (base != nullptr && !epsg_ && str_or_empty(proj_get_id_auth_name(base, 0)) == "EPSG") {
            epsg_ = std::atoi(proj_get_id_code(base, 0));
        }
    } else if (type == PJ_TYPE_COMPOUND_CRS) {
        base_owned.reset(proj_crs_get_sub_crs(ctx, pj, 0));
        base = base_owned.get();
        type = base != nullptr ? proj_get_type(base) : PJ_TYPE_UNKNOWN;
    }
    geographic_ = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    projected_ = type == PJ_TYPE_PROJECTED_CRS;
    if (!epsg_ && base != nullptr) {
        // A CRS read from WKT without an ID (ESRI .prj): accept PROJ's identification only
        // when it is certain.
        int* confidence = nullptr;
        PJ_OBJ_LIST* list = proj_identify(ctx, base, "EPSG", nullptr, &confidence);
        if (list != nullptr) {
            if (proj_list_get_count(list) > 0 && confidence != nullptr && confidence[0] >= 100) {
                PjPtr best{proj_list_get(ctx, list, 0)};
                if (best) {
                    epsg_ = std::atoi(str_or_empty(proj_get_id_code(best.get(), 0)).c_str());
                }
            }
            proj_int_list_destroy(confidence);
            proj_list_destroy(list);
        }
    }
    if (base != nullptr) {
        PjPtr geodetic{proj_crs_get_geodetic_crs(ctx, base)};
        if (geodetic) {
            PjPtr datum{proj_crs_get_datum_forced(ctx, geodetic.get())};
            if (datum) {
                datum_name_ = str_or_empty(proj_get_name(datum.get()));
                datum_family_ = classify_datum(datum_name_, str_or_empty(proj_get_id_auth_name(datum.get(), 0)),
                                               str_or_empty(proj_get_id_code(datum.get(), 0)));
            }
        }
        if (projected_) {
            PjPtr cs{proj_crs_get_coordinate_system(ctx, base)};
            double factor = 0.0;
            if (cs && proj_cs_get_axis_info(ctx, cs.get(), 0, nullptr, nullptr, nullptr, &factor,
                                            nullptr, nullptr, nullptr) != 0) {
                unit_m_ = factor;
            }
        }
    }
    double w = 0.0;
    double s = 0.0;
    double e = 0.0;
    double n = 0.0;
    if (proj_get_area_of_use(ctx, pj, &w, &s, &e, &n, nullptr) != 0 && w > -1000.0 && w <= e) {
        area_ = GeoBox{w, s, e, n};
    } else if (base != pj && base != nullptr &&
               proj_get_area_of_use(ctx, base, &w, &s, &e, &n, nullptr) != 0 && w > -1000.0 &&
               w <= e) {
        area_ = GeoBox{w, s, e, n};
    }
}

Crs Crs::from_epsg(int code) {
    auto* ctx = context();
    const std::string code_text = std::to_string(code);
    PJ* pj = proj_create_from_database(ctx, "EPSG", code_text.c_str(), PJ_CATEGORY_CRS, 0, nullptr);
    if (pj == nullptr) {
        throw core::Error{core::Errc::crs,
                          "creating CRS 'EPSG:" + code_text + "': not in the PROJ database"};
    }
    return Crs{pj};
}

Crs Crs::from_wkt(const std::string& wkt, const std::string& what) {
    auto* ctx = context();
    PROJ_STRING_LIST warnings = nullptr;
    PROJ_STRING_LIST errors = nullptr;
    PJ* pj = proj_create_from_wkt(ctx, wkt.c_str(), nullptr, &warnings, &errors);
    std::string error_text;
    if (errors != nullptr && errors[0] != nullptr) {
        error_text = errors[0];
    }
    proj_string_list_destroy(warnings);
    proj_string_list_destroy(errors);
    if (pj == nullptr) {
        throw core::Error{core::Errc::crs, "reading the CRS of '" + what + "': " +
                                               (error_text.empty() ? last_proj_error() : error_text)};
    }
    if (proj_is_crs(pj) == 0) {
        proj_destroy(pj);
        throw core::Error{core::Errc::crs, "reading the CRS of '" + what + "': not a CRS"};
    }
    return Crs{pj};
}

std::string Crs::wkt2() const {
    const char* options[] = {"MULTILINE=NO", nullptr};
    const char* wkt = proj_as_wkt(context(), static_cast<PJ*>(pj_.get()), PJ_WKT2_2019, options);
    return str_or_empty(wkt);
}

std::string Crs::label() const {
    return epsg_ ? "EPSG:" + std::to_string(*epsg_) : name_;
}

Crs Crs::geographic_base() const {
    auto* ctx = context();
    const auto* pj = static_cast<const PJ*>(pj_.get());
    PjPtr base_owned;
    if (proj_get_type(pj) == PJ_TYPE_BOUND_CRS || proj_get_type(pj) == PJ_TYPE_COMPOUND_CRS) {
        base_owned.reset(proj_get_type(pj) == PJ_TYPE_BOUND_CRS ? proj_get_source_crs(ctx, pj)
                                                                : proj_crs_get_sub_crs(ctx, pj, 0));
        pj = base_owned.get();
    }
    PJ* geodetic = pj != nullptr ? proj_crs_get_geodetic_crs(ctx, pj) : nullptr;
    if (geodetic == nullptr) {
        throw core::Error{core::Errc::crs, "finding the geographic CRS of '" + name_ + "': " +
                                               last_proj_error()};
    }
    return Crs{geodetic};
}

Transformer::Transformer(const Crs& source, const Crs& target) {
    auto* ctx = context();
    const auto* src = static_cast<const PJ*>(source.pj());
    const auto* dst = static_cast<const PJ*>(target.pj());
    const char* strict_options[] = {"ALLOW_BALLPARK=NO", nullptr};
    PJ* op = proj_create_crs_to_crs_from_pj(ctx, src, dst, nullptr, strict_options);
    if (op == nullptr) {
        auto family_ok = [](const Crs& c) {
            return c.datum_family() == DatumFamily::wgs84 || c.datum_family() == DatumFamily::cgcs2000;
        };
        if (family_ok(source) && family_ok(target)) {
            // CGCS2000 ↔ WGS84: PROJ only has a ballpark (null) operation; the two frames agree
            // to well under a metre, which is acceptable for planning.
            const char* ballpark_options[] = {"ALLOW_BALLPARK=YES", nullptr};
            op = proj_create_crs_to_crs_from_pj(ctx, src, dst, nullptr, ballpark_options);
            ballpark_ = true;
        }
    }
    if (op == nullptr) {
        throw core::Error{core::Errc::crs,
                          "transforming from '" + source.label() + "' (" + source.datum_name() +
                              ") to '" + target.label() + "' (" + target.datum_name() +
                              "): no transformation of known accuracy (supply coordinates in "
                              "CGCS2000 or WGS84, or a CRS with explicit TOWGS84 parameters)"};
    }
    PJ* normalised = proj_normalize_for_visualization(ctx, op);
    proj_destroy(op);
    if (normalised == nullptr) {
        throw core::Error{core::Errc::crs, "normalising the axis order of the transformation from '" +
                                               source.label() + "' to '" + target.label() +
                                               "': " + last_proj_error()};
    }
    op_ = std::shared_ptr<void>(normalised, PjDeleter{});
    const PJ_PROJ_INFO info = proj_pj_info(normalised);
    description_ = str_or_empty(info.description);
}

bool Transformer::transform(std::vector<core::Point>& points) const {
    if (points.empty()) {
        return true;
    }
    auto* op = static_cast<PJ*>(op_.get());
    std::vector<double> xs(points.size());
    std::vector<double> ys(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        xs[i] = points[i].x();
        ys[i] = points[i].y();
    }
    proj_errno_reset(op);
    proj_trans_generic(op, PJ_FWD, xs.data(), sizeof(double), xs.size(), ys.data(), sizeof(double),
                       ys.size(), nullptr, 0, 0, nullptr, 0, 0);
    bool ok = true;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!std::isfinite(xs[i]) || !std::isfinite(ys[i]) || xs[i] == HUGE_VAL || ys[i] == HUGE_VAL) {
            ok = false;
            xs[i] = std::numeric_limits<double>::infinity();
            ys[i] = std::numeric_limits<double>::infinity();
        }
        points[i] = core::Point{xs[i], ys[i]};
    }
    return ok;
}

std::optional<core::Point> Transformer::transform(core::Point p) const {
    std::vector<core::Point> one{p};
    if (!transform(one)) {
        return std::nullopt;
    }
    return one.front();
}

bool in_china_box(double lon_deg, double lat_deg) noexcept {
    return lon_deg >= 73.5 && lon_deg <= 135.1 && lat_deg >= 18.0 && lat_deg <= 54.0;
}

int auto_working_epsg(double lon_deg, double lat_deg) noexcept {
    if (in_china_box(lon_deg, lat_deg)) {
        const int cm = std::clamp(3 * static_cast<int>(std::lround(lon_deg / 3.0)), 75, 135);
        return 4534 + (cm - 75) / 3;
    }
    const int zone = std::clamp(static_cast<int>(std::floor((lon_deg + 180.0) / 6.0)) + 1, 1, 60);
    return (lat_deg >= 0.0 ? 32600 : 32700) + zone;
}

std::string explain_working_epsg(double lon_deg, double lat_deg) {
    char centre[64];
    std::snprintf(centre, sizeof centre, "%.4fE %.4fN", lon_deg, lat_deg);
    const int epsg = auto_working_epsg(lon_deg, lat_deg);
    if (in_china_box(lon_deg, lat_deg)) {
        const int cm = 75 + 3 * (epsg - 4534);
        return "auto: CGCS2000 3-degree Gauss-Kruger CM " + std::to_string(cm) +
               "E (EPSG:" + std::to_string(epsg) + ") for the data centre " + centre;
    }
    const int zone = epsg % 100;
    return "auto: WGS 84 UTM zone " + std::to_string(zone) + (lat_deg >= 0.0 ? "N" : "S") +
           " (EPSG:" + std::to_string(epsg) + ") for the data centre " + centre;
}

std::optional<GeoBox> geographic_bounds(const Crs& crs, const std::vector<core::Point>& points) {
    std::vector<core::Point> pts;
    pts.reserve(points.size());
    for (const auto& p : points) {
        if (std::isfinite(p.x()) && std::isfinite(p.y())) {
            pts.push_back(p);
        }
    }
    if (!crs.is_geographic()) {
        const Transformer to_geo{crs, crs.geographic_base()};
        to_geo.transform(pts);
    }
    std::optional<GeoBox> box;
    for (const auto& p : pts) {
        if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
            continue;
        }
        if (!box) {
            box = GeoBox{p.x(), p.y(), p.x(), p.y()};
        } else {
            box->west = std::min(box->west, p.x());
            box->east = std::max(box->east, p.x());
            box->south = std::min(box->south, p.y());
            box->north = std::max(box->north, p.y());
        }
    }
    return box;
}

std::optional<int> zone_prefixed_epsg(double easting) noexcept {
    if (easting >= 25e6 && easting < 46e6) {
        return 4513 + static_cast<int>(easting / 1e6) - 25;
    }
    if (easting >= 13e6 && easting < 24e6) {
        return 4491 + static_cast<int>(easting / 1e6) - 13;
    }
    return std::nullopt;
}

}  // namespace gridplan::geom

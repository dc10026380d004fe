#include <vector>

#include <catch2/catch.hpp>

#include "core/geometry.hpp"
#include "coverage/detail/fixups.hpp"

using namespace gridplan;

namespace {

core::Polygon polygon(const char* wkt) {
    core::Polygon out;
    core::bg::read_wkt(wkt, out);
    core::bg::correct(out);
    return out;
}

core::LineString line(const char* wkt) {
    core::LineString out;
    core::bg::read_wkt(wkt, out);
    return out;
}

constexpr double kMinArea = 50.0;

}  // namespace

TEST_CASE("a speck of 10 m2 holding nothing disappears and one holding a covered building stays",
          "[coverage][specks]") {
    // 5 m x 2 m = 10 m2, under the 50 m2 minimum.
    const auto speck = polygon("POLYGON((0 0,5 0,5 2,0 2,0 0))");
    REQUIRE(core::bg::area(speck) == Approx(10.0));
    CHECK(coverage::detail::is_speck(speck, kMinArea, {}, {}));

    // The access point of a covered building inside it (or on its edge) keeps it.
    const std::vector<core::Point> inside{{2.5, 1.0}};
    CHECK_FALSE(coverage::detail::is_speck(speck, kMinArea, inside, {}));
    const std::vector<core::Point> on_edge{{5.0, 1.0}};
    CHECK_FALSE(coverage::detail::is_speck(speck, kMinArea, on_edge, {}));
    // A covered building elsewhere does not.
    const std::vector<core::Point> elsewhere{{20.0, 1.0}};
    CHECK(coverage::detail::is_speck(speck, kMinArea, elsewhere, {}));
}

TEST_CASE("a speck crossed by a reached street piece stays and one it only touches goes",
          "[coverage][specks]") {
    const auto speck = polygon("POLYGON((0 0,5 0,5 2,0 2,0 0))");
    const std::vector<core::LineString> through{line("LINESTRING(-3 1,8 1)")};
    CHECK_FALSE(coverage::detail::is_speck(speck, kMinArea, {}, through));
    const std::vector<core::LineString> ending_inside{line("LINESTRING(-3 1,1 1)")};
    CHECK_FALSE(coverage::detail::is_speck(speck, kMinArea, {}, ending_inside));
    // Along its edge or ending on it: no point in its interior.
    const std::vector<core::LineString> along_edge{line("LINESTRING(-3 0,8 0)")};
    CHECK(coverage::detail::is_speck(speck, kMinArea, {}, along_edge));
    const std::vector<core::LineString> ending_on_edge{line("LINESTRING(2 -5,2 0)")};
    CHECK(coverage::detail::is_speck(speck, kMinArea, {}, ending_on_edge));
}

TEST_CASE("a part at or above the minimum area is never a speck", "[coverage][specks]") {
    const auto part = polygon("POLYGON((0 0,10 0,10 5,0 5,0 0))");  // exactly 50 m2
    CHECK_FALSE(coverage::detail::is_speck(part, kMinArea, {}, {}));
    const auto with_hole =
        polygon("POLYGON((0 0,10 0,10 6,0 6,0 0),(1 1,9 1,9 5,1 5,1 1))");  // 60 - 32 = 28 m2
    CHECK(coverage::detail::is_speck(with_hole, kMinArea, {}, {}));
    // A point in the hole is not held by the part.
    const std::vector<core::Point> in_hole{{5.0, 3.0}};
    CHECK(coverage::detail::is_speck(with_hole, kMinArea, in_hole, {}));
}

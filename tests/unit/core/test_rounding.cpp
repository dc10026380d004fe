// Whole households for people (issue 15 item 3): largest-remainder rounding keeps the total,
// leaves whole values alone and breaks ties by index.
#include <cstdint>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "core/rounding.hpp"
#include "core/scene.hpp"

namespace gridplan {
namespace {

std::int64_t sum(const std::vector<std::int64_t>& v) {
    return std::accumulate(v.begin(), v.end(), std::int64_t{0});
}

}  // namespace

TEST_CASE("largest remainder rounds each value to a neighbour integer and keeps the total",
          "[core][rounding]") {
    struct Case {
        std::vector<double> values;
        std::vector<std::int64_t> expected;
    };
    const auto c = GENERATE(values<Case>({
        {{}, {}},
        {{381.4027077344453}, {381}},
        {{2.6, 3.4}, {3, 3}},                      // 6 in total: the larger remainder gets the unit
        {{0.5, 0.5}, {1, 0}},                      // tie: the lower index first
        {{0.5, 0.5, 0.5, 0.5}, {1, 1, 0, 0}},      // total 2: the two lowest indices
        {{1.25, 1.25, 1.25, 1.25}, {2, 1, 1, 1}},  // total 5
        {{10.0, 0.4, 0.4, 0.4}, {10, 1, 0, 0}},    // whole values stay; 11.2 -> 11
        {{12.0, 7.0}, {12, 7}},
        {{0.3, 0.3, 0.3}, {1, 0, 0}},  // 0.9 -> 1; equal remainders: index order
        {{-2.0, 1.6}, {0, 2}},         // negative counts as 0
        {{33.3333, 33.3333, 33.3334}, {33, 33, 34}},
    }));
    CAPTURE(c.values);
    const auto got = core::largest_remainder(c.values);
    CHECK(got.size() == c.values.size());
    CHECK(sum(got) == sum(c.expected));
    CHECK(got == c.expected);
}

TEST_CASE("largest remainder keeps the total of many fractional estimates", "[core][rounding]") {
    std::vector<double> v;
    double total = 0.0;
    for (int i = 0; i < 1000; ++i) {
        v.push_back(0.37 * (i % 13) + 1.0 / (1 + i % 7));
        total += v.back();
    }
    const auto got = core::largest_remainder(v);
    CHECK(sum(got) == std::llround(total));
    for (std::size_t i = 0; i < v.size(); ++i) {
        CHECK(std::abs(static_cast<double>(got[i]) - v[i]) < 1.0);
    }
}

TEST_CASE("derived codes: '9' + digits of a hash, valid codes kept, one derivation",
          "[core][codes]") {
    core::Scene scene;
    scene.streets.push_back({.id = "s1", .name = "A", .code = "110108001"});
    scene.streets.push_back({.id = "s2", .name = "B", .code = ""});
    scene.communities.push_back({.id = "c1", .name = "X", .code = "110108001001"});
    scene.communities.push_back({.id = "c2", .name = "Y", .code = "12345"});
    core::assign_codes(scene);
    CHECK(scene.streets[0].code == "110108001");
    CHECK_FALSE(scene.streets[0].code_derived);
    CHECK(scene.streets[1].code == core::derived_code("s2", 9));
    CHECK(scene.streets[1].code.size() == 9);
    CHECK(scene.streets[1].code.front() == '9');
    CHECK(scene.streets[1].code_derived);
    CHECK(scene.communities[0].code == "110108001001");
    CHECK(scene.communities[1].code == core::derived_code("c2", 12));
    CHECK(scene.communities[1].code.size() == 12);
    CHECK(scene.communities[1].code_derived);
    const auto again = scene.communities[1].code;
    core::assign_codes(scene);
    CHECK(scene.communities[1].code == again);
}

}  // namespace gridplan

#include <catch2/catch.hpp>

#include "core/disjoint_sets.hpp"

using gridplan::core::DisjointSets;

TEST_CASE("disjoint sets: the caller's choice of root survives, reset separates again", "[core]") {
    DisjointSets s(6);
    for (std::uint32_t i = 0; i < 6; ++i) {
        CHECK(s.find(i) == i);
    }
    // {0,1,2} rooted at 0 (smaller root kept), {3,4} rooted at 4 (the caller chose 4), {5} alone.
    s.attach(s.find(2), s.find(1));
    s.join_under_smaller(1, 0);
    s.attach(s.find(3), s.find(4));
    for (std::uint32_t i : {0U, 1U, 2U}) {
        CHECK(s.find(i) == 0);
    }
    CHECK(s.find(3) == 4);
    CHECK(s.find(4) == 4);
    CHECK(s.find(5) == 5);
    s.reset();
    CHECK(s.find(2) == 2);
    CHECK(s.find(3) == 3);
}

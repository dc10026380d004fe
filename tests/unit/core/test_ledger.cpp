#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/ledger.hpp"

using namespace gridplan::core;

TEST_CASE("ledger counts rows by layer and reason in a stable order", "[core]") {
    Ledger ledger;
    ledger.add(
        {.layer = "roads", .source_id = "r1", .reason = "zero_length", .action = Action::skipped});
    ledger.add({.layer = "buildings",
                .source_id = "b2",
                .reason = "self_intersection",
                .action = Action::repaired});
    ledger.add({.layer = "buildings",
                .source_id = "b3",
                .reason = "self_intersection",
                .action = Action::repaired});
    const auto counts = ledger.counts_by_reason();
    REQUIRE(counts.size() == 2);
    CHECK(counts.begin()->first == "buildings/self_intersection");
    CHECK(counts.begin()->second == 2);
}

TEST_CASE("strict ledger turns the first data problem into an error naming layer and feature",
          "[core]") {
    Ledger ledger{true};
    ledger.add(
        {.layer = "buildings", .source_id = "b1", .reason = "overlap", .action = Action::warned});
    CHECK(ledger.entries().size() == 1);
    CHECK_THROWS_WITH(ledger.add({.layer = "buildings",
                                  .source_id = "b7",
                                  .reason = "null_geometry",
                                  .action = Action::skipped,
                                  .detail = "feature has no geometry"}),
                      Catch::Matchers::Contains("'buildings'") &&
                          Catch::Matchers::Contains("'b7'") &&
                          Catch::Matchers::Contains("null_geometry"));
}

TEST_CASE("layer counts are conserved only when every feature is accounted for", "[core]") {
    LayerCounts c{.n_in = 10, .used = 7, .repaired = 2, .skipped = 1};
    CHECK(c.conserved());
    c.skipped = 0;
    CHECK_FALSE(c.conserved());
}

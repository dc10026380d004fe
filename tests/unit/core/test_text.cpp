#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include "core/hash.hpp"
#include "core/text.hpp"

using namespace gridplan;

TEST_CASE("UTF-8 validation accepts well-formed text and rejects each kind of malformed byte run",
          "[core][text]") {
    const auto [text, valid] = GENERATE(table<std::string, bool>({
        {"网格 grid ✓ 𠀀", true},
        {"党群服务中心", true},
        {"", true},
        {"\xb5\xb3\xc8\xba", false},      // GBK bytes
        {"\xc0\xaf", false},              // overlong '/'
        {"\xed\xa0\x80", false},          // UTF-16 surrogate
        {"\xf4\x90\x80\x80", false},      // above U+10FFFF
        {"\xe7\xbd", false},              // truncated
        {"\x80", false},                  // stray continuation byte
        {"\xf8\x88\x80\x80\x80", false},  // five-byte form
    }));
    CAPTURE(text);
    CHECK(core::is_valid_utf8(text) == valid);
    CHECK(core::is_valid_utf8(core::repair_utf8(text)));
    if (valid) {
        CHECK(core::repair_utf8(text) == text);
    }
}

TEST_CASE("repair replaces each ill-formed byte with U+FFFD and keeps the rest", "[core][text]") {
    CHECK(core::repair_utf8("a\xffz") == "a\xEF\xBF\xBDz");
    CHECK(core::repair_utf8("网\xe7\xbd") == "网\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("cutting UTF-8 keeps whole characters", "[core][text]") {
    const auto [text, max_bytes, cut] = GENERATE(table<std::string, std::size_t, std::string>({
        {"网格编码", 7, "网格"},  // 3 + 3 bytes; the third character would need 9
        {"网格编码", 9, "网格编"},
        {"网格编码", 2, ""},
        {"abc", 254, "abc"},
        {"abc", 0, ""},
    }));
    CHECK(core::cut_utf8(text, max_bytes) == cut);
}

TEST_CASE("ASCII case, white space and fixed-point numbers", "[core][text]") {
    CHECK(core::ascii_lower("Residential 住宅") == "residential 住宅");
    CHECK(core::trim(" \t residential\r\n") == "residential");
    CHECK(core::trim("   ").empty());
    CHECK(core::fixed(381.4027, 0) == "381");
    CHECK(core::fixed(381.4027, 1) == "381.4");
    CHECK(core::fixed(0.05, 3) == "0.050");
}

TEST_CASE("regress_17_format_count_overflow: whole numbers with separators, defined for any double",
          "[core][text]") {
    // The workspace's report data formatted a vertex budget of SIZE_MAX: llround overflowed and
    // negating LLONG_MIN was undefined (found by the sanitizer run of cli.serve_api_robust).
    struct Row {
        double value;
        const char* text;
    };
    const Row row = GENERATE(Row{0, "0"}, Row{-0.4, "0"}, Row{999.5, "1,000"}, Row{1234567, "1,234,567"},
                             Row{-1234.4, "-1,234"}, Row{1.8446744073709552e19, "18,446,744,073,709,551,616"},
                             Row{-9.3e18, "-9,300,000,000,000,000,000"});
    CHECK(core::format_count(row.value) == row.text);
    CHECK(core::format_count(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(core::format_count(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

TEST_CASE("hashes keep their values (partition seeds derive from them)", "[core][hash]") {
    STATIC_REQUIRE(core::fnv1a("") == 1469598103934665603ULL);
    STATIC_REQUIRE(core::fnv1a("a") == ((1469598103934665603ULL ^ 'a') * 1099511628211ULL));
    // SplitMix64 seeded with 0: its first output is mix(0).
    STATIC_REQUIRE(core::mix(0) == 0xe220a8397b1dcdafULL);
}

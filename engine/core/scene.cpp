#include "core/scene.hpp"

#include <algorithm>
#include <cstdint>

#include "core/hash.hpp"

namespace gridplan::core {

const char* to_string(FacilityKind kind) noexcept {
    switch (kind) {
        case FacilityKind::service_centre:
            return "service_centre";
        case FacilityKind::warm_station:
            return "warm_station";
        case FacilityKind::other:
            return "other";
    }
    return "other";
}

bool is_statistical_code(std::string_view code, std::size_t digits) noexcept {
    return code.size() == digits &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string derived_code(std::string_view key, std::size_t digits) {
    std::uint64_t modulus = 1;
    for (std::size_t i = 1; i < digits; ++i) {
        modulus *= 10;
    }
    std::string tail = std::to_string(fnv1a(key) % modulus);
    std::string code(1, '9');  // built by appends: GCC 12 -O3 warns on "9" + string (PR105651)
    code.append(digits - 1 - tail.size(), '0');
    code += tail;
    return code;
}

namespace {

template <typename Area>
void assign_code(Area& area, std::size_t digits) {
    if (area.code_derived || is_statistical_code(area.code, digits)) {
        return;
    }
    area.code = derived_code(area.id.empty() ? area.name : area.id, digits);
    area.code_derived = true;
}

}  // namespace

void assign_codes(Scene& scene) {
    for (auto& s : scene.streets) {
        assign_code(s, kStreetCodeDigits);
    }
    for (auto& c : scene.communities) {
        assign_code(c, kCommunityCodeDigits);
    }
}

}  // namespace gridplan::core

#pragma once
/// \file
/// Hashing for seeds and fingerprints: stable across platforms and runs (never std::hash).

#include <cstdint>
#include <string_view>

namespace gridplan::core {

/// FNV-1a over the bytes of `text`, started from 1469598103934665603: one digit short of FNV's
/// published offset basis (14695981039346656037). Kept as it is: every partition seed derives from
/// it, so changing it would change every grid.
[[nodiscard]] constexpr std::uint64_t fnv1a(std::string_view text) noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

/// SplitMix64's finaliser: a well-mixed 64-bit value from any 64-bit value (seed derivation).
[[nodiscard]] constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace gridplan::core

#pragma once
/// \file
/// The validation ledger: every input feature that is not used as-is gets one row, and per layer
/// n_in == used + repaired + skipped holds. Nothing is dropped silently.

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace gridplan::core {

/// What was done with a feature (or what a warning row is about).
enum class Action {
    repaired,  ///< kept after a change (geometry repaired, id re-keyed, value set to null…)
    skipped,   ///< not used; the row says why
    warned,    ///< kept unchanged; something the user should know (not counted in conservation)
};

[[nodiscard]] const char* to_string(Action action) noexcept;

/// One ledger row. `reason` is a stable snake_case code listed in docs/ledger.md.
struct LedgerEntry {
    std::string layer;      ///< role or output layer: "buildings", "roads", "hierarchy", …
    std::string source_id;  ///< the feature's source id (or "<layer>:<index>" when it has none)
    std::string reason;     ///< stable reason code, e.g. "self_intersection"
    Action action = Action::warned;
    std::string detail;     ///< human-readable detail: the fault, the fix, GDAL's message
    double x = std::numeric_limits<double>::quiet_NaN();  ///< location in the working CRS
    double y = std::numeric_limits<double>::quiet_NaN();
};

/// Per-layer conservation counters.
struct LayerCounts {
    std::size_t n_in = 0;
    std::size_t used = 0;  ///< used unchanged
    std::size_t repaired = 0;
    std::size_t skipped = 0;

    [[nodiscard]] bool conserved() const noexcept { return n_in == used + repaired + skipped; }
};

/// Collects ledger rows. In strict mode the first repaired or skipped row throws
/// Error{Errc::invalid_input} naming the layer, feature and fault.
class Ledger {
public:
    explicit Ledger(bool strict = false) : strict_(strict) {}

    void add(LedgerEntry entry);

    [[nodiscard]] const std::vector<LedgerEntry>& entries() const noexcept { return entries_; }
    [[nodiscard]] bool strict() const noexcept { return strict_; }
    void set_strict(bool strict) noexcept { strict_ = strict; }
    /// Row counts by "layer/reason", in a stable order.
    [[nodiscard]] std::map<std::string, std::size_t> counts_by_reason() const;
    /// Appends another ledger's rows (used to merge per-thread ledgers in a fixed order).
    void append(const Ledger& other);

private:
    bool strict_ = false;
    std::vector<LedgerEntry> entries_;
};

}  // namespace gridplan::core

#pragma once
/// \file
/// Plain-text reports the commands return (the CLI prints them). Fixed-width tables, stable order.

#include <string>
#include <vector>

#include "core/scene.hpp"
#include "core/text.hpp"
#include "output/write.hpp"

namespace gridplan::pipeline {

/// A fixed-width text table: header row, then rows; numeric-looking cells are right-aligned.
[[nodiscard]] std::string format_table(const std::vector<std::string>& header,
                                       const std::vector<std::vector<std::string>>& rows);

/// Thousands-separated integer ("14,532") of a rounded value (core/text.hpp).
using core::format_count;
/// Fixed-point number with `decimals` digits.
[[nodiscard]] std::string format_fixed(double value, int decimals);

/// The language of a printed report (--lang): `say("households", "户数")` picks one text.
class Say {
public:
    explicit Say(output::Language lang) noexcept : zh_(lang == output::Language::zh) {}
    [[nodiscard]] const char* operator()(const char* en, const char* zh) const noexcept {
        return zh_ ? zh : en;
    }
    [[nodiscard]] bool zh() const noexcept { return zh_; }
    /// A facility kind as printed: its Chinese name ("党群服务中心") in zh, its value
    /// ("service_centre", as in the data and the configuration) in en.
    [[nodiscard]] std::string kind(core::FacilityKind kind) const;
    /// A walking profile's name as printed: the built-in "adult" and "elderly" in Chinese
    /// ("成人", "老年人") in zh; any other name as configured.
    [[nodiscard]] std::string profile(const std::string& name) const;

private:
    bool zh_;
};

/// What every command prints first: the working CRS, one row per input layer, household totals
/// and the hierarchy.
[[nodiscard]] std::string scene_report(const core::Scene& scene,
                                       output::Language lang = output::Language::zh);

/// Ledger rows one stage of a command added (in pipeline order: read, partition, walk_graph…).
struct LedgerStage {
    std::string stage;
    std::size_t rows = 0;
};

/// The data-issue summary: every row of `ledger` (what ledger.csv and the ledger layer hold),
/// per stage and per layer/reason.
[[nodiscard]] std::string ledger_report(const core::Ledger& ledger,
                                        const std::vector<LedgerStage>& stages,
                                        output::Language lang = output::Language::zh);

}  // namespace gridplan::pipeline

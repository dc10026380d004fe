#pragma once
/// \file
/// What the libFuzzer targets of tests/fuzz share: the oracle (a core::Error other than
/// Errc::internal is an answer; anything else is a finding) and the read → validate → ledger
/// pipeline over files written to a private temporary folder (the input policy reads local
/// regular files only, so GDAL's /vsimem/ is not an option).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "io/config.hpp"

namespace gridplan::fuzz {

/// Runs `body`; returns normally when it ends or throws a core::Error that is not
/// Errc::internal (a clear error is the right answer to a bad input). An internal error or any
/// other exception is printed and aborts: libFuzzer keeps the input as a crash.
void expect_clear_outcome(const std::function<void()>& body);

/// The private folder of this process (created once, removed at exit).
[[nodiscard]] const std::filesystem::path& scratch_dir();

/// Writes `bytes` to scratch_dir()/name and returns the path.
std::filesystem::path write_scratch(const std::string& name, std::string_view bytes);

/// Removes every file in scratch_dir() (each input starts from an empty folder).
void clear_scratch();

/// Splits the input at each kPartMarker: the files of a multi-file format (Shapefile).
inline constexpr std::string_view kPartMarker = "\n#GRIDPLAN-PART#\n";
[[nodiscard]] std::vector<std::string_view> split_parts(std::string_view data);

/// One layer source reading `path` (layer "" = the first) with the given `where` filter.
[[nodiscard]] io::LayerSource source(const std::filesystem::path& path,
                                     const std::string& layer = "",
                                     std::map<std::string, std::vector<std::string>> where = {});

/// read_scene with --allow-partial (so reading goes on past GDAL's errors), then the reports
/// every command prints; checks that every layer's ledger is conserved.
void read_validate_report(const io::InputConfig& config);

}  // namespace gridplan::fuzz

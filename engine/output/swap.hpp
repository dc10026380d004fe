#pragma once
/// \file
/// An output set that appears whole or not at all (docs/qgis.md "Safety and reproducibility"):
/// every file is written into a staging folder beside the output folder DIR, then the staging
/// folder becomes DIR in one step — rename() when DIR is new, renameat2(RENAME_EXCHANGE) when
/// it exists (fallback: DIR → .DIR.gridplan-old-PID, staging → DIR, the old one removed; a run
/// killed between those two renames is put right by the next run or `gridplan report`).
/// Files in DIR that are not part of the set are carried over (hard links), so nothing of the
/// user's is lost; a symbolic link inside DIR is never followed.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gridplan::output::detail {

/// Puts right what an interrupted swap left beside `dir`: a missing DIR is restored from
/// .DIR.gridplan-old-PID; staging and old folders of processes that no longer run are removed.
/// Returns one note per repair (empty when there was nothing to do).
[[nodiscard]] std::vector<std::string> recover_output_dir(const std::filesystem::path& dir);

/// The staging folder of one output set; removed on destruction unless swapped in.
class Staging {
public:
    /// Creates `.NAME.gridplan-staging-PID` beside `dir` (DIR itself, when a symbolic link, is
    /// resolved: the user named that folder). Throws Errc::io.
    explicit Staging(const std::filesystem::path& dir);
    ~Staging();
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;
    Staging(Staging&&) = delete;
    Staging& operator=(Staging&&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return staging_; }

    /// Makes the staging folder DIR. `recheck` runs first under the swap lock (it throws to
    /// refuse, e.g. an output that appeared meanwhile without --force); `planned` (relative
    /// paths) are the set's own files: everything else in an existing DIR is carried over.
    void swap_in(const std::function<void()>& recheck,
                 const std::vector<std::filesystem::path>& planned);

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
};

}  // namespace gridplan::output::detail

#pragma once
/// \file
/// The planner's workspace session (issue 19, docs/workspace.md): a city loaded once, today's
/// grids as a partition::Workspace, and the requests a front end sends, in JSON and out in
/// JSON. Any adapter (the HTTP server in server/) passes the bodies through; the engine knows
/// no HTTP. Not thread-safe: the adapter serialises the calls (one change at a time).
///
/// Requests and replies (docs/workspace.md, "API"):
///   state()              → {"format": "gridplan-workspace/1", "data": <report data,
///   docs/report.md>,
///                           "workspace": {revision, can_undo, can_redo, locked, save_dir, …}}
///   change({"op": …})    → an edit in the redraw configuration's form (move, split, merge,
///                           lock, unlock); reply {accepted, refusal, revision, can_undo, can_redo,
///                           locked, grids: [features of grids that changed], removed: [codes],
///                           buildings: [[index, grid code] of buildings whose grid changed]}
///   undo(), redo()       → the same reply
///   station({"op": "add", "kind": k, "lon": x, "lat": y} | {"op": "move", "id": i, "lon": x,
///           "lat": y} | {"op": "remove", "id": i} | {}) → the walking coverage now (figures, no
///                           circles): {facilities: layer, coverage_stats: layer (community,
///                           street, total rows), buildings: [[sc_c15, ws_c15] per building]}
///   rebalance({"community": code}) → a preview: the redraw optimiser on that community with the
///                           current locks: {community, refusal, moves, buildings: [[index, from,
///                           to]], households, grids: [{code, households, in_band}]}
///   rebalance({"accept": true}) → applies the last preview's moves as one change (the change
///                           reply), refused when the plan changed since the preview
///   suggest({"p": n})     → the siting solver on the stations now: {kind, asked, status,
///                           incumbent, bound, gap, before_share, after_share, proposed_sites}
///   save({"force": b})   → the redraw's outputs in the save folder plus scenario.json, the run
///                           configuration whose "redraw" section replays the plan; reply
///                           {saved, dir, scenario, files}
/// Malformed requests throw core::Error{Errc::usage} naming the fault; refused edits are replies
/// (accepted false, with the redraw's reason); an existing save folder without `force` throws
/// Errc::io with Fault::exists.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "pipeline/commands.hpp"

namespace gridplan::pipeline {

class Session {
public:
    /// Loads `options.config` and its inputs, rounds households as every command does and
    /// starts from today's grids (the input role `grids`, or the buildings' grid codes) with the
    /// configuration's "redraw" locks and edits, replayed without rebalance.
    /// `options.output_dir` is where save writes (required).
    explicit Session(const CommandOptions& options);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;

    [[nodiscard]] std::string state() const;
    [[nodiscard]] std::string change(std::string_view request);
    [[nodiscard]] std::string undo();
    [[nodiscard]] std::string redo();
    [[nodiscard]] std::string station(std::string_view request);
    [[nodiscard]] std::string rebalance(std::string_view request);
    [[nodiscard]] std::string suggest(std::string_view request);
    [[nodiscard]] std::string save(std::string_view request);

    /// The folder save writes into.
    [[nodiscard]] const std::filesystem::path& save_dir() const noexcept;
    /// Buildings, grids and communities of the loaded city (for the adapter's start-up line).
    [[nodiscard]] std::string summary() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gridplan::pipeline

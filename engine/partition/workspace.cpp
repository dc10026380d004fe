#include "partition/workspace.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <utility>

#include "core/error.hpp"

namespace gridplan::partition {

std::vector<GridFigures> grid_figures(const Result& plan) {
    std::vector<GridFigures> out;
    out.reserve(plan.grids.size());
    for (const auto& g : plan.grids) {
        out.push_back({.code = g.code,
                       .community = g.community,
                       .kind = g.kind,
                       .households = g.households,
                       .population = g.population,
                       .buildings = static_cast<std::uint32_t>(g.buildings.size()),
                       .in_band = g.in_band});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    return out;
}

std::vector<GridFigures> changed_grids(const std::vector<GridFigures>& before,
                                       const std::vector<GridFigures>& after) {
    std::vector<GridFigures> out;
    auto b = before.begin();
    auto a = after.begin();
    while (b != before.end() || a != after.end()) {
        if (a == after.end() || (b != before.end() && b->code < a->code)) {
            out.push_back({.code = b->code, .community = b->community, .kind = b->kind});
            ++b;  // vanished
        } else if (b == before.end() || a->code < b->code) {
            out.push_back(*a++);  // new
        } else {
            if (!(*a == *b)) {
                out.push_back(*a);
            }
            ++a;
            ++b;
        }
    }
    return out;
}

Workspace::Workspace(core::Scene scene, RedrawOptions options, ReplayMode mode)
    : scene_(std::move(scene)),
      base_(std::move(options)),
      mode_(mode),
      edits_(std::move(base_.edits)) {
    base_.edits.clear();
    base_.rebalance = false;
    if (mode_ == ReplayMode::per_community) {
        replayer_.emplace(scene_, base_);
    }
    plan_ = replay(edits_);
}

RedrawResult Workspace::replay(const Edits& edits) {
    if (replayer_) {
        return replayer_->replay(scene_, edits);
    }
    return redraw_scene(scene_, options_of(edits));
}

std::vector<core::Index> Workspace::last_replayed() const {
    if (replayer_) {
        return replayer_->last_solved();
    }
    std::vector<core::Index> all(scene_.communities.size());
    std::iota(all.begin(), all.end(), 0U);
    return all;
}

RedrawOptions Workspace::options_of(const Edits& edits) const {
    RedrawOptions o = base_;
    o.edits = edits;
    return o;
}

RedrawOptions Workspace::scenario() const {
    return options_of(edits_);
}

std::vector<GridFigures> Workspace::figures() const {
    return grid_figures(plan_.plan);
}

ChangeOutcome Workspace::change_to(Edits next) {
    RedrawResult result;
    try {
        result = replay(next);
    } catch (const core::Error& e) {
        if (e.code() != core::Errc::invalid_input && e.code() != core::Errc::usage) {
            throw;
        }
        return {.accepted = false, .refusal = e.what(), .revision = revision_};
    }
    ChangeOutcome out{.accepted = true};
    out.touched = changed_grids(grid_figures(plan_.plan), grid_figures(result.plan));
    plan_ = std::move(result);
    edits_ = std::move(next);
    out.revision = ++revision_;
    return out;
}

ChangeOutcome Workspace::apply(Edit edit) {
    std::vector<Edit> one;
    one.push_back(std::move(edit));
    return apply(std::move(one));
}

ChangeOutcome Workspace::apply(std::vector<Edit> edits) {
    Edits next = edits_;
    std::move(edits.begin(), edits.end(), std::back_inserter(next));
    Edits before = edits_;
    ChangeOutcome out = change_to(std::move(next));
    if (out.accepted) {
        undo_.push_back(std::move(before));
        redo_.clear();
    }
    return out;
}

ChangeOutcome Workspace::lock_grid(const std::string& code, bool locked) {
    Edit edit;
    edit.kind = locked ? EditKind::lock : EditKind::unlock;
    edit.grids = {code};
    return apply(std::move(edit));
}

ChangeOutcome Workspace::step(std::vector<Edits>& from, std::vector<Edits>& to) {
    if (from.empty()) {
        return {.accepted = false, .refusal = "nothing to undo or redo", .revision = revision_};
    }
    Edits current = edits_;
    ChangeOutcome out = change_to(from.back());
    if (out.accepted) {  // a state accepted once is accepted again (same scene, same rules)
        from.pop_back();
        to.push_back(std::move(current));
    }
    return out;
}

ChangeOutcome Workspace::undo() {
    return step(undo_, redo_);
}

ChangeOutcome Workspace::redo() {
    return step(redo_, undo_);
}

}  // namespace gridplan::partition

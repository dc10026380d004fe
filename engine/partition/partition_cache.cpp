// PartitionCache (detail/replay.hpp): partition_scene for a workspace's replays, solving again
// only the communities whose grid codes, locks, closed grids, band or k changed.

#include <optional>
#include <string>
#include <utility>

#include "partition/detail/community.hpp"
#include "partition/detail/replay.hpp"

namespace gridplan::partition::detail {

namespace {

/// The options with what a redraw's edits change removed (closed grids, override k): cached
/// results stay valid while this is the same.
Options session_options(const Options& options) {
    Options o = options;
    o.closed_grids.clear();
    for (auto it = o.overrides.begin(); it != o.overrides.end();) {
        it->second.k.reset();
        it = it->second.band ? std::next(it) : o.overrides.erase(it);
    }
    return o;
}

void append_override(const Options& options, const std::string& key, std::string& out) {
    auto it = options.overrides.find(key);
    if (key.empty() || it == options.overrides.end()) {
        out += '-';
        return;
    }
    const auto& ov = it->second;
    if (ov.band) {
        out +=
            std::to_string(ov.band->min_households) + ',' + std::to_string(ov.band->max_households);
    }
    out += ';' + (ov.k ? std::to_string(*ov.k) : std::string{"-"}) + '|';
}

/// Everything steps 6-9 of a community read that a redraw's edits change: its overrides (band,
/// k) and, per building, its grid code, lock and whether the code is a closed grid.
std::string community_key(const core::Scene& scene,
                          const core::Community& comm,
                          const std::vector<core::Index>& buildings,
                          const Options& options) {
    std::string key;
    append_override(options, comm.id, key);
    append_override(options, comm.code, key);
    for (const auto b : buildings) {
        const auto& bd = scene.buildings[b];
        key += bd.grid_code;
        key += bd.locked ? '\x01' : '\x02';
        key += !bd.grid_code.empty() && options.closed_grids.count(bd.grid_code) != 0 ? '\x03'
                                                                                      : '\x04';
    }
    return key;
}

}  // namespace

struct PartitionCache::State {
    bool ready = false;
    Options session;  ///< session_options of the cached results
    std::size_t buildings = 0;
    SceneIndex index;
    std::vector<std::vector<core::Index>> members;
    core::Ledger members_ledger;                        ///< buildings outside communities
    std::vector<std::optional<CommunityStart>> starts;  ///< steps 1-5, once
    std::vector<std::string> keys;                      ///< community_key of `outs`
    std::vector<std::optional<CommunityOut>> outs;      ///< steps 6-9 of the last solve
    std::vector<core::Index> solved;

    void reset(const core::Scene& scene, const Options& options, Options normalised) {
        solved.clear();
        members_ledger = core::Ledger{};
        session = std::move(normalised);
        buildings = scene.buildings.size();
        index = scene_index(scene, options);
        members = buildings_by_community(scene, members_ledger);
        starts.assign(scene.communities.size(), std::nullopt);
        keys.assign(scene.communities.size(), std::string{});
        outs.assign(scene.communities.size(), std::nullopt);
        ready = true;
    }
};

PartitionCache::PartitionCache() : state_(std::make_unique<State>()) {}
PartitionCache::~PartitionCache() = default;
PartitionCache::PartitionCache(const PartitionCache& other)
    : state_(std::make_unique<State>(*other.state_)) {}
PartitionCache& PartitionCache::operator=(const PartitionCache& other) {
    if (this != &other) {
        state_ = std::make_unique<State>(*other.state_);
    }
    return *this;
}
PartitionCache::PartitionCache(PartitionCache&&) noexcept = default;
PartitionCache& PartitionCache::operator=(PartitionCache&&) noexcept = default;

const std::vector<core::Index>& PartitionCache::last_solved() const noexcept {
    return state_->solved;
}

Result PartitionCache::partition(const core::Scene& scene, const Options& options) {
    State& s = *state_;
    Options normalised = session_options(options);
    if (!s.ready || s.buildings != scene.buildings.size() || !(normalised == s.session)) {
        s.reset(scene, options, std::move(normalised));
    }
    const auto n_comm = static_cast<core::Index>(scene.communities.size());
    std::vector<std::string> keys(n_comm);
    std::vector<core::Index> todo;
    for (core::Index c = 0; c < n_comm; ++c) {
        keys[c] = community_key(scene, scene.communities[c], s.members[c], options);
        if (!s.outs[c] || keys[c] != s.keys[c]) {
            todo.push_back(c);
        }
    }
    std::vector<CommunityOut> fresh(n_comm);
    solve_in_parallel(scene, todo, options.threads, [&](core::Index c) {
        if (!s.starts[c]) {
            s.starts[c] = start_community(scene, c, s.members[c], s.index, options);
        }
        fresh[c] = finish_community(scene, c, *s.starts[c], options);
    });
    for (const auto c : todo) {
        s.outs[c] = std::move(fresh[c]);
        s.keys[c] = std::move(keys[c]);
    }
    s.solved = std::move(todo);
    std::vector<CommunityOut> outs;
    outs.reserve(n_comm);
    for (core::Index c = 0; c < n_comm; ++c) {
        outs.push_back(*s.outs[c]);
    }
    Result result;
    result.grid_of_building.assign(scene.buildings.size(), std::nullopt);
    result.ledger = s.members_ledger;
    merge_communities(scene, outs, result);
    return result;
}

}  // namespace gridplan::partition::detail

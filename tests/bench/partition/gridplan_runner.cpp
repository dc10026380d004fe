#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "runners.hpp"

namespace gridplan::bench {

std::vector<partition::UnitGraph> build_unit_graphs(const City& city,
                                                    const std::vector<VoronoiCells>* cells) {
    std::vector<partition::UnitGraph> graphs;
    graphs.reserve(city.communities.size());
    for (std::size_t c = 0; c < city.communities.size(); ++c) {
        const Community& cm = city.communities[c];
        const std::size_t n = cm.size();
        partition::UnitGraph g;
        g.households.assign(cm.households.begin(), cm.households.end());
        g.position.reserve(n);
        g.block.reserve(n);
        for (std::size_t v = 0; v < n; ++v) {
            g.position.emplace_back(cm.x_m[v], cm.y_m[v]);
            g.block.push_back(static_cast<std::int32_t>(cm.block[v]));
        }
        std::vector<partition::GraphEdge> edges;
        edges.reserve(cm.adjncy.size() / 2);
        for (std::size_t v = 0; v < n; ++v) {
            for (auto a = cm.xadj[v]; a < cm.xadj[v + 1]; ++a) {
                const auto ai = static_cast<std::size_t>(a);
                const auto u = static_cast<std::size_t>(cm.adjncy[ai]);
                if (u <= v) continue;
                double shared = 0.0;
                if (cells != nullptr) {
                    for (const auto& e : (*cells)[c].edges[v]) {
                        if (e.neighbour == static_cast<std::int32_t>(u)) shared += e.length_m;
                    }
                }
                edges.push_back({static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(u),
                                 static_cast<double>(cm.adjcost[ai]), shared});
            }
        }
        if (cells != nullptr) {
            const VoronoiCells& vc = (*cells)[c];
            g.area_m2 = vc.area_m2;
            g.perimeter_m.assign(n, 0.0);
            for (std::size_t v = 0; v < n; ++v) {
                for (const auto& e : vc.edges[v]) g.perimeter_m[v] += e.length_m;
            }
        }
        g.set_edges(std::move(edges));
        g.validate();
        graphs.push_back(std::move(g));
    }
    return graphs;
}

GridplanRun run_gridplan(const std::vector<partition::UnitGraph>& graphs,
                         const std::vector<std::uint32_t>& k, unsigned threads,
                         const partition::OptimiserOptions& options) {
    GridplanRun run;
    run.parts.resize(graphs.size());
    run.results.resize(graphs.size());
    run.seconds.assign(graphs.size(), 0.0);
    const partition::Band band{};
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    auto worker = [&] {
        for (;;) {
            const std::size_t c = next.fetch_add(1);
            if (c >= graphs.size() || failed.load()) return;
            try {
                const auto t0 = std::chrono::steady_clock::now();
                run.results[c] = partition::partition_graph(graphs[c], k[c], band, options);
                run.seconds[c] =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            } catch (...) {
                if (!failed.exchange(true)) failure = std::current_exception();
                return;
            }
        }
    };
    const unsigned n_threads = std::max(1U, threads);
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n_threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    for (std::size_t c = 0; c < graphs.size(); ++c) {
        run.parts[c].assign(run.results[c].part.begin(), run.results[c].part.end());
    }
    return run;
}

}  // namespace gridplan::bench

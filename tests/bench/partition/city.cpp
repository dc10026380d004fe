#include "city.hpp"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace gridplan::bench {

City read_city(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("reading city '" + path + "': cannot open file");
    }
    City city;
    std::vector<Community> communities;
    {
        const nlohmann::json doc = nlohmann::json::parse(in);
        city.seed = doc.value("seed", std::int64_t{0});
        const auto& buildings = doc.at("buildings");
        city.building_count = buildings.size();
        for (const auto& c : doc.at("communities")) {
            Community cm;
            cm.id = c.at("id").get<std::int64_t>();
            const auto& members = c.at("members");
            const std::size_t n = members.size();
            cm.members.reserve(n);
            cm.households.reserve(n);
            cm.x_m.reserve(n);
            cm.y_m.reserve(n);
            cm.block.reserve(n);
            for (const auto& m : members) {
                const auto gi = m.get<std::uint32_t>();
                if (gi >= buildings.size()) {
                    throw std::runtime_error("reading city '" + path + "': community " +
                                             std::to_string(cm.id) + " names building " +
                                             std::to_string(gi) + " that does not exist");
                }
                const auto& b = buildings[gi];
                cm.members.push_back(gi);
                cm.households.push_back(b.at("hh").get<std::int32_t>());
                cm.x_m.push_back(b.at("x").get<double>());
                cm.y_m.push_back(b.at("y").get<double>());
                cm.block.push_back(b.at("block").get<std::int64_t>());
                cm.total_households += cm.households.back();
            }
            const auto& bb = c.at("bbox");
            for (std::size_t i = 0; i < 4; ++i) {
                cm.bbox_m[i] = bb.at(i).get<double>();
            }
            // Adjacency lists in the harness's insertion order, then CSR.
            const auto& edges = c.at("edges");
            std::vector<std::int32_t> degree(n, 0);
            for (const auto& e : edges) {
                const auto a = e.at(0).get<std::size_t>();
                const auto b = e.at(1).get<std::size_t>();
                if (a >= n || b >= n || a == b) {
                    throw std::runtime_error("reading city '" + path + "': community " +
                                             std::to_string(cm.id) + " has a bad edge");
                }
                ++degree[a];
                ++degree[b];
            }
            cm.xadj.assign(n + 1, 0);
            for (std::size_t v = 0; v < n; ++v) {
                cm.xadj[v + 1] = cm.xadj[v] + degree[v];
            }
            cm.adjncy.assign(static_cast<std::size_t>(cm.xadj[n]), 0);
            cm.adjcost.assign(cm.adjncy.size(), 0);
            std::vector<std::int32_t> fill(cm.xadj.begin(), cm.xadj.end() - 1);
            for (const auto& e : edges) {
                const auto a = e.at(0).get<std::int32_t>();
                const auto b = e.at(1).get<std::int32_t>();
                const auto w = e.at(2).get<std::int32_t>();
                const auto ia = static_cast<std::size_t>(fill[static_cast<std::size_t>(a)]++);
                cm.adjncy[ia] = b;
                cm.adjcost[ia] = w;
                const auto ib = static_cast<std::size_t>(fill[static_cast<std::size_t>(b)]++);
                cm.adjncy[ib] = a;
                cm.adjcost[ib] = w;
            }
            city.total_households += cm.total_households;
            communities.push_back(std::move(cm));
        }
    }  // the JSON document is freed here
    city.communities = std::move(communities);
    return city;
}

}  // namespace gridplan::bench

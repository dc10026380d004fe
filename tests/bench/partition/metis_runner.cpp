#include <stdexcept>

#include <metis.h>

#include "runners.hpp"

namespace gridplan::bench {

CityParts run_metis(const City& city, const std::vector<std::uint32_t>& k,
                    std::uint32_t& fallbacks) {
    static_assert(sizeof(idx_t) == sizeof(std::int32_t), "libmetis-dev is built with 32-bit idx_t");
    CityParts parts(city.communities.size());
    fallbacks = 0;
    for (std::size_t c = 0; c < city.communities.size(); ++c) {
        const Community& cm = city.communities[c];
        auto& part = parts[c];
        part.assign(cm.size(), 0);
        if (k[c] <= 1 || cm.size() <= 1) continue;
        idx_t nvtxs = static_cast<idx_t>(cm.size());
        idx_t ncon = 1;
        idx_t nparts = static_cast<idx_t>(k[c]);
        idx_t objval = 0;
        // METIS takes non-const pointers; give it copies.
        std::vector<idx_t> xadj(cm.xadj.begin(), cm.xadj.end());
        std::vector<idx_t> adjncy(cm.adjncy.begin(), cm.adjncy.end());
        std::vector<idx_t> adjwgt(cm.adjcost.begin(), cm.adjcost.end());
        std::vector<idx_t> vwgt(cm.households.begin(), cm.households.end());
        idx_t options[METIS_NOPTIONS];
        METIS_SetDefaultOptions(options);
        options[METIS_OPTION_OBJTYPE] = METIS_OBJTYPE_CUT;
        options[METIS_OPTION_CTYPE] = METIS_CTYPE_SHEM;
        options[METIS_OPTION_NO2HOP] = 0;
        options[METIS_OPTION_MINCONN] = 0;
        options[METIS_OPTION_CONTIG] = 1;
        options[METIS_OPTION_SEED] = 1;
        options[METIS_OPTION_NITER] = 10;
        options[METIS_OPTION_NCUTS] = 1;
        options[METIS_OPTION_UFACTOR] = 30;
        options[METIS_OPTION_NUMBERING] = 0;
        int rc = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(),
                                     nullptr, adjwgt.data(), &nparts, nullptr, nullptr, options,
                                     &objval, part.data());
        if (rc != METIS_OK) {
            ++fallbacks;
            options[METIS_OPTION_CONTIG] = 0;
            rc = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(),
                                     nullptr, adjwgt.data(), &nparts, nullptr, nullptr, options,
                                     &objval, part.data());
        }
        if (rc != METIS_OK) {
            throw std::runtime_error("running METIS on community " + std::to_string(cm.id) +
                                     ": METIS_PartGraphKway returned " + std::to_string(rc));
        }
    }
    return parts;
}

}  // namespace gridplan::bench

/// \file
/// LP relaxation (CLP) and branch-and-cut (CBC) for the presolved siting model.
/// The only file of the engine that includes COIN-OR headers.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <coin/CbcEventHandler.hpp>
#include <coin/CbcModel.hpp>
#include <coin/CbcStrategy.hpp>
#include <coin/CoinMessageHandler.hpp>
#include <coin/ClpEventHandler.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <coin/OsiClpSolverInterface.hpp>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/text.hpp"
#include "siting/detail/reduced.hpp"

namespace gridplan::siting::detail {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Stops CLP's simplex at its next iteration once Ctrl-C or SIGTERM arrived (issue 17 item 4):
/// the solve returns and solve_mip throws Errc::interrupted instead of the CLI's forced exit.
class ClpInterrupt final : public ClpEventHandler {
public:
    int event(Event which) override {
        return which == endOfIteration && core::interrupt_signal() != 0 ? 0 : -1;
    }
    [[nodiscard]] ClpEventHandler* clone() const override { return new ClpInterrupt(*this); }
};

/// The same for CBC's branch-and-cut, checked at every node and heuristic pass.
class CbcInterrupt final : public CbcEventHandler {
public:
    CbcAction event(CbcEvent /*which*/) override {
        return core::interrupt_signal() != 0 ? stop : noAction;
    }
    [[nodiscard]] CbcEventHandler* clone() const override { return new CbcInterrupt(*this); }
};

/// Row-wise sparse builder for the constraint matrix.
class RowBuilder {
public:
    void add(int column, double value) {
        index_.push_back(column);
        value_.push_back(value);
    }
    void close(double lower, double upper) {
        start_.push_back(static_cast<CoinBigIndex>(index_.size()));
        lower_.push_back(lower);
        upper_.push_back(upper);
    }
    [[nodiscard]] int rows() const { return static_cast<int>(lower_.size()); }

    void load(OsiSolverInterface& solver,
              int columns,
              const std::vector<double>& col_lower,
              const std::vector<double>& col_upper,
              const std::vector<double>& objective) const {
        std::vector<int> length(lower_.size());
        for (std::size_t r = 0; r < lower_.size(); ++r) {
            length[r] = static_cast<int>(start_[r + 1] - start_[r]);
        }
        const CoinPackedMatrix matrix(false,
                                      columns,
                                      rows(),
                                      static_cast<CoinBigIndex>(index_.size()),
                                      value_.data(),
                                      index_.data(),
                                      start_.data(),
                                      length.data());
        solver.loadProblem(matrix,
                           col_lower.data(),
                           col_upper.data(),
                           objective.data(),
                           lower_.data(),
                           upper_.data());
    }

private:
    std::vector<int> index_;
    std::vector<double> value_;
    std::vector<CoinBigIndex> start_{0};
    std::vector<double> lower_, upper_;
};

constexpr double kInf = std::numeric_limits<double>::max();

/// The MIP in CBC's minimisation sense. Columns: x_j (binary) then y_k (uncapacitated) or z_e per
/// (group, candidate) pair (capacitated).
struct Model {
    int columns = 0;
    std::vector<double> col_lower, col_upper, objective;
    std::vector<int> integers;
    RowBuilder rows;
    double sign = 1;  ///< internal objective = sign * problem objective
};

Model build(const MipInput& in) {
    const Reduced& r = *in.model;
    const int m = static_cast<int>(r.candidates());
    const int n_groups = static_cast<int>(r.groups());
    const int nnz = static_cast<int>(r.grp_cand.size());
    const bool maximise = in.problem != Problem::min_stations_for_target;
    Model model;
    model.sign = maximise ? -1.0 : 1.0;
    model.columns = m + (in.capacitated ? nnz : n_groups);
    model.col_lower.assign(static_cast<std::size_t>(model.columns), 0.0);
    model.col_upper.assign(static_cast<std::size_t>(model.columns), 1.0);
    model.objective.assign(static_cast<std::size_t>(model.columns), 0.0);
    for (int j = 0; j < m; ++j) {
        model.integers.push_back(j);
        if (!maximise)
            model.objective[static_cast<std::size_t>(j)] = 1.0;
    }
    RowBuilder& rows = model.rows;
    // Coverage weight row (min stations) is assembled alongside.
    std::vector<std::pair<int, double>> weight_row;
    if (!in.capacitated) {
        for (int k = 0; k < n_groups; ++k) {
            const int y = m + k;
            const auto uk = static_cast<std::size_t>(k);
            if (maximise)
                model.objective[static_cast<std::size_t>(y)] = -r.weight[uk];
            weight_row.emplace_back(y, r.weight[uk]);
            if (r.need[uk] >= 2)
                model.integers.push_back(y);
            // need_k * y_k - sum_{j covers k} x_j <= 0
            rows.add(y, static_cast<double>(r.need[uk]));
            for (std::uint32_t e = r.grp_off[uk]; e < r.grp_off[uk + 1]; ++e) {
                rows.add(static_cast<int>(r.grp_cand[e]), -1.0);
            }
            rows.close(-kInf, 0.0);
        }
    } else {
        // per group: sum_e z_e <= 1; per pair: z_e <= x_j; per capacitated j: sum W z <= C x
        std::vector<std::vector<std::pair<int, double>>> capacity_rows(static_cast<std::size_t>(m));
        for (int k = 0; k < n_groups; ++k) {
            const auto uk = static_cast<std::size_t>(k);
            for (std::uint32_t e = r.grp_off[uk]; e < r.grp_off[uk + 1]; ++e) {
                const int z = m + static_cast<int>(e);
                if (maximise)
                    model.objective[static_cast<std::size_t>(z)] = -r.weight[uk];
                weight_row.emplace_back(z, r.weight[uk]);
                rows.add(z, 1.0);
                const std::uint32_t j = r.grp_cand[e];
                if (r.capacity[j] > 0)
                    capacity_rows[j].emplace_back(z, r.weight[uk]);
            }
            rows.close(-kInf, 1.0);
            for (std::uint32_t e = r.grp_off[uk]; e < r.grp_off[uk + 1]; ++e) {
                rows.add(m + static_cast<int>(e), 1.0);
                rows.add(static_cast<int>(r.grp_cand[e]), -1.0);
                rows.close(-kInf, 0.0);
            }
        }
        for (int j = 0; j < m; ++j) {
            const auto uj = static_cast<std::size_t>(j);
            if (r.capacity[uj] <= 0 || capacity_rows[uj].empty())
                continue;
            for (const auto& [z, w] : capacity_rows[uj])
                rows.add(z, w);
            rows.add(j, -r.capacity[uj]);
            rows.close(-kInf, 0.0);
        }
    }
    if (maximise) {
        for (int j = 0; j < m; ++j)
            rows.add(j, 1.0);
        rows.close(-kInf, static_cast<double>(in.p));
    } else {
        for (const auto& [c, w] : weight_row)
            rows.add(c, w);
        rows.close(r.target, kInf);
    }
    // min spacing: x_a + x_b <= 1 for conflicting pairs (each pair once)
    for (int a = 0; a < m; ++a) {
        const auto ua = static_cast<std::size_t>(a);
        for (std::uint32_t e = r.conflict_off[ua]; e < r.conflict_off[ua + 1]; ++e) {
            const int b = static_cast<int>(r.conflict[e]);
            if (b <= a)
                continue;
            rows.add(a, 1.0);
            rows.add(b, 1.0);
            rows.close(-kInf, 1.0);
        }
    }
    // max spacing: x_j <= sum_{k near j} x_k unless an existing station is near j
    if (r.max_spacing) {
        for (int j = 0; j < m; ++j) {
            const auto uj = static_cast<std::size_t>(j);
            if (r.near_existing[uj] != 0)
                continue;
            rows.add(j, 1.0);
            for (std::uint32_t e = r.near_off[uj]; e < r.near_off[uj + 1]; ++e) {
                rows.add(static_cast<int>(r.near[e]), -1.0);
            }
            rows.close(-kInf, 0.0);
        }
    }
    return model;
}

void silence(OsiClpSolverInterface& solver) {
    solver.messageHandler()->setLogLevel(0);
    solver.getModelPtr()->messageHandler()->setLogLevel(0);
    solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
}

/// Full column vector for a heuristic start.
std::vector<double> start_vector(const MipInput& in, int columns) {
    const Reduced& r = *in.model;
    const std::size_t m = r.candidates();
    std::vector<double> x(static_cast<std::size_t>(columns), 0.0);
    std::vector<std::uint32_t> count(r.groups(), 0);
    for (const std::uint32_t j : *in.start) {
        x[j] = 1.0;
        for (std::uint32_t e = r.cand_off[j]; e < r.cand_off[j + 1]; ++e)
            ++count[r.cand_grp[e]];
    }
    if (!in.capacitated) {
        for (std::size_t k = 0; k < r.groups(); ++k)
            x[m + k] = count[k] >= r.need[k] ? 1.0 : 0.0;
    } else {
        for (std::size_t e = 0; e < in.start_served_flow.size(); ++e)
            x[m + e] = in.start_served_flow[e];
    }
    return x;
}

}  // namespace

void throw_safety_stop(std::uint64_t max_nodes, double time_limit_s) {
    throw core::Error{
        core::Errc::usage,
        "siting: the wall-clock safety stop (time_limit_s = " + core::fixed(time_limit_s, 3) +
            " s) came before the work limit (max_nodes = " + std::to_string(max_nodes) +
            "); the answer would depend on the machine's speed (raise "
            "siting.time_limit_s, or lower siting.max_nodes)"};
}

MipAnswer solve_mip(MipInput in) {
    core::require_invariant(in.model != nullptr, "siting mip without a model");
    const Reduced& r = *in.model;
    const bool maximise = in.problem != Problem::min_stations_for_target;
    MipAnswer out;
    const auto lp_start = Clock::now();
    Model model = build(in);

    OsiClpSolverInterface solver;
    silence(solver);
    model.rows.load(solver, model.columns, model.col_lower, model.col_upper, model.objective);
    solver.setObjSense(1.0);
    silence(solver);
    if (in.time_limit_s > 0) {  // the safety stop bounds the LP relaxation too (issue 17 item 4)
        solver.getModelPtr()->setMaximumWallSeconds(
            std::max(0.05, in.time_limit_s - seconds_since(lp_start)));
    }
    const ClpInterrupt clp_interrupt;
    solver.getModelPtr()->passInEventHandler(&clp_interrupt);  // CLP keeps a clone
    solver.initialSolve();
    core::throw_if_interrupted();
    solver.getModelPtr()->setMaximumWallSeconds(-1.0);  // none: branch-and-cut has its own
    out.lp_s = seconds_since(lp_start);
    if (in.time_limit_s > 0 && !solver.isProvenOptimal() &&
        (solver.isIterationLimitReached() || out.lp_s >= in.time_limit_s)) {
        throw_safety_stop(in.max_nodes, in.configured_limit_s);
    }
    if (!solver.isProvenOptimal()) {
        out.status = solver.isProvenPrimalInfeasible() ? "infeasible" : "lp failed";
        out.infeasible = solver.isProvenPrimalInfeasible();
        return out;
    }
    out.lp_solved = true;
    double lp = model.sign * solver.getObjValue();
    if (!maximise)
        lp = std::ceil(lp - 1e-6);  // integral objective: round the lower bound up
    out.lp_bound = lp;
    out.bound = lp;

    const double tolerance = 1e-9 * std::max(1.0, std::abs(lp));
    if (in.polish) {
        const double* x = solver.getColSolution();
        const std::vector<double> lp_x(x, x + r.candidates());
        if (auto better = in.polish(lp_x)) {
            const bool improves =
                !in.start || (maximise ? better->second > in.start_value + tolerance
                                       : better->second < in.start_value - 0.5);
            if (improves) {
                in.start = std::move(better->first);
                in.start_value = better->second;
            }
        }
        out.lp_s = seconds_since(lp_start);
    }
    const bool have_start = in.start.has_value();
    if (have_start) {
        out.have_solution = true;
        out.chosen = *in.start;
        out.incumbent = in.start_value;
        const double gap = maximise ? lp - in.start_value : in.start_value - lp;
        if (gap <= tolerance) {  // the heuristic meets the LP bound: proven optimal
            out.bound = in.start_value;
            out.optimal = true;
            out.status = "optimal";
            return out;
        }
    }
    if (in.max_nodes == 0) {
        out.status = "heuristic";
        return out;
    }

    for (const int c : model.integers)
        solver.setInteger(c);
    const auto mip_start = Clock::now();
    CbcModel cbc(solver);
    cbc.setLogLevel(0);
    cbc.messageHandler()->setLogLevel(0);
    silence(*dynamic_cast<OsiClpSolverInterface*>(cbc.solver()));
    CbcStrategyDefault strategy(1, 5, 5, 0);
    cbc.setStrategy(strategy);
    cbc.setNumberThreads(0);
    cbc.setRandomSeed(12345);
    cbc.setMaximumNodes(
        static_cast<int>(std::min<std::uint64_t>(in.max_nodes, std::numeric_limits<int>::max())));
    if (in.time_limit_s > 0) {  // safety stop only: reaching it throws below
        cbc.setUseElapsedTime(true);
        cbc.setMaximumSeconds(std::max(0.05, in.time_limit_s - seconds_since(lp_start)));
    }
    cbc.setAllowableFractionGap(std::max(0.0, in.gap_tolerance));
    cbc.setAllowableGap(maximise ? 1e-7 : 0.5);  // min count: integral objective
    if (have_start) {
        const std::vector<double> x = start_vector(in, model.columns);
        cbc.setBestSolution(x.data(), model.columns, model.sign * in.start_value, true);
    }
    const CbcInterrupt cbc_interrupt;
    cbc.passInEventHandler(&cbc_interrupt);  // CBC keeps a clone
    cbc.branchAndBound();
    core::throw_if_interrupted();
    out.ran_mip = true;
    out.mip_s = seconds_since(mip_start);
    if (cbc.isSecondsLimitReached())
        throw_safety_stop(in.max_nodes, in.configured_limit_s);

    const double* best = cbc.bestSolution();
    if (best != nullptr) {
        const double value = model.sign * cbc.getObjValue();
        const bool better = !have_start || (maximise ? value > in.start_value + tolerance
                                                     : value < in.start_value - 0.5);
        if (better) {
            out.have_solution = true;
            out.incumbent = value;
            out.chosen.clear();
            out.served.clear();
            for (std::size_t j = 0; j < r.candidates(); ++j) {
                if (best[j] > 0.5)
                    out.chosen.push_back(static_cast<std::uint32_t>(j));
            }
        }
        if (in.capacitated && out.have_solution && better) {
            std::vector<double> served(r.candidates(), 0.0);
            for (std::size_t k = 0; k < r.groups(); ++k) {
                for (std::uint32_t e = r.grp_off[k]; e < r.grp_off[k + 1]; ++e) {
                    served[r.grp_cand[e]] += r.weight[k] * best[r.candidates() + e];
                }
            }
            for (const std::uint32_t j : out.chosen)
                out.served.push_back(served[j]);
        }
    }
    double bound = model.sign * cbc.getBestPossibleObjValue();
    if (!maximise)
        bound = std::ceil(bound - 1e-6);
    // The bound can only tighten the LP bound.
    out.bound = maximise ? std::min(out.lp_bound, bound) : std::max(out.lp_bound, bound);
    if (cbc.isProvenInfeasible() && !out.have_solution) {
        out.infeasible = true;
        out.status = "infeasible";
        return out;
    }
    if (cbc.isProvenOptimal() && out.have_solution) {
        out.optimal = true;
        out.status = "optimal";
        // CBC proves optimality within its allowable gaps; report the bound it proved.
        if (in.gap_tolerance <= 0)
            out.bound = out.incumbent;
    } else {
        out.status = cbc.isNodeLimitReached() ? "work limit" : "stopped";
    }
    if (out.have_solution) {
        out.bound =
            maximise ? std::max(out.bound, out.incumbent) : std::min(out.bound, out.incumbent);
    }
    return out;
}

}  // namespace gridplan::siting::detail

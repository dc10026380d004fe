// bench_partition: gridplan's partition engine against METIS 5.1 on identical per-community
// graphs of a synthetic city. See tests/bench/partition/README in run.sh for how to run it.
// Speed claims of the partition engine live here, never in unit tests.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>


#include <sys/resource.h>

#include "city.hpp"
#include "metrics.hpp"
#include "runners.hpp"

namespace gb = gridplan::bench;
namespace gp = gridplan::partition;

namespace {

struct Args {
    std::vector<std::string> cities;
    std::vector<std::string> methods{"metis", "gridplan"};
    unsigned runs = 3;
    unsigned threads = 2;
    bool memory = false;     ///< also measure the engine's own peak RSS (VmHWM reset)
    bool determinism = true; ///< compare 1-thread and N-thread assignment hashes
    bool per_community = false;
    bool with_cells = true;  ///< give the engine Voronoi cell areas/perimeters/shared lengths
    bool check = false;      ///< exit 3 unless gridplan's grids are connected and deterministic
    bool harness_k = false;  ///< k by harness.py's rule instead of the engine's choose_k
};

void usage() {
    std::cerr << "usage: bench_partition [--methods metis,gridplan] [--runs N] [--threads N]\n"
                 "                       [--memory] [--no-determinism] [--per-community] [--no-cells]\n"
                 "                       [--check] [--harness-k]\n"
                 "                       CITY.json...\n";
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error("option " + s + " needs a value");
            return argv[++i];
        };
        if (s == "--methods") {
            a.methods.clear();
            std::stringstream ss(next());
            std::string m;
            while (std::getline(ss, m, ',')) a.methods.push_back(m);
        } else if (s == "--runs") {
            a.runs = static_cast<unsigned>(std::stoul(next()));
        } else if (s == "--threads") {
            a.threads = static_cast<unsigned>(std::stoul(next()));
        } else if (s == "--memory") {
            a.memory = true;
        } else if (s == "--no-determinism") {
            a.determinism = false;
        } else if (s == "--harness-k") {
            a.harness_k = true;
        } else if (s == "--check") {
            a.check = true;
        } else if (s == "--no-cells") {
            a.with_cells = false;
        } else if (s == "--per-community") {
            a.per_community = true;
        } else if (s == "-h" || s == "--help") {
            usage();
            std::exit(0);
        } else if (!s.empty() && s[0] == '-') {
            throw std::runtime_error("unknown option " + s);
        } else {
            a.cities.push_back(s);
        }
    }
    if (a.cities.empty()) throw std::runtime_error("no city file given");
    if (a.runs == 0) a.runs = 1;
    return a;
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// CPU time (user + system) of the whole process so far, in seconds.
double cpu_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string join(const std::vector<double>& v) {
    std::string out;
    char buf[32];
    for (double x : v) {
        std::snprintf(buf, sizeof buf, "%s%.2f", out.empty() ? "" : "/", x);
        out += buf;
    }
    return out;
}

/// FNV-1a 64 of the city-wide assignment: (community index, label) per building, building order.
std::uint64_t assignment_hash(const gb::City& city, const gb::CityParts& parts) {
    std::vector<std::uint64_t> global(city.building_count, ~std::uint64_t{0});
    for (std::size_t c = 0; c < city.communities.size(); ++c) {
        const auto& cm = city.communities[c];
        for (std::size_t v = 0; v < cm.size(); ++v) {
            global[cm.members[v]] = (static_cast<std::uint64_t>(c) << 32) |
                                    static_cast<std::uint32_t>(parts[c][v]);
        }
    }
    std::uint64_t h = 1469598103934665603ULL;
    for (std::uint64_t x : global) {
        for (int b = 0; b < 8; ++b) {
            h ^= (x >> (8 * b)) & 0xffU;
            h *= 1099511628211ULL;
        }
    }
    return h;
}

/// Peak resident set of this process in MiB (VmHWM), or -1 when /proc is unavailable.
double peak_rss_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    return -1;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0); returns false when not permitted.
bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out);
}

std::string pct(double x, int decimals = 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * x);
    return buf;
}

void print_table(const std::vector<gb::Summary>& rows) {
    std::printf("| %-18s | %6s | %15s | %9s | %8s | %6s | %6s | %6s | %8s | %7s | %9s | %8s |\n",
                "method", "grids", "in [300,500]", "worst dev", "mean dev", "discon",
                "blk spl", "out", "cut cost", "mean PP", "wall s", "CPU s");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "--------------------", "--------",
                "-----------------", "-----------", "----------", "--------", "--------",
                "--------", "----------", "---------", "-----------", "----------");
    for (const auto& r : rows) {
        char inband[64];
        std::snprintf(inband, sizeof inband, "%llu (%s)",
                      static_cast<unsigned long long>(r.in_band),
                      pct(r.grids ? static_cast<double>(r.in_band) / r.grids : 0, 2).c_str());
        char out[32];
        std::snprintf(out, sizeof out, "%llu/%llu", static_cast<unsigned long long>(r.below),
                      static_cast<unsigned long long>(r.above));
        std::printf("| %-18s | %6llu | %15s | %9s | %8s | %6llu | %6llu | %6s | %8lld | %7.3f | %9.3f | %8.3f |\n",
                    r.method.c_str(), static_cast<unsigned long long>(r.grids), inband,
                    pct(r.max_deviation).c_str(), pct(r.mean_deviation, 2).c_str(),
                    static_cast<unsigned long long>(r.disconnected),
                    static_cast<unsigned long long>(r.blocks_split), out,
                    static_cast<long long>(r.cut_cost), r.mean_pp, r.wall_s, r.cpu_s);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    try {
        args = parse_args(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_partition: " << e.what() << "\n";
        usage();
        return 2;
    }
    const gb::BandSpec band;
    bool check_failed = false;
    try {
        for (const auto& path : args.cities) {
            const double t_read = now_s();
            const gb::City city = gb::read_city(path);
            std::size_t units = 0, arcs = 0;
            for (const auto& cm : city.communities) {
                units += cm.size();
                arcs += cm.adjncy.size();
            }
            std::printf("\n## %s\n", path.c_str());
            std::printf("communities=%zu units=%zu edges=%zu households=%lld read=%.2fs "
                        "peak RSS after read=%.0f MiB\n",
                        city.communities.size(), units, arcs / 2,
                        static_cast<long long>(city.total_households), now_s() - t_read,
                        peak_rss_mib());

            // The same k for every method: the gridplan engine's default policy, checked
            // against the Python harness's rule.
            std::vector<std::uint32_t> k(city.communities.size());
            std::size_t k_mismatch = 0;
            std::uint64_t k_sum = 0;
            for (std::size_t c = 0; c < k.size(); ++c) {
                const auto H = static_cast<double>(city.communities[c].total_households);
                const std::uint32_t k_engine =
                    gp::choose_k(H, gp::Band{}, gp::KPolicy::closest_to_band_middle);
                const std::uint32_t k_harness =
                    gb::harness_k(city.communities[c].total_households, band);
                if (k_engine != k_harness) {
                    ++k_mismatch;
                    std::printf("k: community %lld H=%.0f engine choose_k=%u, harness rule=%u\n",
                                static_cast<long long>(city.communities[c].id), H, k_engine,
                                k_harness);
                }
                k[c] = args.harness_k ? k_harness : k_engine;
                k_sum += k[c];
            }
            std::printf("k: %s rule, sum %llu grids requested; engine choose_k and harness.py's "
                        "rule differ in %zu communities\n",
                        args.harness_k ? "harness.py" : "engine choose_k",
                        static_cast<unsigned long long>(k_sum), k_mismatch);
            std::uint64_t contiguity_certified = 0;
            std::vector<gb::VoronoiCells> cells;
            std::vector<gb::Certificate> certs;
            cells.reserve(k.size());
            certs.reserve(k.size());
            for (std::size_t c = 0; c < k.size(); ++c) {
                cells.push_back(gb::voronoi_cells(city.communities[c]));
                certs.push_back(gb::certify_band(city.communities[c].households, k[c], band));
                // tiny communities: the exact bound with contiguity can only be stronger
                if (certs.back().status != gb::Certificate::Status::infeasible) {
                    const auto exact = gb::exact_min_out_of_band(city.communities[c], k[c], band);
                    if (exact && *exact > 0) {
                        certs.back().status = gb::Certificate::Status::infeasible;
                        certs.back().min_out_of_band = std::min(*exact, k[c]);
                        ++contiguity_certified;
                    } else if (exact) {
                        certs.back().status = gb::Certificate::Status::feasible;
                    }
                }
            }

            std::vector<gb::Summary> rows;
            std::vector<std::pair<std::string, std::vector<gb::CommunityScore>>> method_scores;
            std::vector<std::pair<double, double>> method_times;  // wall, CPU
            std::uint64_t engine_certified = 0;
            for (const auto& method : args.methods) {
                gb::CityParts parts;
                std::vector<double> times;
                std::vector<double> cpus;
                std::string note;
                if (method == "metis") {
                    for (unsigned r = 0; r < args.runs; ++r) {
                        std::uint32_t fallbacks = 0;
                        const double t0 = now_s();
                        const double c0 = cpu_s();
                        parts = gb::run_metis(city, k, fallbacks);
                        times.push_back(now_s() - t0);
                        cpus.push_back(cpu_s() - c0);
                        if (fallbacks) note = std::to_string(fallbacks) + " communities without contig";
                    }
                    std::printf("metis (serial, 1 thread): wall %s s; assignment hash "
                                "%016llx%s%s\n",
                                join(times).c_str(),
                                static_cast<unsigned long long>(assignment_hash(city, parts)),
                                note.empty() ? "" : "; ", note.c_str());
                } else if (method == "gridplan") {
                    const auto graphs =
                        gb::build_unit_graphs(city, args.with_cells ? &cells : nullptr);
                    const gp::OptimiserOptions options{.max_population = std::nullopt};
                    gb::GridplanRun run;
                    double rss_mib = -1;
                    std::vector<double> cpu;
                    for (unsigned r = 0; r < args.runs; ++r) {
                        const bool measure = args.memory && r == 0 && reset_peak_rss();
                        const double t0 = now_s();
                        const double c0 = cpu_s();
                        run = gb::run_gridplan(graphs, k, args.threads, options);
                        times.push_back(now_s() - t0);
                        cpu.push_back(cpu_s() - c0);
                        cpus.push_back(cpu.back());
                        if (measure) rss_mib = peak_rss_mib();
                    }
                    parts = run.parts;
                    const std::uint64_t hash_n = assignment_hash(city, parts);
                    std::printf("gridplan (%u threads): wall %s s, CPU %s s (runs, in order); "
                                "assignment hash %016llx",
                                args.threads, join(times).c_str(), join(cpu).c_str(),
                                static_cast<unsigned long long>(hash_n));
                    if (rss_mib >= 0) {
                        std::printf("; peak RSS during partition %.0f MiB", rss_mib);
                    }
                    std::printf("\n");
                    if (args.determinism) {
                        std::vector<double> times1, cpu1;
                        gb::GridplanRun run1;
                        for (unsigned r = 0; r < args.runs; ++r) {
                            const double t0 = now_s();
                            const double c0 = cpu_s();
                            run1 = gb::run_gridplan(graphs, k, 1, options);
                            times1.push_back(now_s() - t0);
                            cpu1.push_back(cpu_s() - c0);
                        }
                        const std::uint64_t hash_1 = assignment_hash(city, run1.parts);
                        std::printf("gridplan (1 thread):  wall %s s, CPU %s s; assignment hash "
                                    "%016llx -> %s\n",
                                    join(times1).c_str(), join(cpu1).c_str(),
                                    static_cast<unsigned long long>(hash_1),
                                    hash_1 == hash_n ? "IDENTICAL" : "DIFFERENT");
                        check_failed = check_failed || hash_1 != hash_n;
                    }
                    {  // the slowest communities (where the time goes)
                        std::vector<std::size_t> order(run.seconds.size());
                        for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
                        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                            return run.seconds[a] > run.seconds[b] ||
                                   (run.seconds[a] == run.seconds[b] && a < b);
                        });
                        double total = 0;
                        for (double t : run.seconds) total += t;
                        std::printf("gridplan time: sum over communities %.3f s; slowest:", total);
                        for (std::size_t i = 0; i < std::min<std::size_t>(5, order.size()); ++i) {
                            const std::size_t c = order[i];
                            std::printf(" [community %lld: %zu units, k=%u, %.3f s]",
                                        static_cast<long long>(city.communities[c].id),
                                        city.communities[c].size(), k[c], run.seconds[c]);
                        }
                        std::printf("\n");
                    }
                    // The engine's own certificate and metrics, as a cross-check of ours.
                    std::uint64_t eng_infeasible = 0, eng_min_out = 0, eng_disc = 0,
                                  eng_split = 0, eng_extra_k = 0, eng_out = 0, eng_explained = 0;
                    double eng_dev_lb = 0;
                    for (std::size_t c = 0; c < run.results.size(); ++c) {
                        const auto& res = run.results[c];
                        eng_infeasible += res.certificate.band_feasible ? 0 : 1;
                        // A contiguity-aware proof of the engine (exhaustive enumeration of
                        // connected splits) is a property of the instance: it certifies the
                        // community for every method's row.
                        if (res.certificate.connected_proof &&
                            certs[c].status != gb::Certificate::Status::infeasible) {
                            certs[c].status = gb::Certificate::Status::infeasible;
                            certs[c].min_out_of_band =
                                std::max<std::uint32_t>(1, res.certificate.min_out_of_band);
                            ++engine_certified;
                        }
                        eng_min_out += res.certificate.min_out_of_band;
                        eng_dev_lb = std::max(eng_dev_lb, res.certificate.deviation_lower_bound);
                        eng_disc += res.metrics.disconnected;
                        eng_split += res.metrics.blocks_split;
                        eng_extra_k += res.k > k[c] ? res.k - k[c] : 0;
                        const std::uint64_t out = res.metrics.parts - res.metrics.in_band;
                        eng_out += out;
                        eng_explained +=
                            std::min<std::uint64_t>(out, res.certificate.min_out_of_band);
                    }
                    std::printf("gridplan engine's own view: certificate proves band infeasible "
                                "in %llu communities (>= %llu grids out of band; largest "
                                "deviation lower bound %s); its metrics: out of band %llu "
                                "(explained %llu), disconnected %llu, blocks split %llu, extra "
                                "grids beyond k %llu\n",
                                static_cast<unsigned long long>(eng_infeasible),
                                static_cast<unsigned long long>(eng_min_out),
                                pct(eng_dev_lb).c_str(), static_cast<unsigned long long>(eng_out),
                                static_cast<unsigned long long>(eng_explained),
                                static_cast<unsigned long long>(eng_disc),
                                static_cast<unsigned long long>(eng_split),
                                static_cast<unsigned long long>(eng_extra_k));
                } else {
                    std::cerr << "bench_partition: unknown method '" << method << "' skipped\n";
                    continue;
                }
                std::vector<gb::CommunityScore> scores;
                scores.reserve(k.size());
                for (std::size_t c = 0; c < k.size(); ++c) {
                    scores.push_back(
                        gb::score_community(city.communities[c], cells[c], parts[c], k[c], band));
                }
                method_scores.emplace_back(method, scores);
                method_times.emplace_back(median(times), median(cpus));
                if (args.per_community && method == "gridplan") {
                    for (const auto& s : scores) {
                        if (s.below_band + s.above_band == 0 && s.disconnected == 0) continue;
                        std::printf("  %s community %lld: k=%u H=", method.c_str(),
                                    static_cast<long long>(s.community_id), s.k_requested);
                        double H = 0;
                        for (double h : s.grid_households) H += h;
                        std::printf("%.0f grids=", H);
                        for (double h : s.grid_households) std::printf("%.0f ", h);
                        std::printf("disconnected=%u\n", s.disconnected);
                    }
                }
            }
            // Summaries after every method ran, so that all rows use the same certificates.
            for (std::size_t i = 0; i < method_scores.size(); ++i) {
                rows.push_back(gb::summarize(method_scores[i].first, method_scores[i].second,
                                             certs, method_times[i].first));
                rows.back().cpu_s = method_times[i].second;
                if (rows.back().method == "gridplan") {
                    check_failed = check_failed || rows.back().disconnected > 0 ||
                                   rows.back().grids < k_sum;
                }
            }
            std::printf("\n");
            print_table(rows);
            // One machine-readable line per row, for run.sh's combined table.
            std::string city_name = path.substr(path.find_last_of('/') + 1);
            city_name = city_name.substr(0, city_name.find('.'));
            for (const auto& r : rows) {
                std::printf("ROW\t%s\t%s\t%llu\t%.2f%%\t%llu\t%s\t%s\t%llu\t%llu\t%.3f\t%.2f\t%.2f\n",
                            city_name.c_str(), r.method.c_str(),
                            static_cast<unsigned long long>(r.grids),
                            r.grids ? 100.0 * static_cast<double>(r.in_band) / r.grids : 0.0,
                            static_cast<unsigned long long>(r.out_of_band - r.out_of_band_certified),
                            pct(r.max_deviation).c_str(), pct(r.mean_deviation, 2).c_str(),
                            static_cast<unsigned long long>(r.disconnected),
                            static_cast<unsigned long long>(r.blocks_split), r.mean_pp, r.wall_s,
                            r.cpu_s);
            }
            std::printf("\n(wall s = median of %u runs; 'out' = grids below/above the band; "
                        "PP = Polsby-Popper of the union of the units' Voronoi cells clipped to "
                        "the community bbox)\n",
                        args.runs);
            std::uint64_t certified_comms = 0, certified_min = 0, unknown_comms = 0;
            for (const auto& ce : certs) {
                certified_comms += ce.status == gb::Certificate::Status::infeasible;
                unknown_comms += ce.status == gb::Certificate::Status::unknown;
                certified_min += ce.min_out_of_band;
            }
            std::printf("certificate (k as used): %llu communities where no k-way split of the "
                        "units meets [300,500] (lower bound %llu out-of-band grids); "
                        "%llu communities undecided; of the certified, %llu by exact "
                        "enumeration of connected splits (communities of <= 12 units), %llu by "
                        "the engine's exact search (no connected in-band split)\n",
                        static_cast<unsigned long long>(certified_comms),
                        static_cast<unsigned long long>(certified_min),
                        static_cast<unsigned long long>(unknown_comms),
                        static_cast<unsigned long long>(contiguity_certified),
                        static_cast<unsigned long long>(engine_certified));
            for (const auto& r : rows) {
                std::printf("  %-10s out-of-band grids %llu, explained by the bound %llu, "
                            "unexplained %llu; worst grid in community %lld\n",
                            r.method.c_str(), static_cast<unsigned long long>(r.out_of_band),
                            static_cast<unsigned long long>(r.out_of_band_certified),
                            static_cast<unsigned long long>(r.out_of_band - r.out_of_band_certified),
                            static_cast<long long>(r.worst_community));
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_partition: " << e.what() << "\n";
        return 1;
    }
    if (args.check && check_failed) {
        std::cerr << "bench_partition: --check failed (disconnected grids, fewer grids than k, "
                     "or 1-thread and N-thread results differ)\n";
        return 3;
    }
    return 0;
}

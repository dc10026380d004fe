// gridplan command-line interface: parses arguments, calls one engine function per command,
// prints the report it returns and maps errors to exit codes (docs/cli.md). All logic lives in
// the engine; this is the only place that catches.
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <new>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "io/json_keys.hpp"
#include "pipeline/commands.hpp"
#include "pipeline/session.hpp"
#include "server.hpp"
#include "terminal.hpp"

namespace {

using gridplan::pipeline::CommandOptions;
using gridplan::pipeline::CommandResult;
using Command = std::function<CommandResult(const CommandOptions&)>;

struct Registered {
    CLI::App* app;
    Command run;
};

/// `serve`: what it needs besides the common options, the adapter's, not the engine's.
struct ServeFlags {
    std::string bind = "127.0.0.1";
    int port = 8765;
};

/// What the CLI itself shows on stderr and the server's address (not passed to the engine).
struct Display {
    bool quiet = false;       ///< --quiet: no progress lines
    bool timings = false;     ///< --timings: one `timing` line per stage after the run
    std::string lang = "zh";  ///< --lang zh|en, to CommandOptions::lang
    ServeFlags serve;         ///< serve --bind, --port
    gridplan::pipeline::LocateInput locate;  ///< locate POINTS and how to read it
};

void add_common(CLI::App& cmd, CommandOptions& options, Display& display, bool writes) {
    // No CLI::ExistingFile check: a missing file is the engine's I/O error (exit 3) in the
    // documented "gridplan: error:" form, like every other file the run cannot open.
    cmd.add_option("CONFIG", options.config, "run configuration file (JSON, see docs/config.md)")
        ->required();
    cmd.add_flag("--strict", options.strict, "turn the first data problem into an error");
    cmd.add_option("--threads", options.threads, "worker threads (0 = all cores)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--encoding",
                   options.encoding,
                   "attribute encoding of Shapefile inputs without .cpg (e.g. CP936)")
        ->check(CLI::Validator(
            [](const std::string& name) {
                return gridplan::io::is_known_encoding(name)
                           ? std::string{}
                           : "'" + name +
                                 "' is not an encoding iconv knows (e.g. CP936, GB18030, UTF-8)";
            },
            "ENCODING"));
    cmd.add_flag("--allow-partial",
                 options.allow_partial,
                 "read on past a corrupt or cut-short input file; each read error becomes a "
                 "ledger row (read_error)");
    cmd.add_flag("-q,--quiet", display.quiet, "no progress lines on the terminal");
    cmd.add_flag("--timings",
                 display.timings,
                 "after the run, print 'timing STAGE WALL_S CPU_S PEAK_MB' per stage on stderr");
    cmd.add_option("--lang",
                   display.lang,
                   "language of the printed report and the CSV headers: zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    if (writes) {
        cmd.add_option("-o,--output", options.output_dir, "output directory")->required();
        cmd.add_flag("--force", options.force, "replace outputs that already exist");
    }
}

/// Set when main's body has ended (the command returned or threw): what is left is the process's
/// own teardown (freeing a loaded city, the leak check of a sanitizer build), which a forced exit
/// would only misreport as "stopped at once".
std::atomic<bool> g_unwound{false};

struct MarkUnwound {
    MarkUnwound() = default;
    MarkUnwound(const MarkUnwound&) = delete;
    MarkUnwound& operator=(const MarkUnwound&) = delete;
    MarkUnwound(MarkUnwound&&) = delete;
    MarkUnwound& operator=(MarkUnwound&&) = delete;
    ~MarkUnwound() { g_unwound = true; }
};

/// SIGINT, SIGTERM and SIGHUP go to one thread (blocked everywhere else: no signal handler).
/// The first one records an interrupt: the engine stops at its next progress point and unwinds,
/// removing its staging folder, and main returns 128 + signal. If it has not ended 2 s later (a
/// solver or GDAL call without progress points), or a second signal comes, this thread removes
/// the temporary folders itself and ends the process with the same code (docs/cli.md) — unless
/// main's body has ended by then (g_unwound) and no second signal came.
void watch_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        sigaddset(&set, signal);
    }
    pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any other thread exists
    std::thread([set] {
        int signal = 0;
        while (sigwait(&set, &signal) != 0) {
        }
        gridplan::core::request_interrupt(signal);
        const timespec grace{2, 0};
        siginfo_t info{};
        const bool second = sigtimedwait(&set, &info, &grace) > 0;
        if (!second && g_unwound) {
            return;  // the command ended in time; main returns its own code
        }
        gridplan::pipeline::remove_temporary_folders();
        static constexpr char message[] =
            "\ngridplan: error: interrupted; stopped at once (temporary folders removed, outputs "
            "left as they were or replaced whole)\n";
        [[maybe_unused]] const auto n = ::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(128 + signal);
    }).detach();
}

/// CLI11's parse errors in the documented form; help and --version exit 0 as CLI11 prints them.
int parse_error(const CLI::App& app, const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
        return app.exit(e);
    }
    std::string message = e.what();
    if (!message.empty()) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    std::cerr << "gridplan: error: reading the command line: " << message
              << " (see gridplan --help)\n";
    return static_cast<int>(gridplan::core::Errc::usage);
}

/// Runs the parsed command with the terminal's callbacks; prints the report and the timings.
int run_command(const Registered& command,
                CommandOptions options,
                const Display& display,
                gridplan::cli::Terminal& terminal) {
    options.lang =
        display.lang == "en" ? gridplan::output::Language::en : gridplan::output::Language::zh;
    options.progress = terminal.progress_fn();
    options.stages = terminal.stage_fn(display.timings);
    const CommandResult result = command.run(options);
    terminal.finish_line();
    std::cout << result.report << std::flush;
    if (display.timings) {
        terminal.print_timings();
    }
    return 0;
}

/// Loads the city, prints where the workspace is, serves until Ctrl-C (docs/workspace.md).
CommandResult run_serve(const CommandOptions& given, const ServeFlags& flags) {
    CommandOptions options = given;
    if (!options.output_dir) {
        options.output_dir = "gridplan-workspace";
    }
    gridplan::pipeline::Session session(options);
    gridplan::server::ServeOptions serve;
    serve.bind = flags.bind;
    serve.port = flags.port;
    if (!gridplan::server::is_loopback(flags.bind)) {
        serve.token = gridplan::server::new_token();
    }
    const bool zh = options.lang == gridplan::output::Language::zh;
    serve.on_listening = [&](const std::string& url) {
        std::cout << "gridplan serve: " << session.summary() << "\n"
                  << (zh ? "工作台地址（浏览器打开）：" : "workspace (open in a browser): ") << url
                  << "\n"
                  << (zh ? "保存到：" : "saves go to: ") << session.save_dir().string() << "\n"
                  << (zh ? "按 Ctrl-C 停止" : "Ctrl-C stops the server") << "\n"
                  << std::flush;
    };
    gridplan::server::serve(session, serve);
    CommandResult result;
    result.report = zh ? "gridplan serve: 已停止\n" : "gridplan serve: stopped\n";
    return result;
}

void add_serve(CLI::App& app,
               CommandOptions& options,
               Display& display,
               std::vector<Registered>& commands) {
    ServeFlags& flags = display.serve;
    CLI::App* serve = app.add_subcommand(
        "serve",
        "the planner's workspace in a browser: redraw grids on a live map, save a scenario "
        "that `gridplan redraw` replays");
    add_common(*serve, options, display, false);
    serve->add_option("--port", flags.port, "port to listen on (0 = any free port)")
        ->check(CLI::Range(0, 65535));
    serve->add_option("--bind",
                      flags.bind,
                      "address to listen on (default 127.0.0.1; any other address requires the "
                      "printed token on every request)");
    serve->add_option(
        "-o,--output", options.output_dir, "where Save writes (default ./gridplan-workspace)");
    commands.push_back({serve, [&flags](const CommandOptions& o) { return run_serve(o, flags); }});
}

/// `locate CONFIG POINTS`: the point layer and how to read it (it is not in the configuration).
void add_locate(CLI::App& app,
                CommandOptions& options,
                Display& display,
                std::vector<Registered>& commands) {
    auto& input = display.locate;
    CLI::App* cmd = app.add_subcommand(
        "locate",
        "which street, community, grid and building each point (event, address) falls in, and "
        "the walking minutes to the nearest stations");
    add_common(*cmd, options, display, true);
    cmd->add_option("POINTS",
                    input.points.path,
                    "point layer: a CSV with lon/lat columns (WGS 84 unless --points-epsg) or any "
                    "input format")
        ->required();
    cmd->add_option("--points-layer", input.points.layer, "layer name inside POINTS");
    cmd->add_option("--points-epsg",
                    input.points.assume_epsg,
                    "CRS of POINTS when the file declares none (CSV: default 4326)");
    cmd->add_option("--points-datum",
                    input.points.input_datum,
                    "coordinates of POINTS: auto, wgs84, cgcs2000, gcj02 (Amap, Tencent) or bd09 "
                    "(Baidu)")
        ->check(CLI::IsMember({"auto", "wgs84", "cgcs2000", "gcj02", "bd09"}));
    cmd->add_option("--id-field", input.id_field, "field of POINTS holding the point id");
    cmd->add_option("--name-field", input.name_field, "field of POINTS holding the point name");
    commands.push_back({cmd, [&input](const CommandOptions& o) {
                            gridplan::pipeline::LocateInput in = input;
                            if (!in.id_field.empty()) {
                                in.points.fields["id"] = in.id_field;
                            }
                            if (!in.name_field.empty()) {
                                in.points.fields["name"] = in.name_field;
                            }
                            return gridplan::pipeline::locate(o, in);
                        }});
}

/// The commands, each with the options every command takes; `run` and `redraw` add --formats.
std::vector<Registered> add_commands(CLI::App& app, CommandOptions& options, Display& display) {
    std::vector<Registered> commands;
    auto add = [&](const char* name, const char* help, bool writes, Command run) {
        CLI::App* cmd = app.add_subcommand(name, help);
        add_common(*cmd, options, display, writes);
        commands.push_back({cmd, std::move(run)});
        return cmd;
    };
    namespace pipeline = gridplan::pipeline;
    add("inspect",
        "read and validate the inputs; print counts, CRS and data issues",
        false,
        pipeline::inspect);
    add("partition",
        "divide every community into balanced, contiguous grids",
        true,
        pipeline::partition);
    add("coverage",
        "15-minute walking coverage of service centres and warm stations",
        true,
        pipeline::coverage);
    add("site", "propose new stations with a proven optimality gap", true, pipeline::site);
    for (CLI::App* cmd :
         {add("redraw",
              "rebalance today's grids with the fewest moves (locks, edits); writes the grids and "
              "a diff",
              true,
              pipeline::redraw),
          add("run",
              "the whole pipeline: grids, coverage, siting, styled outputs and QGIS project",
              true,
              pipeline::run)}) {
        cmd->add_option(
               "--formats", options.formats, "output formats: gpkg,shp,geojson,qgis,report")
            ->delimiter(',')
            ->check(CLI::IsMember({"gpkg", "shp", "geojson", "qgis", "report"}));
    }
    add_locate(app, options, display, commands);
    // `report DIR` reads a run's outputs, not a configuration.
    CLI::App* report = app.add_subcommand(
        "report", "rebuild DIR/report.html (map, tables, charts) from a run's GeoPackage in DIR");
    report->add_option("DIR", options.output_dir, "a run's output directory")->required();
    report->add_flag("--force", options.force, "replace DIR/report.html");
    report->add_flag("-q,--quiet", display.quiet, "no progress lines on the terminal");
    report->add_flag("--timings", display.timings, "print 'timing STAGE WALL_S CPU_S PEAK_MB'");
    report->add_option("--lang", display.lang, "language the page opens in: zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    commands.push_back({report, pipeline::report});
    add_serve(app, options, display, commands);
    return commands;
}

}  // namespace

int main(int argc, char** argv) try {
    const MarkUnwound mark;  // destroyed last of main's locals, before any handler below runs
    watch_signals();
    CLI::App app{
        "gridplan: balanced governance grids (网格) and 15-minute service coverage (15分钟服务圈)\n"
        "for street, community and building data. See docs/cli.md."};
    app.set_version_flag("--version", "gridplan 0.1.0");
    app.require_subcommand(1, 1);

    CommandOptions options;
    Display display;
    const std::vector<Registered> commands = add_commands(app, options, display);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return parse_error(app, e);
    }

    gridplan::cli::Terminal terminal(stderr, !display.quiet && ::isatty(STDERR_FILENO) == 1);
    for (const auto& command : commands) {
        if (command.app->parsed()) {
            try {
                return run_command(command, options, display, terminal);
            } catch (...) {
                terminal.finish_line();  // the error message starts on a clean line
                throw;
            }
        }
    }
    return static_cast<int>(gridplan::core::Errc::usage);
} catch (const gridplan::core::Error& e) {
    if (e.code() == gridplan::core::Errc::interrupted) {
        std::cerr << "gridplan: error: " << e.what() << '\n';
        return 128 + gridplan::core::interrupt_signal();
    }
    // The engine says what is wrong; the way out through a flag is the CLI's to name.
    const char* hint = "";
    if (e.fault() == gridplan::core::Fault::exists) {
        hint = " (use --force to overwrite)";
    } else if (e.fault() == gridplan::core::Fault::partial_read) {
        hint =
            " (fix or re-export the file; --allow-partial reads on and lists each read error "
            "in the ledger)";
    }
    std::cerr << "gridplan: error: " << e.what() << hint << '\n';
    return static_cast<int>(e.code());
} catch (const std::bad_alloc&) {
    std::cerr << "gridplan: error: out of memory\n";
    return static_cast<int>(gridplan::core::Errc::internal);
} catch (const std::exception& e) {
    std::cerr << "gridplan: error: internal error: " << e.what()
              << " (a bug in gridplan: please report it with the input)\n";
    return static_cast<int>(gridplan::core::Errc::internal);
}

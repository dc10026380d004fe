// gridplan command-line interface: parses arguments, calls one engine function per command,
// prints the report it returns and maps errors to exit codes (docs/cli.md). All logic lives in
// the engine; this is the only place that catches.
#include <exception>
#include <functional>
#include <iostream>
#include <new>
#include <string>

#include <CLI/CLI.hpp>

#include "core/error.hpp"
#include "pipeline/commands.hpp"

namespace {

using gridplan::pipeline::CommandOptions;
using gridplan::pipeline::CommandResult;
using Command = std::function<CommandResult(const CommandOptions&)>;

struct Registered {
    CLI::App* app;
    Command run;
};

void add_common(CLI::App& cmd, CommandOptions& options, bool writes) {
    cmd.add_option("CONFIG", options.config, "run configuration file (JSON, see docs/config.md)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd.add_flag("--strict", options.strict, "turn the first data problem into an error");
    cmd.add_option("--threads", options.threads, "worker threads (0 = all cores)")
        ->check(CLI::NonNegativeNumber);
    cmd.add_option("--encoding",
                   options.encoding,
                   "attribute encoding of Shapefile inputs without .cpg (e.g. CP936)");
    if (writes) {
        cmd.add_option("-o,--output", options.output_dir, "output directory")->required();
        cmd.add_flag("--force", options.force, "replace outputs that already exist");
    }
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{
        "gridplan: balanced governance grids (网格) and 15-minute service coverage (15分钟服务圈)\n"
        "for street, community and building data. See docs/cli.md."};
    app.set_version_flag("--version", "gridplan 0.1.0");
    app.require_subcommand(1, 1);

    CommandOptions options;
    std::vector<Registered> commands;
    auto add = [&](const char* name, const char* help, bool writes, Command run) {
        CLI::App* cmd = app.add_subcommand(name, help);
        add_common(*cmd, options, writes);
        commands.push_back({cmd, std::move(run)});
        return cmd;
    };
    add("inspect",
        "read and validate the inputs; print counts, CRS and data issues",
        false,
        gridplan::pipeline::inspect);
    add("partition",
        "divide every community into balanced, contiguous grids",
        true,
        gridplan::pipeline::partition);
    add("coverage",
        "15-minute walking coverage of service centres and warm stations",
        true,
        gridplan::pipeline::coverage);
    add("site",
        "propose new stations with a proven optimality gap",
        true,
        gridplan::pipeline::site);
    add("redraw",
        "rebalance today's grids with the fewest moves (locks, edits); writes the grids and a diff",
        true,
        gridplan::pipeline::redraw)
        ->add_option("--formats", options.formats, "output formats: gpkg,shp,geojson,qgis")
        ->delimiter(',')
        ->check(CLI::IsMember({"gpkg", "shp", "geojson", "qgis"}));
    add("run",
        "the whole pipeline: grids, coverage, siting, styled outputs and QGIS project",
        true,
        gridplan::pipeline::run)
        ->add_option("--formats", options.formats, "output formats: gpkg,shp,geojson,qgis")
        ->delimiter(',')
        ->check(CLI::IsMember({"gpkg", "shp", "geojson", "qgis"}));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : static_cast<int>(gridplan::core::Errc::usage);
    }

    for (const auto& command : commands) {
        if (command.app->parsed()) {
            const CommandResult result = command.run(options);
            std::cout << result.report;
            return 0;
        }
    }
    return static_cast<int>(gridplan::core::Errc::usage);
} catch (const gridplan::core::Error& e) {
    // The engine says what is wrong; the way out through a flag is the CLI's to name.
    const char* hint =
        e.fault() == gridplan::core::Fault::exists ? " (use --force to overwrite)" : "";
    std::cerr << "gridplan: error: " << e.what() << hint << '\n';
    return static_cast<int>(e.code());
} catch (const std::bad_alloc&) {
    std::cerr << "gridplan: error: out of memory\n";
    return static_cast<int>(gridplan::core::Errc::internal);
} catch (const std::exception& e) {
    std::cerr << "gridplan: internal error: " << e.what() << '\n';
    return static_cast<int>(gridplan::core::Errc::internal);
}

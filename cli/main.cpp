// gridplan command-line interface: parses arguments, calls one engine function per command,
// prints its report and maps errors to exit codes. All logic lives in the engine.
#include <CLI/CLI.hpp>

#include <iostream>

#include "core/error.hpp"

int main(int argc, char** argv) try {
    CLI::App app{"gridplan: grid partitioning and 15-minute service coverage for city grid governance"};
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
} catch (const gridplan::core::Error& e) {
    std::cerr << "gridplan: error: " << e.what() << '\n';
    return static_cast<int>(e.code());
}

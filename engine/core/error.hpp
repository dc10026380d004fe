#pragma once
/// \file
/// The one exception type of the engine and the error codes the CLI maps to exit codes.

#include <stdexcept>
#include <string>

namespace gridplan::core {

/// Failure categories. The numeric values are the CLI exit codes (docs/cli.md).
enum class Errc {
    usage = 2,          ///< bad option or configuration value
    io = 3,             ///< cannot open, read or write a file or layer
    invalid_input = 4,  ///< input data violates a documented precondition (or --strict)
    crs = 5,            ///< coordinate reference system missing, unsupported or not transformable
    internal = 70,      ///< broken invariant: a bug in gridplan
    interrupted = 130,  ///< SIGINT/SIGTERM arrived (the CLI exits 128 + signal: 130, 143)
};

/// What exactly went wrong, where a caller may offer a way out that the engine cannot name
/// (the CLI's --force for `exists`). Does not change the exit code (Errc).
enum class Fault {
    unspecified,
    exists,  ///< an output file is already there and replacing it was not asked for
    /// an input file is corrupt or cut short and reading on with what was read was not asked for
    partial_read,
};

/// The only exception type thrown across engine module boundaries.
/// Messages read "<doing what> '<object>': <fault> [(hint)]", lower case, no final period; the
/// engine's hints never name command-line flags (the CLI adds those, from code() and fault()).
class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message, Fault fault = Fault::unspecified)
        : std::runtime_error(message), code_(code), fault_(fault) {}

    [[nodiscard]] Errc code() const noexcept { return code_; }
    [[nodiscard]] Fault fault() const noexcept { return fault_; }

private:
    Errc code_;
    Fault fault_;
};

/// Throws Errc::internal with the call site when a cheap invariant does not hold.
/// (The call site comes from GCC's and Clang's __builtin_FILE/LINE rather than
/// std::source_location, which libstdc++ 12 hides from Clang 14, the clang-tidy of Debian 12.)
inline void require_invariant(bool ok,
                              const char* what,
                              const char* file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
    if (!ok) {
        throw Error{Errc::internal,
                    std::string{"internal error: "} + what + " (at " + file + ':' +
                        std::to_string(line) + ")"};
    }
}

}  // namespace gridplan::core

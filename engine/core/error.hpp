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
};

/// The only exception type thrown across engine module boundaries.
/// Messages read "<doing what> '<object>': <fault> [(hint)]", lower case, no final period.
class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message) : std::runtime_error(message), code_(code) {}

    [[nodiscard]] Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

/// Throws Errc::internal with the call site when a cheap invariant does not hold.
/// (The call site comes from GCC's and Clang's __builtin_FILE/LINE rather than
/// std::source_location, which libstdc++ 12 hides from Clang 14, the clang-tidy of Debian 12.)
inline void require_invariant(bool ok, const char* what, const char* file = __builtin_FILE(),
                              int line = __builtin_LINE()) {
    if (!ok) {
        throw Error{Errc::internal, std::string{"internal error: "} + what + " (at " + file + ':' +
                                        std::to_string(line) + ")"};
    }
}

}  // namespace gridplan::core

#pragma once
/// \file
/// Interrupts (Ctrl-C, SIGTERM) and the scratch folders a command must not leave behind.
/// The CLI's signal thread records an interrupt (never a signal handler: docs/cli.md "Interrupts");
/// the engine's progress points (core::report, StageScope) then throw Errc::interrupted, so a
/// long command unwinds and its destructors remove what it wrote. If it does not unwind in time
/// (a solver or a GDAL call with no progress point), the signal thread removes the registered
/// scratch folders itself and ends the process. This is process-wide state, the one exception to
/// "no globals" (docs/developer-notes.md).

#include <filesystem>
#include <mutex>

namespace gridplan::core {

/// Records that `signal` (SIGINT, SIGTERM, SIGHUP) arrived. Async-signal-safe.
void request_interrupt(int signal) noexcept;

/// The signal recorded by request_interrupt, 0 when none.
[[nodiscard]] int interrupt_signal() noexcept;

/// Throws Error{Errc::interrupted} naming the signal when an interrupt was recorded.
void throw_if_interrupted();

/// A folder removed when the process must end before the command can unwind (output staging).
void add_scratch(const std::filesystem::path& folder);
void drop_scratch(const std::filesystem::path& folder);

/// Held while an output set is swapped into place: a forced exit waits for the swap to finish.
[[nodiscard]] std::unique_lock<std::mutex> hold_swap();

/// For the signal thread's forced exit: takes the swap lock for good (no swap starts or is torn
/// afterwards) and removes every registered scratch folder.
void remove_scratch_for_exit() noexcept;

}  // namespace gridplan::core

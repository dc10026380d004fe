#include "core/interrupt.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "core/error.hpp"

namespace gridplan::core {
namespace {

std::atomic<int> g_signal{0};  // lock-free: written from the signal thread

/// Never destroyed: the signal thread may still use it while the main thread runs exit().
struct Scratch {
    std::mutex swap;
    std::mutex folders_lock;
    std::vector<std::filesystem::path> folders;
};

Scratch& scratch() {
    static auto* s = new Scratch;  // NOLINT(cppcoreguidelines-owning-memory): leaked on purpose
    return *s;
}

}  // namespace

void request_interrupt(int signal) noexcept {
    int none = 0;
    g_signal.compare_exchange_strong(none, signal);
}

int interrupt_signal() noexcept {
    return g_signal.load();
}

void throw_if_interrupted() {
    const int signal = g_signal.load();
    if (signal != 0) {
        const char* name = signal == SIGINT    ? "SIGINT (Ctrl-C)"
                           : signal == SIGTERM ? "SIGTERM"
                           : signal == SIGHUP  ? "SIGHUP"
                                               : "a signal";
        throw Error{Errc::interrupted,
                    std::string{"running the command: interrupted by "} + name +
                        "; stopped before replacing any output"};
    }
}

void add_scratch(const std::filesystem::path& folder) {
    Scratch& s = scratch();
    const std::lock_guard lock(s.folders_lock);
    s.folders.push_back(folder);
}

void drop_scratch(const std::filesystem::path& folder) {
    Scratch& s = scratch();
    const std::lock_guard lock(s.folders_lock);
    s.folders.erase(std::remove(s.folders.begin(), s.folders.end(), folder), s.folders.end());
}

std::unique_lock<std::mutex> hold_swap() {
    return std::unique_lock{scratch().swap};
}

void remove_scratch_for_exit() noexcept {
    Scratch& s = scratch();
    s.swap.lock();  // never unlocked: the process ends right after
    const std::lock_guard lock(s.folders_lock);
    for (const auto& folder : s.folders) {
        std::error_code ignored;
        std::filesystem::remove_all(folder, ignored);
    }
}

}  // namespace gridplan::core

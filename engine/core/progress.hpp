#pragma once
/// \file
/// Progress reporting: the engine never prints; stages call this callback when one is given.

#include <functional>
#include <string_view>

namespace gridplan::core {

/// Called with a stage name and a message. Must be cheap and thread-safe to call from the
/// calling thread (stages call it only from the thread that called them).
using ProgressFn = std::function<void(std::string_view stage, std::string_view message)>;

inline void report(const ProgressFn& progress, std::string_view stage, std::string_view message) {
    if (progress) {
        progress(stage, message);
    }
}

}  // namespace gridplan::core

// libFuzzer target: the configuration loader. Any JSON text → pipeline::parse_run_config (the
// input sections of io/config.cpp, the stage sections, io/json_keys.cpp's parse guards).
// Answer: a RunConfig or a core::Error naming the key; never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "pipeline/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    gridplan::fuzz::expect_clear_outcome([&] {
        const auto config = gridplan::pipeline::parse_run_config(text, "/nonexistent/fuzz.json");
        (void)config;
    });
    return 0;
}

// The shared oracle and scratch files of the libFuzzer targets (fuzz_support.hpp).
#include "fuzz_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>

#include <unistd.h>

#include "core/error.hpp"
#include "io/read.hpp"
#include "pipeline/report.hpp"

namespace gridplan::fuzz {

void expect_clear_outcome(const std::function<void()>& body) {
    try {
        body();
    } catch (const core::Error& e) {
        if (e.code() != core::Errc::internal) {
            return;
        }
        std::fprintf(stderr, "fuzz finding: internal error: %s\n", e.what());
        std::abort();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz finding: exception other than core::Error: %s\n", e.what());
        std::abort();
    }
}

namespace {

struct Scratch {
    std::filesystem::path dir;
    Scratch() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string{tmp != nullptr ? tmp : "/tmp"} + "/gridplan-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::perror("gridplan fuzz: mkdtemp");
            std::abort();
        }
        dir = pattern;
    }
    ~Scratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

const std::filesystem::path& scratch_dir() {
    static const Scratch scratch;
    return scratch.dir;
}

std::filesystem::path write_scratch(const std::string& name, std::string_view bytes) {
    const auto path = scratch_dir() / name;
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

void clear_scratch() {
    for (const auto& entry : std::filesystem::directory_iterator{scratch_dir()}) {
        std::error_code ec;
        std::filesystem::remove_all(entry.path(), ec);
    }
}

std::vector<std::string_view> split_parts(std::string_view data) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = data.find(kPartMarker);
        parts.push_back(data.substr(0, at));
        if (at == std::string_view::npos) {
            return parts;
        }
        data.remove_prefix(at + kPartMarker.size());
    }
}

io::LayerSource source(const std::filesystem::path& path,
                       const std::string& layer,
                       std::map<std::string, std::vector<std::string>> where) {
    io::LayerSource s;
    s.path = path;
    s.layer = layer;
    s.where = std::move(where);
    return s;
}

void read_validate_report(const io::InputConfig& config) {
    expect_clear_outcome([&] {
        io::ReadOptions options;
        options.allow_partial = true;
        const core::Scene scene = io::read_scene(config, options);
        for (const auto& layer : scene.layers) {
            core::require_invariant(layer.counts.conserved(), "ledger conservation");
        }
        const std::string text =
            pipeline::scene_report(scene, output::Language::en) +
            pipeline::ledger_report(scene.ledger, {{"read", 0}}, output::Language::en);
        core::require_invariant(!text.empty(), "a report");
    });
}

}  // namespace gridplan::fuzz

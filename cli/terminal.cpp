#include "terminal.hpp"

#include <chrono>
#include <cmath>

#include <sys/ioctl.h>
#include <unistd.h>

#include "core/text.hpp"

namespace gridplan::cli {
namespace {

constexpr double kRedrawEveryS = 0.1;  // at most ten redraws a second for counted steps
constexpr auto kTick = std::chrono::milliseconds(500);
constexpr const char* kClearLine = "\r\033[K";
constexpr std::size_t kDefaultColumns = 80;

/// Columns of the terminal `out` is on (a longer line would wrap and break the redraw).
std::size_t columns_of(std::FILE* out) {
    winsize size{};
    if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
        return size.ws_col;
    }
    return kDefaultColumns;
}

}  // namespace

std::string format_duration(double seconds) {
    if (seconds < 60.0) {
        return core::fixed(seconds, 1) + "s";
    }
    const auto whole = static_cast<long>(std::lround(seconds));
    const long secs = whole % 60;
    return std::to_string(whole / 60) + ":" + (secs < 10 ? "0" : "") + std::to_string(secs);
}

std::string progress_line(double elapsed_s,
                          std::string_view stage,
                          std::size_t done,
                          std::size_t total,
                          double stage_s,
                          std::string_view message) {
    // built by appends: GCC 12 -O3 warns on "literal" + string temporaries (PR105651)
    std::string line(1, '[');
    line += format_duration(elapsed_s);
    line += "] ";
    line += stage;
    if (total > 0) {
        line += ' ';
        line += std::to_string(done);
        line += '/';
        line += std::to_string(total);
        line += ' ';
        line += std::to_string(100 * done / total);
        line += '%';
        if (done > 0 && done < total) {
            const double eta =
                stage_s / static_cast<double>(done) * static_cast<double>(total - done);
            line += " ETA " + format_duration(eta);
        }
    }
    if (!message.empty()) {
        line += " · " + std::string{message};
    }
    return line;
}

std::string timing_line(const core::StageTiming& timing) {
    return "timing " + timing.stage + " " + core::fixed(timing.wall_s, 3) + " " +
           core::fixed(timing.cpu_s, 3) + " " + core::fixed(timing.peak_mb, 1);
}

Terminal::Terminal(std::FILE* out, bool show_progress)
    : out_(out),
      show_(show_progress),
      columns_(show_progress ? columns_of(out) : kDefaultColumns),
      run_start_s_(core::resources_now().wall_s) {
    if (show_) {
        ticker_ = std::jthread([this](const std::stop_token& stop) { tick(stop); });
    }
}

Terminal::~Terminal() {
    ticker_.request_stop();  // wakes the ticker through its stop token; jthread joins it
}

void Terminal::tick(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        (void)wake_.wait_for(lock, stop, kTick, [] { return false; });
        if (!stop.stop_requested() && !stage_.empty()) {
            draw(true);
        }
    }
}

core::ProgressFn Terminal::progress_fn() {
    if (!show_) {
        return {};
    }
    return [this](std::string_view stage, std::string_view message) { on_message(stage, message); };
}

core::StageFn Terminal::stage_fn(bool keep_timings) {
    keep_timings_ = keep_timings;
    if (!show_ && !keep_timings) {
        return {};
    }
    return [this](const core::StageEvent& event) { on_stage(event); };
}

void Terminal::on_message(std::string_view stage, std::string_view message) {
    const std::lock_guard lock(mutex_);
    // "coverage_circles · service circles", not "coverage_circles · coverage: service circles".
    const bool own =
        stage_ == stage || std::string_view{stage_}.starts_with(std::string{stage} + "_");
    message_ = own ? std::string{message} : std::string{stage} + ": " + std::string{message};
    draw(true);  // messages are few: never drop one
}

void Terminal::on_stage(const core::StageEvent& event) {
    const std::lock_guard lock(mutex_);
    const double now = core::resources_now().wall_s;
    if (event.kind == core::StageEvent::Kind::start) {
        stage_start_s_ = now;
        message_.clear();
    }
    stage_ = event.stage;  // an enclosing stage's end follows its steps' ends
    done_ = event.done;
    total_ = event.total;
    if (event.kind == core::StageEvent::Kind::end && keep_timings_) {
        timings_.push_back(event.timing);
    }
    draw(event.kind != core::StageEvent::Kind::step);
}

void Terminal::draw(bool force) {
    if (!show_ || finished_) {
        return;
    }
    const double now = core::resources_now().wall_s;
    if (!force && now - last_draw_s_ < kRedrawEveryS) {
        return;
    }
    last_draw_s_ = now;
    const std::string line =
        progress_line(now - run_start_s_, stage_, done_, total_, now - stage_start_s_, message_);
    // Bytes, not columns: a CJK character is 3 bytes wide in UTF-8 and 2 columns on screen.
    const std::string shown{core::cut_utf8(line, columns_ - 1)};
    std::fprintf(out_, "%s%s", kClearLine, shown.c_str());
    std::fflush(out_);
    line_open_ = true;
}

void Terminal::finish_line() {
    const std::lock_guard lock(mutex_);
    finished_ = true;
    if (line_open_) {
        std::fprintf(out_, "%s", kClearLine);
        std::fflush(out_);
        line_open_ = false;
    }
}

void Terminal::print_timings() const {
    for (const core::StageTiming& timing : timings_) {
        std::fprintf(out_, "%s\n", timing_line(timing).c_str());
    }
    std::fflush(out_);
}

}  // namespace gridplan::cli

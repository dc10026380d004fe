// The configuration's JSON: the file policy, the parse guards, the key check and the number
// ranges, for the input sections and the stage sections alike.
#include "io/json_keys.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <iconv.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace gridplan::io {
namespace {

using nlohmann::json;

[[noreturn]] void io_error(const std::string& what, const std::string& message) {
    throw core::Error{core::Errc::io, "reading " + what + ": " + message};
}

[[noreturn]] void usage(const std::string& what, const std::string& message) {
    throw core::Error{core::Errc::usage, "reading " + what + ": " + message};
}

/// Closes a file descriptor when it goes out of scope.
struct Descriptor {
    int fd;
    ~Descriptor() { ::close(fd); }
};

/// What a file that is not a regular one is, for the message.
std::string file_kind(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "it is a directory";
    }
    if (S_ISFIFO(mode)) {
        return "not a regular file (a FIFO)";
    }
    if (S_ISCHR(mode) || S_ISBLK(mode)) {
        return "not a regular file (a device)";
    }
    if (S_ISSOCK(mode)) {
        return "not a regular file (a socket)";
    }
    return "not a regular file";
}

std::string too_large(std::uintmax_t bytes) {
    return "the file has " + std::to_string(bytes) + " bytes, more than the " +
           std::to_string(kMaxConfigBytes >> 20U) + " MiB a configuration may have";
}

/// Where the parser is: one frame per open object or array, for the messages.
class ParsePlace {
public:
    explicit ParsePlace(std::string what) : what_(std::move(what)) {}

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                if (depth >= kMaxConfigDepth) {
                    usage(what_,
                          "objects and arrays nest deeper than " + std::to_string(kMaxConfigDepth) +
                              " levels at '" + path() + "'");
                }
                frames_.push_back({event == json::parse_event_t::object_start, {}, {}, 0});
                break;
            case json::parse_event_t::key:
                key(parsed.get<std::string>());
                break;
            case json::parse_event_t::value:
                if (parsed.is_string() &&
                    parsed.get_ref<const std::string&>().find('\0') != std::string::npos) {
                    usage(what_, "'" + path() + "' holds a NUL character");
                }
                element_done();
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                frames_.pop_back();
                element_done();
                break;
        }
        return true;
    }

private:
    struct Frame {
        bool object = false;
        std::set<std::string> keys;
        std::string key;        ///< objects: the key being read
        std::size_t index = 0;  ///< arrays: the element being read
    };

    void key(const std::string& k) {
        Frame& top = frames_.back();
        top.key = k;
        if (k.find('\0') != std::string::npos) {
            usage(what_, "the key '" + path() + "' holds a NUL character");
        }
        if (!top.keys.insert(k).second) {
            usage(what_, "the key '" + path() + "' is given twice (each key once per object)");
        }
    }

    void element_done() {
        if (!frames_.empty() && !frames_.back().object) {
            ++frames_.back().index;
        }
    }

    /// 'inputs.facilities[1].path': the place of the value being read.
    std::string path() const {
        std::string out;
        for (const Frame& f : frames_) {
            // built by appends: GCC 12 -O3 warns on "literal" + string temporaries (PR105651)
            if (f.object) {
                if (!out.empty()) {
                    out += '.';
                }
                out += f.key;
            } else {
                out += '[';
                out += std::to_string(f.index);
                out += ']';
            }
        }
        if (out.size() > 80) {  // 80,000 levels deep: the start says where
            out = out.substr(0, 80) + "…";
        }
        return out.empty() ? "(top level)" : out;
    }

    std::string what_;
    std::vector<Frame> frames_;
};

/// A bound as a reader writes it: 500, 0.5, 1e+07 → 10000000.
std::string format_number(double d) {
    std::ostringstream out;
    out.precision(15);
    out << d;
    return out.str();
}

std::string describe(const NumberRange& r) {
    return std::string{r.min_open ? "> " : ">= "} + format_number(r.min) + " and " +
           (r.max_open ? "< " : "<= ") + format_number(r.max);
}

}  // namespace

std::string read_config_file(const std::filesystem::path& file, const std::string& what) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        io_error(
            what,
            err == ENOENT ? "no such file" : std::string{"cannot open: "} + std::strerror(err));
    }
    const Descriptor guard{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        io_error(what, std::string{"cannot open: "} + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        io_error(what, file_kind(st.st_mode) + " (a configuration is a JSON file)");
    }
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxConfigBytes) {
        io_error(what, too_large(static_cast<std::uintmax_t>(st.st_size)));
    }
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            io_error(what, std::string{"cannot read: "} + std::strerror(errno));
        }
        if (n == 0) {
            return text;
        }
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxConfigBytes) {  // grew while being read
            io_error(what, too_large(text.size()));
        }
    }
}

json parse_config_json(const std::string& text, const std::string& what) {
    try {
        return json::parse(text, ParsePlace{what});
    } catch (const json::exception& e) {
        usage(what, std::string{"not valid JSON: "} + e.what());
    }
}

void check_known_keys(const json& object,
                      const std::set<std::string>& allowed,
                      const std::string& where,
                      const std::string& what) {
    if (!object.is_object()) {
        usage(what, "'" + where + "' must be an object");
    }
    for (const auto& [key, value] : object.items()) {
        if (allowed.count(key) == 0) {
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            usage(what,
                  "unknown key '" + (where.empty() ? key : where + "." + key) +
                      "' (allowed: " + list + ")");
        }
    }
}

double checked_number(const json& value,
                      const std::string& key,
                      const std::string& what,
                      const NumberRange& range) {
    const auto refuse = [&] {
        usage(what,
              "'" + key + "' must be a number " + describe(range) + " (got " + value.dump() + ")");
    };
    if (!value.is_number()) {
        refuse();
    }
    const double d = value.get<double>();
    const bool above_min = range.min_open ? d > range.min : d >= range.min;
    const bool below_max = range.max_open ? d < range.max : d <= range.max;
    if (!std::isfinite(d) || !above_min || !below_max) {
        refuse();
    }
    return d;
}

std::int64_t checked_integer(const json& value,
                             const std::string& key,
                             const std::string& what,
                             std::int64_t min,
                             std::int64_t max) {
    const auto refuse = [&] {
        usage(what,
              "'" + key + "' must be a whole number from " + std::to_string(min) + " to " +
                  std::to_string(max) + " (got " + value.dump() + ")");
    };
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (max < 0 || u > static_cast<std::uint64_t>(max) ||
            (min > 0 && u < static_cast<std::uint64_t>(min))) {
            refuse();
        }
        return static_cast<std::int64_t>(u);
    }
    if (!value.is_number_integer()) {
        refuse();
    }
    const auto i = value.get<std::int64_t>();
    if (i < min || i > max) {
        refuse();
    }
    return i;
}

bool is_known_encoding(const std::string& encoding) {
    const iconv_t cd = ::iconv_open("UTF-8", encoding.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return false;
    }
    ::iconv_close(cd);
    return true;
}

}  // namespace gridplan::io

#pragma once
/// \file
/// The one capture of GDAL's messages for the readers (io) and the writers (output), and the
/// thread-local GDAL configuration option both set around a call. GDAL's own headers stay in
/// gdal_errors.cpp.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace gridplan::io {

/// RAII: while alive, GDAL's messages on this thread go here instead of to stderr.
///  - Failures: the last one is kept (last_failure, check).
///  - Warnings and failures: collected for drain(); or, when the scope was made with a warning
///    sink and a file, each warning goes straight to the sink as "writing '<file>': <message>"
///    (failures then only reach check()).
///  - Debug messages of GDAL's OSM driver (CPL_DEBUG=OSM, see ThreadConfigOption) about ways and
///    relations dropped for want of data outside a clipped extract: counted (catalogue F10).
class GdalErrorScope {
public:
    /// Collects warnings and failures for drain() (the readers).
    GdalErrorScope();
    /// Sends warnings to `warnings` prefixed with the file being written (the writers).
    GdalErrorScope(std::vector<std::string>& warnings, std::string file);
    ~GdalErrorScope();
    GdalErrorScope(const GdalErrorScope&) = delete;
    GdalErrorScope& operator=(const GdalErrorScope&) = delete;
    GdalErrorScope(GdalErrorScope&&) = delete;
    GdalErrorScope& operator=(GdalErrorScope&&) = delete;

    /// Messages since the last drain (warnings and failures), in the order GDAL sent them.
    [[nodiscard]] std::vector<std::string> drain();
    /// The failures (CE_Failure and worse) since the last call, in order: what a reader must not
    /// take for a clean read (they also stay in drain()'s messages).
    [[nodiscard]] std::vector<std::string> take_failures();
    /// The text of the last failure ("" when none).
    [[nodiscard]] std::string last_failure() const { return last_failure_; }

    /// Throws Errc::io "<doing> '<file>': <GDAL message>" when `ok` is false or GDAL failed
    /// since the last check; `file` is the one given to the constructor.
    void check(bool ok, const std::string& doing);

    /// What GDAL's OSM driver dropped for want of data outside a clipped extract.
    struct OsmDropped {
        std::size_t relations = 0;  ///< relations with member ways missing from the file
        std::size_t ways = 0;       ///< ways with fewer than 2 of their nodes in the file
    };
    [[nodiscard]] OsmDropped osm_dropped() const { return osm_dropped_; }

private:
    friend struct GdalMessageHandler;  // the C callback (gdal_errors.cpp)
    enum class Level { debug, warning, failure };
    void receive(Level level, const char* message);

    std::vector<std::string>* warning_sink_ = nullptr;
    std::string file_;
    std::vector<std::string> messages_;
    std::vector<std::string> failures_;
    bool failed_ = false;
    std::string last_failure_;
    OsmDropped osm_dropped_;
};

/// RAII: sets a GDAL configuration option for this thread only, restoring the old value.
class ThreadConfigOption {
public:
    ThreadConfigOption(const char* key, const char* value);
    ~ThreadConfigOption();
    ThreadConfigOption(const ThreadConfigOption&) = delete;
    ThreadConfigOption& operator=(const ThreadConfigOption&) = delete;
    ThreadConfigOption(ThreadConfigOption&&) = delete;
    ThreadConfigOption& operator=(ThreadConfigOption&&) = delete;

private:
    const char* key_;
    std::optional<std::string> old_;
};

}  // namespace gridplan::io

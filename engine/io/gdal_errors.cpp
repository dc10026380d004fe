// The one capture of GDAL's messages (readers and writers) and the thread-local GDAL option scope.
#include "io/gdal_errors.hpp"

#include <utility>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "core/error.hpp"

namespace gridplan::io {

/// The C callback GDAL calls; forwards to the scope that pushed it.
struct GdalMessageHandler {
    static void CPL_STDCALL handle(CPLErr level, CPLErrorNum /*num*/, const char* message) {
        auto* scope = static_cast<GdalErrorScope*>(CPLGetErrorHandlerUserData());
        if (level == CE_Debug) {
            scope->receive(GdalErrorScope::Level::debug, message);
        } else if (level >= CE_Failure) {
            scope->receive(GdalErrorScope::Level::failure, message);
        } else if (level == CE_Warning) {
            scope->receive(GdalErrorScope::Level::warning, message);
        }
    }
};

GdalErrorScope::GdalErrorScope() {
    CPLPushErrorHandlerEx(&GdalMessageHandler::handle, this);
}

GdalErrorScope::GdalErrorScope(std::vector<std::string>& warnings, std::string file)
    : warning_sink_(&warnings), file_(std::move(file)) {
    CPLPushErrorHandlerEx(&GdalMessageHandler::handle, this);
}

GdalErrorScope::~GdalErrorScope() {
    CPLPopErrorHandler();
}

std::vector<std::string> GdalErrorScope::drain() {
    return std::exchange(messages_, {});
}

std::vector<std::string> GdalErrorScope::take_failures() {
    return std::exchange(failures_, {});
}

void GdalErrorScope::check(bool ok, const std::string& doing) {
    if (ok && !failed_) {
        return;
    }
    std::string why = failed_ ? last_failure_ : std::string{"GDAL reported no reason"};
    failed_ = false;
    throw core::Error{core::Errc::io, doing + " '" + file_ + "': " + why};
}

void GdalErrorScope::receive(Level level, const char* message) {
    const std::string text = message != nullptr ? message : "";
    switch (level) {
        case Level::debug:
            if (text.find("has missing ways. Ignoring it") != std::string::npos) {
                ++osm_dropped_.relations;
            } else if (text.find("nodes that could be found. Discarding it") != std::string::npos) {
                ++osm_dropped_.ways;
            }
            return;
        case Level::failure:
            failed_ = true;
            last_failure_ = text;
            failures_.push_back(text);
            if (warning_sink_ == nullptr) {
                messages_.push_back(text);
            }
            return;
        case Level::warning:
            if (warning_sink_ != nullptr) {
                warning_sink_->push_back("writing '" + file_ + "': " + text);
            } else {
                messages_.push_back(text);
            }
            return;
    }
}

ThreadConfigOption::ThreadConfigOption(const char* key, const char* value) : key_(key) {
    if (const char* old = CPLGetThreadLocalConfigOption(key, nullptr)) {
        old_ = old;
    }
    CPLSetThreadLocalConfigOption(key, value);
}

ThreadConfigOption::~ThreadConfigOption() {
    CPLSetThreadLocalConfigOption(key_, old_ ? old_->c_str() : nullptr);
}

}  // namespace gridplan::io

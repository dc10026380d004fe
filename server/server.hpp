#pragma once
/// \file
/// `gridplan serve`: the planner's workspace over HTTP (docs/workspace.md). A thin adapter like
/// the CLI: it serves the workspace page and passes the API's JSON bodies to a
/// pipeline::Session, one request at a time; the engine knows no HTTP. cpp-httplib (Debian
/// libcpp-httplib-dev) is the HTTP library, used in this folder only.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "pipeline/session.hpp"

namespace gridplan::server {

struct ServeOptions {
    std::string bind = "127.0.0.1";  ///< any other address needs `token` on every request
    int port = 8765;                 ///< 0: a free port chosen by the system
    /// Required on every request when not bound to a loopback address (header
    /// `X-Gridplan-Token`, or `?token=` on the page's address); "" on loopback.
    std::string token;
    std::size_t max_body_bytes = 1 << 20;  ///< larger request bodies get 413
    /// Told the address once the server listens (the CLI prints it).
    std::function<void(const std::string& url)> on_listening;
};

/// True for 127.0.0.1, ::1 and "localhost": the addresses served without a token (any other,
/// even 127.0.0.2, needs it).
[[nodiscard]] bool is_loopback(std::string_view address);

/// A random token of 32 hex digits (from the system's random source).
[[nodiscard]] std::string new_token();

/// Serves until an interrupt is requested (core::request_interrupt: Ctrl-C in the CLI).
/// Throws core::Error{Errc::io} when the address cannot be bound.
void serve(pipeline::Session& session, const ServeOptions& options);

/// The built workspace page (web/, compiled into this library).
[[nodiscard]] std::string_view workspace_page();

}  // namespace gridplan::server

// The workspace's HTTP adapter: routes, request limits, the token, one session call at a time,
// errors as JSON with a status code, and a clean stop on interrupt (docs/workspace.md, "API").
#include "server.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace gridplan::server {
namespace {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
    send_json(res, status, json{{"error", message}}.dump());
}

/// The status of an engine error: the request's fault (400), a save folder that exists (409),
/// the server's (500).
int status_of(const core::Error& e) {
    if (e.fault() == core::Fault::exists) {
        return 409;
    }
    switch (e.code()) {
        case core::Errc::usage:
        case core::Errc::invalid_input:
            return 400;
        default:
            return 500;
    }
}

/// Host header of a request to a loopback bind: only the loopback names (a page of another site
/// that re-points its own name at 127.0.0.1 cannot reach the API).
bool host_allowed(const httplib::Request& req) {
    std::string host = req.get_header_value("Host");
    if (host.empty()) {
        return true;  // HTTP/1.0 client on this machine
    }
    if (host.front() == '[') {  // [::1]:8765
        host = host.substr(1, host.find(']') - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
        host.resize(colon);
    }
    return is_loopback(host);
}

class Api {
public:
    Api(pipeline::Session& session, const ServeOptions& options)
        : session_(session), options_(options) {}

    void routes(httplib::Server& http) {
        http.set_pre_routing_handler(
            [this](const auto& req, auto& res) { return guard(req, res); });
        http.Get("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_header("Cache-Control", "no-store");
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; script-src 'unsafe-inline'; style-src "
                           "'unsafe-inline'; img-src 'self' data: blob:; worker-src blob:; "
                           "connect-src 'self'");
            const std::string_view page = workspace_page();
            res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
        });
        http.Get("/api/state",
                 [this](const auto&, auto& res) { call(res, [&] { return session_.state(); }); });
        http.Post("/api/edit", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.change(req.body); });
        });
        http.Post("/api/undo", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.undo(); });
        });
        http.Post("/api/redo", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.redo(); });
        });
        http.Post("/api/station", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.station(req.body.empty() ? "{}" : req.body); });
        });
        http.Post("/api/rebalance", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.rebalance(req.body.empty() ? "{}" : req.body); });
        });
        http.Post("/api/suggest", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.suggest(req.body.empty() ? "{}" : req.body); });
        });
        http.Post("/api/save", [this](const auto& req, auto& res) {
            post(req, res, [&] { return session_.save(req.body.empty() ? "{}" : req.body); });
        });
        http.set_error_handler([](const auto& req, auto& res) {
            if (res.status == 413) {
                send_error(res, 413, "request body too large");
            } else if (res.status == 404) {
                send_error(res, 404, "no such address: " + req.path);
            }
        });
    }

private:
    /// Before any route: the token off loopback, the Host on loopback.
    httplib::Server::HandlerResponse guard(const httplib::Request& req, httplib::Response& res) {
        if (!options_.token.empty()) {
            const std::string given = req.has_header("X-Gridplan-Token")
                                          ? req.get_header_value("X-Gridplan-Token")
                                          : req.get_param_value("token");
            if (given != options_.token) {
                send_error(res, 401, "this server needs its token (printed when it started)");
                return httplib::Server::HandlerResponse::Handled;
            }
        } else if (!host_allowed(req)) {
            send_error(res, 403, "requests must be addressed to this machine (127.0.0.1)");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    }

    /// A POST with a body must say it is JSON (a form of another site cannot post one without
    /// the browser asking first, which this server never allows).
    template <class F>
    void post(const httplib::Request& req, httplib::Response& res, F&& f) {
        if (!req.body.empty() &&
            req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
            send_error(res, 415, "request bodies are JSON (Content-Type: application/json)");
            return;
        }
        call(res, std::forward<F>(f));
    }

    /// One session call at a time: a change sees the state the previous one left.
    template <class F>
    void call(httplib::Response& res, F&& f) {
        const std::lock_guard lock(mutex_);
        try {
            send_json(res, 200, f());
        } catch (const core::Error& e) {
            send_error(res, status_of(e), e.what());
        } catch (const std::exception& e) {
            send_error(res, 500, std::string{"internal error: "} + e.what());
        }
    }

    pipeline::Session& session_;
    const ServeOptions& options_;
    std::mutex mutex_;
};

}  // namespace

bool is_loopback(std::string_view address) {
    return address == "127.0.0.1" || address == "::1" || address == "localhost";
}

std::string new_token() {
    std::array<unsigned char, 16> bytes{};
    std::ifstream random("/dev/urandom", std::ios::binary);
    random.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
    if (!random) {
        throw core::Error{core::Errc::io, "reading /dev/urandom for the server's token failed"};
    }
    std::string token;
    for (const unsigned char b : bytes) {
        std::array<char, 3> hex{};
        std::snprintf(hex.data(), hex.size(), "%02x", b);
        token += hex.data();
    }
    return token;
}

void serve(pipeline::Session& session, const ServeOptions& options) {
    httplib::Server http;
    http.set_payload_max_length(options.max_body_bytes);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(60, 0);
    Api api(session, options);
    api.routes(http);
    const int port = options.port == 0
                         ? http.bind_to_any_port(options.bind)
                         : (http.bind_to_port(options.bind, options.port) ? options.port : -1);
    if (port <= 0) {
        throw core::Error{core::Errc::io,
                          "serving on " + options.bind + ":" + std::to_string(options.port) +
                              ": the address cannot be bound (in use, or not this machine's)"};
    }
    const std::string host =
        options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
    std::string url = "http://" + host + ":" + std::to_string(port) + "/";
    if (!options.token.empty()) {
        url += "?token=" + options.token;
    }
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        while (!done && core::interrupt_signal() == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        http.stop();
    });
    if (options.on_listening) {
        options.on_listening(url);
    }
    http.listen_after_bind();
    done = true;
    watcher.join();
}

}  // namespace gridplan::server

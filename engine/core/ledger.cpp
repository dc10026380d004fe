#include "core/ledger.hpp"

#include "core/error.hpp"

namespace gridplan::core {

const char* to_string(Action action) noexcept {
    switch (action) {
        case Action::repaired:
            return "repaired";
        case Action::skipped:
            return "skipped";
        case Action::warned:
            return "warned";
    }
    return "warned";
}

void Ledger::add(LedgerEntry entry) {
    if (strict_ && entry.action != Action::warned) {
        throw Error{Errc::invalid_input, "reading layer '" + entry.layer + "': feature '" +
                                             entry.source_id + "': " + entry.reason + ": " +
                                             entry.detail + " (strict mode)"};
    }
    entries_.push_back(std::move(entry));
}

std::map<std::string, std::size_t> Ledger::counts_by_reason() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& e : entries_) {
        ++counts[e.layer + "/" + e.reason];
    }
    return counts;
}

void Ledger::append(const Ledger& other) {
    entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

}  // namespace gridplan::core

// Staging folder, carry-over of the user's files, the swap and its recovery (output/swap.hpp).
#include "output/swap.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>  // renameat2 (glibc, _GNU_SOURCE)
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace gridplan::output::detail {
namespace fs = std::filesystem;

namespace {

constexpr const char* kStagingTag = ".gridplan-staging-";
constexpr const char* kOldTag = ".gridplan-old-";

[[noreturn]] void fail(const std::string& doing, const fs::path& what, int err) {
    throw core::Error{core::Errc::io, doing + " '" + what.string() + "': " + std::strerror(err)};
}

/// DIR as an absolute path without a final separator; a symbolic link DIR resolved.
fs::path resolve_target(const fs::path& dir) {
    fs::path target = fs::absolute(dir).lexically_normal();
    if (target.filename().empty()) {
        target = target.parent_path();
    }
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(target, ec))) {
        target = fs::canonical(target);
    }
    if (!target.has_parent_path() || target == target.root_path()) {
        throw core::Error{core::Errc::io,
                          "writing outputs to '" + dir.string() +
                              "': not a folder gridplan can "
                              "replace (choose a folder inside it)"};
    }
    return target;
}

fs::path sibling(const fs::path& target, const char* tag, long pid) {
    std::string name(1, '.');  // built by appends: GCC 12 -O3 warns on "." + string (PR105651)
    name += target.filename().string();
    name += tag;
    name += std::to_string(pid);
    return target.parent_path() / name;
}

/// The test hook of the kill test (tests/cli/atomic_outputs.sh): GRIDPLAN_TEST_FAIL_AT_SWAP_STEP=N
/// ends the process as a SIGKILL would, just before step N of the swap.
void swap_step(int step) {
    static const char* const fail_at = std::getenv("GRIDPLAN_TEST_FAIL_AT_SWAP_STEP");
    if (fail_at != nullptr && std::atoi(fail_at) == step) {
        ::_exit(137);
    }
}

bool process_alive(long pid) {
    if (pid <= 0 || pid == static_cast<long>(::getpid())) {
        return false;  // our own pid: a folder left by an earlier process that had it
    }
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::optional<long> pid_after(const std::string& name, const std::string& prefix) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
        return std::nullopt;
    }
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        digits.size() > 9) {
        return std::nullopt;
    }
    return std::stol(digits);
}

void fsync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

/// Every file and folder of the new set on disk before it is swapped in (a power cut after the
/// swap must not leave empty files under the new names).
void sync_tree(const fs::path& root) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_symlink() && entry.is_regular_file()) {
            fsync_path(entry.path(), O_RDONLY);
        } else if (!entry.is_symlink() && entry.is_directory()) {
            fsync_path(entry.path(), O_RDONLY | O_DIRECTORY);
        }
    }
    fsync_path(root, O_RDONLY | O_DIRECTORY);
}

/// Hard-links into `to` everything of `from` that is not one of `planned` (relative to `root`):
/// the user's own files and folders stay; links are linked as links, never followed.
void carry_over(const fs::path& from,
                const fs::path& to,
                const fs::path& rel,
                const std::set<fs::path>& planned) {
    for (const auto& entry : fs::directory_iterator(from)) {
        const fs::path name = entry.path().filename();
        const fs::path child = rel / name;
        if (planned.count(child) > 0) {
            continue;  // the new set's file, or a stale side-car of the old one
        }
        const fs::path dest = to / name;
        struct stat st {};
        if (::lstat(entry.path().c_str(), &st) != 0) {
            fail("carrying over into the new output folder", entry.path(), errno);
        }
        if (S_ISDIR(st.st_mode)) {
            if (::mkdir(dest.c_str(), st.st_mode & 07777) != 0 && errno != EEXIST) {
                fail("carrying over into the new output folder", entry.path(), errno);
            }
            carry_over(entry.path(), dest, child, planned);
        } else if (::linkat(AT_FDCWD, entry.path().c_str(), AT_FDCWD, dest.c_str(), 0) != 0) {
            const int err = errno;
            throw core::Error{core::Errc::io,
                              "carrying '" + entry.path().string() +
                                  "' over into the new output folder: " + std::strerror(err) +
                                  " (gridplan replaces the output folder whole and keeps other "
                                  "files by hard links: move it out of the folder)"};
        }
    }
}

/// flock on the folder that holds DIR: two gridplan processes never swap the same DIR at once.
class ParentLock {
public:
    explicit ParentLock(const fs::path& parent)
        : fd_(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (fd_ >= 0) {
            ::flock(fd_, LOCK_EX);
        }
    }
    ~ParentLock() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    ParentLock(const ParentLock&) = delete;
    ParentLock& operator=(const ParentLock&) = delete;
    ParentLock(ParentLock&&) = delete;
    ParentLock& operator=(ParentLock&&) = delete;

private:
    int fd_;
};

bool exchange_supported() {
    static const bool forced_off = std::getenv("GRIDPLAN_TEST_SWAP_WITHOUT_EXCHANGE") != nullptr;
    return !forced_off;
}

/// Existing DIR: old set out, new set in, in steps 2 and 3 (4); the old set is removed last.
void replace_existing(const fs::path& staging, const fs::path& target) {
    swap_step(2);
    if (exchange_supported() &&
        ::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        swap_step(3);
        std::error_code ignored;
        fs::remove_all(staging, ignored);  // now the old set
        return;
    }
    if (exchange_supported() && errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
        fail("swapping the new outputs into place", target, errno);
    }
    const fs::path old = sibling(target, kOldTag, ::getpid());
    if (::rename(target.c_str(), old.c_str()) != 0) {
        fail("moving the previous outputs aside", target, errno);
    }
    swap_step(3);
    if (::rename(staging.c_str(), target.c_str()) != 0) {
        const int err = errno;
        ::rename(old.c_str(), target.c_str());
        fail("moving the new outputs into place", target, err);
    }
    swap_step(4);
    std::error_code ignored;
    fs::remove_all(old, ignored);
}

}  // namespace

std::vector<std::string> recover_output_dir(const fs::path& dir) {
    std::vector<std::string> notes;
    const fs::path target = resolve_target(dir);
    std::string name(1, '.');  // built by appends: GCC 12 -O3 warns on "." + string (PR105651)
    name += target.filename().string();
    std::error_code ec;
    std::vector<fs::path> olds;
    std::vector<fs::path> stagings;
    for (const auto& entry : fs::directory_iterator(target.parent_path(), ec)) {
        const std::string entry_name = entry.path().filename().string();
        if (const auto pid = pid_after(entry_name, name + kOldTag); pid && !process_alive(*pid)) {
            olds.push_back(entry.path());
        } else if (const auto spid = pid_after(entry_name, name + kStagingTag);
                   spid && !process_alive(*spid)) {
            stagings.push_back(entry.path());
        }
    }
    for (const fs::path& old : olds) {
        if (!fs::exists(fs::symlink_status(target, ec)) &&
            ::rename(old.c_str(), target.c_str()) == 0) {
            notes.push_back("restored '" + target.string() + "' from '" + old.string() +
                            "': an earlier gridplan run was stopped while replacing its outputs");
        } else {
            fs::remove_all(old, ec);
            notes.push_back("removed '" + old.string() + "', left by an interrupted gridplan run");
        }
    }
    for (const fs::path& staging : stagings) {
        fs::remove_all(staging, ec);
        notes.push_back("removed '" + staging.string() + "', left by an interrupted gridplan run");
    }
    return notes;
}

Staging::Staging(const fs::path& dir)
    : target_(resolve_target(dir)), staging_(sibling(target_, kStagingTag, ::getpid())) {
    std::error_code ec;
    const auto status = fs::status(target_, ec);
    if (fs::exists(status) && !fs::is_directory(status)) {
        throw core::Error{
            core::Errc::io,
            "writing outputs to '" + target_.string() + "': a file is in the way of the folder"};
    }
    fs::create_directories(target_.parent_path());
    core::add_scratch(staging_);
    if (::mkdir(staging_.c_str(), 0777) != 0) {
        const int err = errno;
        core::drop_scratch(staging_);
        throw core::Error{core::Errc::io,
                          "creating the staging folder '" + staging_.string() +
                              "': " + std::strerror(err) +
                              " (gridplan writes the outputs beside the output folder and swaps "
                              "them in whole: the folder that holds it must be writable)"};
    }
}

Staging::~Staging() {
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
    core::drop_scratch(staging_);
}

void Staging::swap_in(const std::function<void()>& recheck, const std::vector<fs::path>& planned) {
    core::throw_if_interrupted();
    sync_tree(staging_);
    const auto in_process = core::hold_swap();
    const ParentLock lock(target_.parent_path());
    recheck();
    struct stat st {};
    if (::lstat(target_.c_str(), &st) != 0) {
        swap_step(1);
        if (::rename(staging_.c_str(), target_.c_str()) == 0) {
            fsync_path(target_.parent_path(), O_RDONLY | O_DIRECTORY);
            return;
        }
        if (errno != EEXIST && errno != ENOTEMPTY) {
            fail("moving the new outputs into place", target_, errno);
        }
        if (::lstat(target_.c_str(), &st) != 0) {
            fail("moving the new outputs into place", target_, errno);
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        throw core::Error{
            core::Errc::io,
            "writing outputs to '" + target_.string() + "': a file is in the way of the folder"};
    }
    ::chmod(staging_.c_str(), st.st_mode & 07777);
    swap_step(1);
    carry_over(target_, staging_, fs::path{}, std::set<fs::path>(planned.begin(), planned.end()));
    replace_existing(staging_, target_);
    fsync_path(target_.parent_path(), O_RDONLY | O_DIRECTORY);
}

}  // namespace gridplan::output::detail

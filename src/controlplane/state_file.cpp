#include "controlplane/state_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "controlplane/hostname.hpp"

namespace ringlb::balancer {

namespace json = boost::json;

namespace {

constexpr std::int64_t kVersion = 1;

std::string state_path(const std::string& dir) {
    return dir + "/state.json";
}

[[noreturn]] void invalid(const std::string& path, const std::string& why) {
    throw std::runtime_error("state file " + path + " is not valid (" + why +
                             "); move it away to start from --replicas");
}

[[noreturn]] void io_failure(const std::string& what, const std::string& path) {
    throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void sync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        io_failure("open", dir);
    }
    const bool synced = ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!synced) {
        errno = saved_errno;
        io_failure("sync", dir);
    }
}

}  // namespace

std::optional<SavedState> load_state(const std::string& dir) {
    const std::string path = state_path(dir);
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        io_failure("read", path);
    }
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    const json::value root = json::parse(text.str(), ec);
    if (ec || !root.is_object()) {
        invalid(path, ec ? ec.message() : "not a JSON object");
    }
    const json::value* version = root.get_object().if_contains("version");
    if (version == nullptr || !version->is_int64() || version->get_int64() != kVersion) {
        invalid(path, "unknown version");
    }
    const json::value* list = root.get_object().if_contains("replicas");
    if (list == nullptr || !list->is_array()) {
        invalid(path, "'replicas' is not a list");
    }
    std::vector<WantedReplica> replicas;
    std::set<std::string> names;
    std::set<std::uint32_t> ids;
    for (const json::value& item : list->get_array()) {
        const json::object* entry = item.if_object();
        const json::value* name = entry ? entry->if_contains("name") : nullptr;
        const json::value* id = entry ? entry->if_contains("id") : nullptr;
        if (name == nullptr || !name->is_string() || !is_valid_hostname(name->get_string()) ||
            id == nullptr || !id->is_int64() || id->get_int64() < 1 ||
            id->get_int64() > 0xFFFFFFFFLL) {
            invalid(path, "each replica needs a valid 'name' and a positive integer 'id'");
        }
        WantedReplica replica{std::string(name->get_string()),
                              static_cast<std::uint32_t>(id->get_int64())};
        if (!names.insert(replica.name).second || !ids.insert(replica.server_id).second) {
            invalid(path, "replica names and ids must be unique");
        }
        replicas.push_back(std::move(replica));
    }
    std::vector<std::uint32_t> owners;
    if (const json::value* table = root.get_object().if_contains("table")) {
        if (!table->is_array()) {
            invalid(path, "'table' is not a list");
        }
        for (const json::value& owner : table->get_array()) {
            if (!owner.is_int64() || !ids.contains(static_cast<std::uint32_t>(owner.get_int64())) ||
                owner.get_int64() < 1) {
                invalid(path, "'table' names a server id that is not a replica");
            }
            owners.push_back(static_cast<std::uint32_t>(owner.get_int64()));
        }
    }
    return SavedState{std::move(replicas), std::move(owners)};
}

void save_state(const std::string& dir, const SavedState& state) {
    json::array list;
    for (const WantedReplica& replica : state.replicas) {
        list.push_back(json::object{{"name", replica.name}, {"id", replica.server_id}});
    }
    json::object root{{"version", kVersion}, {"replicas", std::move(list)}};
    if (!state.table_owners.empty()) {
        root["table"] = json::array(state.table_owners.begin(), state.table_owners.end());
    }
    const std::string text = json::serialize(root) + "\n";
    const std::string path = state_path(dir);
    // A name of its own, created exclusively and never through a link: a fixed temporary name
    // would let anyone who can write the directory plant a symlink that ringlb then truncates.
    std::string temporary = path + ".XXXXXX";
    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0) {
        io_failure("create a temporary file in", dir);
    }
    const bool written = ::fchmod(fd, 0644) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(temporary.c_str());
        errno = saved_errno;
        io_failure("write", temporary);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int rename_errno = errno;
        ::unlink(temporary.c_str());
        errno = rename_errno;
        io_failure("replace", path);
    }
    // The rename itself is durable only once the directory is synced.
    sync_directory(dir);
}

StateDirLock::StateDirLock(const std::string& dir) {
    const std::string path = dir + "/lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) {
        io_failure("open", path);
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int lock_errno = errno;
        ::close(fd_);
        fd_ = -1;
        if (lock_errno == EWOULDBLOCK) {
            throw std::runtime_error("--state-dir " + dir +
                                     " is in use by another ringlb (it holds " + path + ")");
        }
        errno = lock_errno;
        io_failure("lock", path);
    }
}

StateDirLock::~StateDirLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the lock
    }
}

}  // namespace ringlb::balancer

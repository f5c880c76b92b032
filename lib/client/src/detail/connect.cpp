#include "detail/connect.hpp"

#include <cerrno>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace poetry::detail {

bool
out_of_descriptors() noexcept
{
    // Asking is the only sure way: open the cheapest file there is.
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0)
    {
        ::close(fd);
        return false;
    }
    return errno == EMFILE || errno == ENFILE;
}

namespace {

// Few names in a run: a list beats a map.
std::vector<std::pair<address, tcp::resolver::results_type>>&
resolutions()
{
    thread_local std::vector<std::pair<address, tcp::resolver::results_type>> known;
    return known;
}

} // namespace

void
remember_resolution(const address& addr, const tcp::resolver::results_type& endpoints)
{
    for (auto& [name, found] : resolutions())
        if (name == addr)
            return void(found = endpoints);
    resolutions().emplace_back(addr, endpoints);
}

std::optional<tcp::resolver::results_type>
remembered_resolution(const address& addr)
{
    for (const auto& [name, found] : resolutions())
        if (name == addr)
            return found;
    return std::nullopt;
}

} // namespace poetry::detail

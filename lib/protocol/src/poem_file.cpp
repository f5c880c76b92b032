#include "poetry/protocol/poem_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace poetry {
namespace {

struct file_descriptor
{
    int fd;
    ~file_descriptor()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

error_code
last_error(int value = errno)
{
    return {value, boost::system::system_category()};
}

} // namespace

std::string
read_poem_file(const std::string& path, error_code& ec)
{
    ec = {};
    const file_descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0)
        return ec = last_error(), std::string();

    struct stat info
    {};
    if (::fstat(file.fd, &info) != 0)
        return ec = last_error(), std::string();
    if (S_ISDIR(info.st_mode))
        return ec = last_error(EISDIR), std::string();
    if (!S_ISREG(info.st_mode))
        return ec = last_error(EINVAL), std::string();

    std::string poem(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t have = 0;
    while (have < poem.size())
    {
        const auto n = ::read(file.fd, poem.data() + have, poem.size() - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ec = last_error(), std::string();
        if (n == 0)
            break; // the file shrank while we read it
        have += static_cast<std::size_t>(n);
    }
    poem.resize(have);
    return poem;
}

} // namespace poetry

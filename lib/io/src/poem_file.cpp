#include "poetry/io/poem_file.hpp"

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
    // Non-blocking, so that opening a FIFO cannot wait forever for a writer; its type
    // is checked before a byte is read.
    const file_descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (file.fd < 0)
        return ec = last_error(), std::string();

    struct stat info
    {};
    if (::fstat(file.fd, &info) != 0)
        return ec = last_error(), std::string();
    if (S_ISDIR(info.st_mode))
        return ec = last_error(EISDIR), std::string();
    if (!S_ISREG(info.st_mode))
        return ec = errc::not_a_regular_file, std::string();

    // To end-of-file, whatever size the file reports: files under /proc say 0 and have
    // content, and a file may grow while it is read.
    std::string poem(static_cast<std::size_t>(info.st_size) + 1, '\0');
    std::size_t have = 0;
    for (;;)
    {
        if (have == poem.size())
            poem.resize(poem.size() * 2);
        const auto n = ::read(file.fd, poem.data() + have, poem.size() - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ec = last_error(), std::string();
        if (n == 0)
            break;
        have += static_cast<std::size_t>(n);
    }
    poem.resize(have);
    if (poem.capacity() > have + have / 4 + 4096) // only after growing: shrinking copies
        poem.shrink_to_fit();
    return poem;
}

} // namespace poetry

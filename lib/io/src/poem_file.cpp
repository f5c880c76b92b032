#include "poetry/io/poem_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <new>
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

// To end-of-file, whatever size the file reports: files under /proc say 0 and have
// content, and a file may grow while it is read.
std::string
read_to_end(int fd, std::size_t reported_size, error_code& ec)
{
    std::string poem(reported_size + 1, '\0');
    std::size_t have = 0;
    for (;;)
    {
        if (have > largest_poem_file)
            return ec = errc::poem_file_too_large, std::string();
        if (have == poem.size())
            poem.resize(poem.size() * 2);
        const auto n = ::read(fd, poem.data() + have, poem.size() - have);
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

    if (static_cast<std::size_t>(info.st_size) > largest_poem_file)
        return ec = errc::poem_file_too_large, std::string();
    try
    {
        return read_to_end(file.fd, static_cast<std::size_t>(info.st_size), ec);
    }
    catch (const std::bad_alloc&)
    {
        return ec = errc::out_of_memory, std::string();
    }
}

} // namespace poetry

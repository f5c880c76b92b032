#include "socket/memory_file.hpp"

#include <cerrno>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace poetry::detail {

std::shared_ptr<const memory_file>
memory_file::create(std::string_view text, error_code& ec)
{
    ec = {};
    const int fd = ::memfd_create("poem", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
    {
        ec.assign(errno, boost::system::system_category());
        return nullptr;
    }
    std::shared_ptr<memory_file> file(new memory_file(fd));
    for (std::size_t written = 0; written < text.size();)
    {
        const auto n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
        {
            ec.assign(n < 0 ? errno : EIO, boost::system::system_category());
            return nullptr;
        }
        written += static_cast<std::size_t>(n);
    }
    // Sealed: nothing can change the bytes while connections send them.
    if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    {
        ec.assign(errno, boost::system::system_category());
        return nullptr;
    }
    if (!text.empty())
    {
        void* map = ::mmap(nullptr, text.size(), PROT_READ, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED)
        {
            ec.assign(errno, boost::system::system_category());
            return nullptr;
        }
        file->map_ = map;
        file->size_ = text.size();
    }
    return file;
}

memory_file::~memory_file()
{
    if (map_)
        ::munmap(map_, size_);
    ::close(fd_);
}

} // namespace poetry::detail

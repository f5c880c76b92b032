// A text held in an anonymous in-memory file, for sendfile(2).
#pragma once

#include "poetry/protocol/error.hpp"

#include <memory>
#include <string_view>

namespace poetry::detail {

/** The same bytes as a string the server already holds, in a sealed memfd.

    sendfile(2) from it hands the kernel references to the file's pages
    instead of copying the bytes into every connection's socket buffer:
    a large poem sent to many clients costs the server no copies at all.
*/
class memory_file
{
public:
    /// Copy `text` into a new memory file; `ec` says why one could not be made.
    static std::shared_ptr<const memory_file> create(std::string_view text, error_code& ec);

    ~memory_file();
    memory_file(const memory_file&) = delete;
    memory_file& operator=(const memory_file&) = delete;

    int native_handle() const noexcept { return fd_; }

    /// The bytes, mapped read-only from the file's own pages: reading them costs no copy,
    /// so a server that has the file need not keep the string it was made from.
    std::string_view text() const noexcept { return {static_cast<const char*>(map_), size_}; }

private:
    explicit memory_file(int fd) noexcept
        : fd_(fd)
    {
    }

    int fd_;
    void* map_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace poetry::detail

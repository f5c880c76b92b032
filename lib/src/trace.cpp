#include "poetry/trace.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace poetry {

trace_log::trace_log(const std::string& path)
    : file_(std::fopen(path.c_str(), "w"))
{
    if (!file_)
        throw std::runtime_error("cannot write trace file '" + path + "': " + std::strerror(errno));
    std::fputs("seconds,task,address,event,bytes\n", file_.get());
}

void
trace_log::event(int task, const address& server, std::string_view what, std::size_t bytes)
{
    const std::chrono::duration<double> since = clock::now() - start_;
    std::fprintf(file_.get(), "%.6f,%d,%s,%.*s,%zu\n", since.count(), task, to_string(server).c_str(),
                 static_cast<int>(what.size()), what.data(), bytes);
}

} // namespace poetry

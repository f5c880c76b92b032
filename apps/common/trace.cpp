#include "common/trace.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace poetry {

trace_log::trace_log(const std::string& path, std::string_view command_line)
    : path_(path)
    , file_(std::fopen(path.c_str(), "w"))
{
    if (!file_)
        throw std::runtime_error("cannot write trace file '" + path + "': " + std::strerror(errno));
    // One line, whatever the arguments held.
    std::string command(command_line);
    for (char& c : command)
        if (c == '\n' || c == '\r')
            c = ' ';
    std::fprintf(file_.get(), "# %s\nseconds,task,address,event,bytes\n", command.c_str());
}

void
trace_log::close()
{
    if (!file_)
        return;
    const bool failed = std::ferror(file_.get()) != 0;
    const bool flushed = std::fclose(file_.release()) == 0;
    if (failed || !flushed)
        throw std::runtime_error("cannot write trace file '" + path_ +
                                 "': " + (errno != 0 ? std::strerror(errno) : "a write failed"));
}

void
trace_log::event(int task, const address& server, std::string_view what, std::size_t bytes)
{
    if (!file_)
        return;
    const std::chrono::duration<double> since = clock::now() - start_;
    std::fprintf(file_.get(), "%.6f,%d,%s,%.*s,%zu\n", since.count(), task, to_string(server).c_str(),
                 static_cast<int>(what.size()), what.data(), bytes);
}

} // namespace poetry

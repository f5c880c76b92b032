// The suite's --trace file, for poetry-timeline to draw: "# COMMAND LINE", then
// "seconds,task,address,event,bytes" lines (events: connect, bytes, done, failed, and
// for some programs block and deadline). Times are seconds since the program started it.
#pragma once

#include "elapsed.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace tutorial {

class trace_file
{
public:
    trace_file() = default; // no --trace: events go nowhere

    /// Create (or truncate) `path` and say in it what was run (`program` and argv's
    /// arguments); throws std::runtime_error naming the file if it cannot.
    trace_file(const std::string& path, const std::string& program, int argc, char** argv)
        : path_(path)
        , file_(path.empty() ? nullptr : std::fopen(path.c_str(), "w"))
    {
        if (path.empty())
            return;
        if (!file_)
            throw std::runtime_error("cannot write trace file '" + path + "'");
        std::fprintf(file_, "# %s", program.c_str());
        for (int i = 1; i < argc; ++i)
            std::fprintf(file_, " %s", argv[i]);
        std::fputs("\nseconds,task,address,event,bytes\n", file_);
    }
    trace_file(const trace_file&) = delete;
    trace_file& operator=(const trace_file&) = delete;
    ~trace_file()
    {
        if (file_)
            std::fclose(file_);
    }

    void event(int task, const std::string& address, const char* what, std::size_t bytes = 0)
    {
        if (!file_)
            return;
        const std::chrono::duration<double> since = clock::now() - start_;
        std::fprintf(file_, "%.6f,%d,%s,%s,%zu\n", since.count(), task, address.c_str(), what, bytes);
    }

    /// Write out what is buffered; throws naming the file if any of it could not be written.
    void close()
    {
        if (!file_)
            return;
        const bool written = std::ferror(file_) == 0;
        const bool closed = std::fclose(file_) == 0;
        file_ = nullptr;
        if (!written || !closed)
            throw std::runtime_error("cannot write trace file '" + path_ + "'");
    }

private:
    std::string path_;
    std::FILE* file_ = nullptr;
    clock::time_point start_ = clock::now();
};

} // namespace tutorial

// A made-up poem of a given size in a temporary file, for tests of large poems.
#pragma once

#include <cstdio>
#include <fstream>
#include <string>

#include <stdlib.h>
#include <unistd.h>

namespace poetry::test {

/// A poem of `size` bytes in a temporary file, removed with the object.
struct temporary_poem
{
    explicit temporary_poem(std::size_t size)
    {
        char name[] = "/tmp/poetry-test-poem-XXXXXX";
        ::close(::mkstemp(name));
        path = name;
        std::string text;
        while (text.size() < size)
            text += "A line of a long poem, number " + std::to_string(text.size()) + ".\n";
        text.resize(size);
        std::ofstream(path, std::ios::binary) << text;
        bytes = text;
    }
    ~temporary_poem() { std::remove(path.c_str()); }
    temporary_poem(const temporary_poem&) = delete;
    temporary_poem& operator=(const temporary_poem&) = delete;

    std::string path;
    std::string bytes;
};

} // namespace poetry::test

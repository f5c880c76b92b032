// The generator of gen-1 and gen-2: it counts to three, saying what it does between counts.
#pragma once

#include "generator.hpp"

#include <iostream>

namespace inline_callbacks {

inline generator<int>
my_generator()
{
    std::cout << "starting up\n";
    co_yield 1;
    std::cout << "workin'\n";
    co_yield 2;
    std::cout << "still workin'\n";
    co_yield 3;
    std::cout << "done\n";
}

} // namespace inline_callbacks

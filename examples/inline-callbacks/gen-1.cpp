// gen-1: a generator's body runs in pieces, interleaved with the loop that drives it.
// Each piece between two yields is, in effect, a callback that the loop calls.
#include "../common/command_line.hpp"
#include "generator.hpp"

#include <iostream>

using inline_callbacks::generator;

generator<int>
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

int
main(int argc, char** argv)
{
    return tutorial::run("gen-1", [&] {
        if (!tutorial::no_options(argc, argv,
                                  {"gen-1", "",
                                   "Part 17's gen-1: a generator's body, interleaved with the loop "
                                   "that drives it."}))
            return 0;
        // Python's "for n in my_generator(): print(n)".
        auto numbers = my_generator();
        for (auto n = numbers.next(); n; n = numbers.next())
            std::cout << *n << "\n";
        return 0;
    });
}

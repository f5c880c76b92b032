// gen-2: gen-1's loop written out by hand, as Python's for statement runs it:
// call next() until the generator says it has stopped (StopIteration there,
// an empty optional here). The generator is gen-1's, repeated here to be read
// beside the loop.
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
    return tutorial::run("gen-2", [&] {
        if (!tutorial::no_options(argc, argv,
                                  {"gen-2", "", "Part 17's gen-2: gen-1's loop written out by hand with next()."}))
            return 0;
        auto gen = my_generator();
        while (true)
        {
            const auto n = gen.next();
            if (!n) // StopIteration
                break;
            std::cout << *n << "\n";
        }
        return 0;
    });
}

// gen-2: gen-1's loop written out by hand, as Python's for statement runs it:
// call next() until the generator says it has stopped (StopIteration there,
// an empty optional here).
#include "counting_generator.hpp"

#include <iostream>

using inline_callbacks::my_generator;

int
main()
{
    auto gen = my_generator();
    while (true)
    {
        const auto n = gen.next();
        if (!n) // StopIteration
            break;
        std::cout << *n << "\n";
    }
}

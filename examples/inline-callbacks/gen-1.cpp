// gen-1: a generator's body runs in pieces, interleaved with the loop that drives it.
// Each piece between two yields is, in effect, a callback that the loop calls.
#include "counting_generator.hpp"

#include <iostream>

using inline_callbacks::my_generator;

int
main()
{
    // Python's "for n in my_generator(): print(n)".
    auto numbers = my_generator();
    for (auto n = numbers.next(); n; n = numbers.next())
        std::cout << *n << "\n";
}

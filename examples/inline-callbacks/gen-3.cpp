// gen-3: two generators driven by one loop, a piece of each in turn: a tiny
// reactor. Neither waits for the other to finish; their output interleaves.
#include "../common/command_line.hpp"
#include "generator.hpp"

#include <iostream>
#include <list>

using inline_callbacks::generator;

generator<int>
my_generator(int first, int count)
{
    for (int i = 1; i <= count; ++i)
    {
        const int value = first * i;
        co_yield value;
    }
}

int
main(int argc, char** argv)
{
    return tutorial::run("gen-3", [&] {
        if (!tutorial::no_options(argc, argv,
                                  {"gen-3", "", "Part 17's gen-3: two generators driven by one loop, in turn."}))
            return 0;
        std::list<generator<int>> generators;
        generators.push_back(my_generator(1, 3));  // 1 2 3
        generators.push_back(my_generator(10, 4)); // 10 20 30 40
        // Until every generator has stopped: one step of each, in turn.
        while (!generators.empty())
            for (auto it = generators.begin(); it != generators.end();)
            {
                if (const auto n = it->next())
                {
                    std::cout << *n << "\n";
                    ++it;
                }
                else
                    it = generators.erase(it); // StopIteration: this one is done
            }
        return 0;
    });
}

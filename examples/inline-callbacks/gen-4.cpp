// gen-4: a generator talks back. send() hands a value to the paused co_yield,
// throw_in() makes the paused co_yield throw, and the body can catch it and
// go on: the two things inlineCallbacks needs to turn callbacks and errbacks
// into plain code.
#include "../common/command_line.hpp"
#include "generator.hpp"

#include <iostream>
#include <stdexcept>

using inline_callbacks::generator;

generator<int>
my_generator()
{
    std::cout << "starting up\n";
    auto val = co_yield 1;
    std::cout << "got: " << val.value_or(0) << "\n";
    val = co_yield 2;
    std::cout << "got: " << val.value_or(0) << "\n";
    try
    {
        co_yield 3;
    }
    catch (const std::exception& e)
    {
        std::cout << e.what() << "\n";
    }
    co_yield 4;
    std::cout << "done\n";
}

int
main(int argc, char** argv)
{
    return tutorial::run("gen-4", [&] {
        if (!tutorial::no_options(argc, argv,
                                  {"gen-4", "",
                                   "Part 17's gen-4: values sent into a generator, and an "
                                   "exception thrown into it."}))
            return 0;
        auto gen = my_generator();
        std::cout << *gen.next() << "\n";   // starting up, 1
        std::cout << *gen.send(10) << "\n"; // got: 10, 2
        std::cout << *gen.send(20) << "\n"; // got: 20, 3
        const auto malfunction = std::make_exception_ptr(std::runtime_error("malfunction!"));
        std::cout << *gen.throw_in(malfunction) << "\n"; // malfunction!, 4
        return gen.next() ? 1 : 0;                       // done; then StopIteration
    });
}

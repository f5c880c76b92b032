// defer-10: the tutorial's twisted-deferred/defer-10.py. A chain of three steps, each
// printing what it got and passing a value on; then the same chain with a second step that
// starts an operation of its own and waits for it.
//
// In Twisted the steps are callbacks on one Deferred, and a callback that returns another
// Deferred pauses the chain until that one fires. In Asio the chain is one operation
// written with async_compose: each step is a call of its function object, and a step that
// waits passes the operation itself (`self`) as the handler of the inner operation, so the
// inner result is the next step's argument. The third way is a coroutine: the same steps
// in one function, the wait a co_await. In all three, while the chain waits nothing runs
// and no thread sleeps: the inner operation holds the rest of the chain as its handler.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

int
callback_1(int got)
{
    std::cout << "callback_1 got " << got << std::endl;
    return 1;
}

int
callback_2(int got)
{
    std::cout << "callback_2 got " << got << std::endl;
    return 2;
}

int
callback_3(int got)
{
    std::cout << "callback_3 got " << got << std::endl;
    return 3;
}

// The original's callback_2_async: it prints what it got, and its result comes later.
void
announce_wait(int got)
{
    std::cout << "callback_2 got " << got << std::endl;
}

// The chain as an operation. With `inner`, the second step waits for it instead of
// returning 2, and the third gets what it delivers.
class three_steps
{
public:
    three_steps(asio::io_context& loop, pending<int>* inner)
        : loop_(loop)
        , inner_(inner)
    {
    }

    template <class Self>
    void operator()(Self& self, std::exception_ptr error = nullptr, int got = 0)
    {
        if (error)
            return self.complete(error, 0);
        switch (step_++)
        {
        case 0: // a handler never runs inside its initiating call: go on from the loop
            return asio::post(loop_, std::move(self));
        case 1:
            if (!inner_)
                return self.complete(nullptr, callback_3(callback_2(callback_1(0))));
            announce_wait(callback_1(0));
            return inner_->async_wait(std::move(self)); // the chain waits: this op is the handler
        default:
            return self.complete(nullptr, callback_3(got));
        }
    }

private:
    asio::io_context& loop_;
    pending<int>* inner_;
    int step_ = 0;
};

template <asio::completion_token_for<void(std::exception_ptr, int)> Token>
auto
async_three_steps(asio::io_context& loop, pending<int>* inner, Token&& token)
{
    return asio::async_compose<Token, void(std::exception_ptr, int)>(three_steps(loop, inner), token, loop);
}

// The same chain as a coroutine.
asio::awaitable<int>
three_steps_coroutine(pending<int>& inner)
{
    announce_wait(callback_1(0));
    const int got = co_await inner.async_wait(asio::use_awaitable); // a failure would be thrown here
    co_return callback_3(got);
}

void
chain_done(std::exception_ptr error, int result)
{
    if (error)
        std::cout << "the chain failed: " << tutorial::message_of(error) << std::endl;
    else
        std::cout << "the chain's result: " << result << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-10", [&] {
        const tutorial::program_info info{"defer-10", "",
                                          "The tutorial's defer-10: a chain of steps, and a step that waits for an\n"
                                          "operation of its own, as async_compose steps and as a coroutine."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        std::cout << "Three steps that print what they got and pass a value on:" << std::endl;
        async_three_steps(loop, nullptr, chain_done);
        loop.run();

        std::cout << "\nThe second step starts an operation and waits for it:" << std::endl;
        pending<int> inner(loop);
        async_three_steps(loop, &inner, chain_done);
        loop.restart(); // run() returned when it ran out of work: the loop must be restarted
        loop.poll();    // runs what is ready, and returns: the chain waits
        std::cout << "callback_3 has not run: the chain waits for the inner operation." << std::endl;
        inner.deliver(2);
        loop.run();

        std::cout << "\nThe same chain as a coroutine:" << std::endl;
        pending<int> inner_of_coroutine(loop);
        asio::co_spawn(loop, three_steps_coroutine(inner_of_coroutine), chain_done);
        loop.restart();
        loop.poll();
        std::cout << "callback_3 has not run: the coroutine is suspended at its co_await." << std::endl;
        inner_of_coroutine.deliver(2);
        loop.run();
        return 0;
    });
}

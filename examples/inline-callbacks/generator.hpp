// A Python-style generator as a C++20 coroutine, for the Part 17 programs.
//
// g++ 12 has no std::generator, and the chapter needs more than iteration:
// values sent in and exceptions thrown in. Each member mirrors one feature of
// a Python generator:
//
//   Python                          here
//   ------                          ----
//   def gen(): ... yield x          generator<T> gen() { ... co_yield x; }
//   next(g)                         g.next()       -> the yielded value, or nothing
//   StopIteration                   an empty std::optional from next()/send()/throw_in()
//   for x in g:                     for (auto x = g.next(); x; x = g.next())
//   v = yield x                     auto v = co_yield x;   (v is what send() passed)
//   g.send(v)                       g.send(v)
//   g.throw(e)                      g.throw_in(std::make_exception_ptr(e))
//
// As in Python, the body does not start until the first next(), and send()
// before that is an error. An exception that escapes the body comes out of
// the next()/send()/throw_in() that resumed it.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace inline_callbacks {

template <typename T, typename Sent = T>
class generator
{
public:
    struct promise_type
    {
        std::optional<T> yielded;
        std::optional<Sent> sent;
        std::exception_ptr thrown_in; // raised at the co_yield that resumes
        std::exception_ptr escaped;   // left the body

        generator get_return_object() { return generator(handle::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; } // like Python: nothing runs yet
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { escaped = std::current_exception(); }

        // `co_yield x` suspends with x; its value, once resumed, is what send() passed
        // (nothing for next()); if throw_in() resumed it, it throws instead.
        auto yield_value(T value)
        {
            yielded = std::move(value);
            struct resumed
            {
                promise_type& promise;
                bool await_ready() const noexcept { return false; }
                void await_suspend(std::coroutine_handle<>) const noexcept {}
                std::optional<Sent> await_resume() const
                {
                    if (auto e = std::exchange(promise.thrown_in, nullptr))
                        std::rethrow_exception(e);
                    return std::exchange(promise.sent, std::nullopt);
                }
            };
            return resumed{*this};
        }
    };
    using handle = std::coroutine_handle<promise_type>;

    generator(generator&& other) noexcept
        : coroutine_(std::exchange(other.coroutine_, nullptr))
    {
    }
    generator& operator=(generator&&) = delete;
    ~generator()
    {
        if (coroutine_)
            coroutine_.destroy();
    }

    /// Python's next(g): run to the next yield; nothing once the body has ended.
    std::optional<T> next() { return resume(); }

    /// Python's g.send(v): the pending co_yield returns v, then run to the next yield.
    std::optional<T> send(Sent value)
    {
        if (!started_)
            throw std::logic_error("can't send a value to a just-started generator");
        coroutine_.promise().sent = std::move(value);
        return resume();
    }

    /// Python's g.throw(e): the pending co_yield throws e; the body may catch it and go on.
    std::optional<T> throw_in(std::exception_ptr e)
    {
        coroutine_.promise().thrown_in = std::move(e);
        return resume();
    }

private:
    explicit generator(handle h)
        : coroutine_(h)
    {
    }

    std::optional<T> resume()
    {
        started_ = true;
        if (coroutine_.done())
            return std::nullopt;
        auto& promise = coroutine_.promise();
        promise.yielded.reset();
        coroutine_.resume();
        if (auto e = std::exchange(promise.escaped, nullptr))
            std::rethrow_exception(e);
        return std::exchange(promise.yielded, std::nullopt);
    }

    handle coroutine_;
    bool started_ = false;
};

} // namespace inline_callbacks

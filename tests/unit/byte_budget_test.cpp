#include "poetry/memory/budgeted_buffer.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>
#include <vector>

#include <malloc.h>

using namespace poetry;

BOOST_AUTO_TEST_SUITE(byte_budget_)

BOOST_AUTO_TEST_CASE(takes_only_what_fits)
{
    byte_budget budget(100);
    BOOST_TEST(budget.try_take(60));
    BOOST_TEST(!budget.try_take(41), "60 + 41 passes 100");
    BOOST_TEST(budget.in_use() == 60u, "a refusal takes nothing");
    BOOST_TEST(budget.try_take(40));
    budget.give_back(100);
    BOOST_TEST(budget.in_use() == 0u);
    BOOST_TEST(!budget.try_take(101));
}

BOOST_AUTO_TEST_CASE(the_reserve_is_kept_for_small_holders)
{
    constexpr std::size_t small = byte_budget::small_holding;
    auto budget = std::make_shared<byte_budget>(10 * small, 2 * small);
    // Large holders stop short of the reserve, however many of them.
    budgeted_buffer large(budget);
    BOOST_TEST(large.grow(8 * small));
    budgeted_buffer another_large(budget);
    BOOST_TEST(!another_large.grow(small + 1), "a large holder may not take the reserve");
    // Small holders still get theirs.
    budgeted_buffer first_small(budget);
    budgeted_buffer second_small(budget);
    BOOST_TEST(first_small.grow(small));
    BOOST_TEST(second_small.grow(small));
    budgeted_buffer third_small(budget);
    BOOST_TEST(!third_small.grow(1), "the whole budget is in use");
    // A small holder that grows past small_holding becomes a large one.
    second_small.free();
    BOOST_TEST(!first_small.grow(small + 1), "large holders are at their cap");
    BOOST_TEST(budget->in_use() == 9 * small);
}

BOOST_AUTO_TEST_CASE(the_overdraft_is_one_holders_at_a_time)
{
    auto budget = std::make_shared<byte_budget>(100, 0, 40);
    budgeted_buffer full(budget);
    BOOST_TEST(full.grow(100));
    budgeted_buffer first(budget);
    BOOST_TEST(!first.grow(30), "the budget is full");
    BOOST_TEST(!first.grow_overdrawn(41), "more than the overdraft");
    BOOST_TEST(first.grow_overdrawn(30));
    BOOST_TEST(first.capacity() == 30u);
    BOOST_TEST(budget->in_use() == 130u);
    budgeted_buffer second(budget);
    BOOST_TEST(!second.grow_overdrawn(20), "another holder has the overdraft");
    first.free();
    BOOST_TEST(budget->in_use() == 100u);
    BOOST_TEST(second.grow_overdrawn(20), "given back with its holder's share");
    {
        budgeted_buffer moved(std::move(second));
    }
    budgeted_buffer third(budget);
    BOOST_TEST(third.grow_overdrawn(20), "a destroyed buffer gives the overdraft back too");
}

BOOST_AUTO_TEST_CASE(a_buffer_pays_for_what_it_holds_and_gives_it_back)
{
    auto budget = std::make_shared<byte_budget>(100);
    {
        budgeted_buffer buffer(budget);
        BOOST_TEST(buffer.grow(70));
        BOOST_TEST(!buffer.grow(120), "more than the whole budget");
        BOOST_TEST(buffer.paid() == 70u, "a refused growth keeps what it had");
        BOOST_TEST(buffer.capacity() == 70u);

        budgeted_buffer moved(std::move(buffer));
        BOOST_TEST(moved.paid() == 70u);
        BOOST_TEST(budget->in_use() == 70u, "a move neither takes nor gives");
        budgeted_buffer assigned(budget);
        BOOST_TEST(assigned.grow(20));
        assigned = std::move(moved);
        BOOST_TEST(budget->in_use() == 70u, "the buffer assigned over gave its share back");
    }
    BOOST_TEST(budget->in_use() == 0u, "destroyed buffers give everything back");
}

BOOST_AUTO_TEST_CASE(a_buffer_without_a_budget_grows_freely)
{
    budgeted_buffer unlimited;
    BOOST_TEST(unlimited.grow(1 << 20));
    BOOST_TEST(unlimited.capacity() == std::size_t{1} << 20);
    BOOST_TEST(unlimited.paid() == 0u, "nothing counts it");
}

BOOST_AUTO_TEST_CASE(a_holder_waiting_on_its_peer_never_takes_the_reserve)
{
    constexpr std::size_t small = byte_budget::small_holding;
    auto budget = std::make_shared<byte_budget>(10 * small, 2 * small);
    std::vector<budgeted_buffer> waiting;
    for (int i = 0; i < 9; ++i)
    {
        waiting.emplace_back(budget).set_waiting(true);
        BOOST_TEST(waiting.back().grow(small) == (i < 8), "waiting holder " << i);
    }
    BOOST_TEST(budget->in_use() == 8 * small, "small holders that wait stop short of the reserve");
    budgeted_buffer whole(budget); // a short request that arrived whole
    BOOST_TEST(whole.grow(small));
}

BOOST_AUTO_TEST_CASE(decoder_counts_only_a_request_that_ends_as_not_waiting)
{
    // The reserve (the last 8 KiB here) goes to a request whose last byte came in the same
    // bytes, never to one still arriving.
    auto budget = std::make_shared<byte_budget>(16 * 1024, 8 * 1024);
    budgeted_buffer filler(budget);
    BOOST_TEST_REQUIRE(filler.grow(6 * 1024));
    netstring_decoder arriving(100'000, budgeted_buffer(budget));
    arriving.feed("5000:" + std::string(4'000, 'x'));
    BOOST_TEST(arriving.error() == make_error_code(errc::buffer_budget_exceeded));
    netstring_decoder whole(100'000, budgeted_buffer(budget));
    whole.feed("5000:" + std::string(5'000, 'x') + ",");
    BOOST_TEST((whole.state() == netstring_decoder::status::done));
}

BOOST_AUTO_TEST_CASE(decoder_pays_before_it_grows)
{
    auto budget = std::make_shared<byte_budget>(10'000);
    netstring_decoder decoder(100'000, budgeted_buffer(budget));
    decoder.feed("50000:");
    BOOST_TEST(budget->in_use() == 0u, "a declared length costs nothing");
    decoder.feed(std::string(5'000, 'x'));
    BOOST_TEST(budget->in_use() == decoder.buffered_bytes());
    BOOST_TEST(decoder.buffered_bytes() <= 10'000u);

    // The next growth would pass the budget: the request is refused and its share given back.
    decoder.feed(std::string(6'000, 'x'));
    BOOST_TEST(decoder.error() == make_error_code(errc::buffer_budget_exceeded));
    BOOST_TEST(budget->in_use() == 0u);
    BOOST_TEST(decoder.buffered_bytes() < 100u);
}

// A buffer of `capacity` bytes paid for from `budget`, as a holder makes one.
budgeted_buffer
paid_buffer(const std::shared_ptr<byte_budget>& budget, std::size_t capacity)
{
    budgeted_buffer buffer(budget);
    BOOST_TEST_REQUIRE(buffer.grow(capacity));
    return buffer;
}

BOOST_AUTO_TEST_CASE(a_budgeted_buffer_grows_only_as_far_as_it_is_paid_for)
{
    auto budget = std::make_shared<byte_budget>(100'000);
    budgeted_buffer buffer(budget);
    buffer.bytes() = "western wind";
    BOOST_TEST_REQUIRE(buffer.grow(50'000));
    BOOST_TEST(buffer.capacity() == 50'000u, "exactly what was paid for");
    BOOST_TEST(buffer.bytes() == "western wind");
    BOOST_TEST(budget->in_use() == 50'000u);
    BOOST_TEST(!buffer.grow(200'000), "more than the budget has");
    BOOST_TEST(buffer.capacity() == 50'000u);
    BOOST_TEST(budget->in_use() == 50'000u);

    const std::string taken = buffer.take_kept();
    BOOST_TEST(taken == "western wind");
    BOOST_TEST(buffer.paid() == 0u);
    BOOST_TEST(budget->in_use() == 50'000u, "what its holder took away stays counted");

    budgeted_buffer freed = paid_buffer(budget, 30'000);
    freed.free();
    BOOST_TEST(freed.capacity() < 100u);
    BOOST_TEST(budget->in_use() == 50'000u, "a freed buffer gives its share back");
}

BOOST_AUTO_TEST_CASE(a_kept_buffer_stays_counted_until_reused)
{
    constexpr std::size_t kib = 1024;
    auto budget = std::make_shared<byte_budget>(4096 * kib);
    budgeted_buffer first = paid_buffer(budget, 200 * kib);
    const char* const memory = first.bytes().data();
    first.recycle();
    BOOST_TEST(first.capacity() < 100u, "the holder no longer has it");
    BOOST_TEST(first.paid() == 0u);
    BOOST_TEST(budget->kept() == 200 * kib);
    BOOST_TEST(budget->in_use() == 200 * kib, "kept, it is still counted");

    // Too small or too large for what the next holder asks: not taken.
    budgeted_buffer second(budget);
    second.bytes() = "hello";
    BOOST_TEST(!second.reuse(201 * kib, 400 * kib));
    BOOST_TEST(!second.reuse(100 * kib, 199 * kib));
    BOOST_TEST(second.bytes() == "hello");

    BOOST_TEST(second.reuse(150 * kib, 300 * kib));
    BOOST_TEST(static_cast<const void*>(second.bytes().data()) == static_cast<const void*>(memory), "the same memory");
    BOOST_TEST(second.bytes().substr(0, 5) == "hello", "the holder's bytes are copied to its start");
    BOOST_TEST(second.paid() == 200 * kib);
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == 200 * kib, "taking it back takes nothing more");
    second.free();
    BOOST_TEST(budget->in_use() == 0u);
}

BOOST_AUTO_TEST_CASE(reuse_takes_the_smallest_kept_buffer_that_fits)
{
    constexpr std::size_t kib = 1024;
    auto budget = std::make_shared<byte_budget>(8192 * kib);
    for (const std::size_t capacity : {500 * kib, 300 * kib, 400 * kib})
        paid_buffer(budget, capacity).recycle();
    budgeted_buffer buffer(budget);
    BOOST_TEST(buffer.reuse(350 * kib, 1000 * kib));
    BOOST_TEST(buffer.capacity() == 400 * kib);
    BOOST_TEST(budget->kept() == 800 * kib);
}

BOOST_AUTO_TEST_CASE(kept_buffers_are_freed_first_when_room_is_needed)
{
    constexpr std::size_t kib = 1024;
    auto budget = std::make_shared<byte_budget>(1024 * kib);
    paid_buffer(budget, 200 * kib).recycle();
    budgeted_buffer large(budget);
    BOOST_TEST(large.grow(900 * kib), "200 KiB kept + 900 KiB passes the limit: the kept buffer goes");
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == 900 * kib);
}

BOOST_AUTO_TEST_CASE(a_quarter_of_the_limit_is_kept_at_most)
{
    constexpr std::size_t kib = 1024;
    auto budget = std::make_shared<byte_budget>(4096 * kib); // keeps 1 MiB at most
    const auto keep = [&](std::size_t capacity) { paid_buffer(budget, capacity).recycle(); };
    keep(400 * kib);
    keep(300 * kib);
    keep(500 * kib);
    BOOST_TEST(budget->kept() == 800 * kib, "the oldest went to make room");
    BOOST_TEST(budget->in_use() == 800 * kib);
    keep(1025 * kib);
    BOOST_TEST(budget->kept() == 800 * kib, "larger than everything allowed: freed");
    BOOST_TEST(budget->in_use() == 800 * kib);
    for (int i = 0; i < 10; ++i)
        keep(64 * kib);
    BOOST_TEST(budget->kept() == kept_blocks::most_blocks * 64 * kib, "so many blocks at most");
    BOOST_TEST(budget->in_use() == budget->kept());
}

BOOST_AUTO_TEST_CASE(small_buffers_and_overdrawn_shares_are_not_kept)
{
    constexpr std::size_t kib = 1024;
    auto budget = std::make_shared<byte_budget>(1024 * kib, 0, 512 * kib);
    paid_buffer(budget, byte_budget::smallest_kept - 1).recycle();
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == 0u);

    budgeted_buffer full(budget);
    BOOST_TEST(full.grow(1024 * kib));
    {
        budgeted_buffer overdrawn(budget);
        BOOST_TEST(overdrawn.grow_overdrawn(256 * kib));
        BOOST_TEST(overdrawn.capacity() == 256 * kib);
        overdrawn.recycle();
    }
    BOOST_TEST(budget->kept() == 0u, "bytes past the limit are never kept");
    BOOST_TEST(budget->in_use() == 1024 * kib);
}

BOOST_AUTO_TEST_CASE(decoder_reads_a_long_payload_into_a_kept_buffer)
{
    auto budget = std::make_shared<byte_budget>(8'000'000);
    const char* memory = nullptr;
    {
        netstring_decoder first(1'000'000, budgeted_buffer(budget));
        first.feed(netstring_encode(std::string(300'000, 'a')));
        memory = first.payload().data();
        first.payload_buffer().recycle();
        BOOST_TEST(first.buffered_bytes() < 100u);
    }
    BOOST_TEST(budget->kept() == 300'000u);

    // Too short for it: more than twice its length.
    netstring_decoder short_one(1'000'000, budgeted_buffer(budget));
    short_one.feed(netstring_encode(std::string(140'000, 'b')));
    BOOST_TEST(budget->kept() == 300'000u);

    netstring_decoder second(1'000'000, budgeted_buffer(budget));
    second.feed("200000:");
    second.feed(std::string(100'000, 'c'));
    BOOST_TEST(static_cast<const void*>(second.payload().data()) == static_cast<const void*>(memory));
    second.feed(std::string(100'000, 'd') + ",");
    BOOST_TEST((second.payload() == std::string(100'000, 'c') + std::string(100'000, 'd')),
               "the last payload's bytes are not in it");
    BOOST_TEST(budget->kept() == 0u);
    BOOST_TEST(budget->in_use() == 300'000u + short_one.buffered_bytes());
}

// The policy's numbers are the budget's, and the allocator setting its count relies on is
// in force wherever such a budget is made, tests included: a long block freed leaves the
// process, and the next one gets pages of its own again, as malloc would not by itself.
BOOST_AUTO_TEST_CASE(a_budget_made_from_a_policy_has_its_numbers_and_its_allocator)
{
    const memory_policy policy{.limit = 64 * memory_policy::MiB};
    byte_budget budget(policy);
    BOOST_TEST(budget.limit() == 64 * memory_policy::MiB);
    BOOST_TEST(budget.reserve() == 8 * memory_policy::MiB);
    BOOST_TEST(memory_policy{.limit = 1024 * memory_policy::MiB}.overdraft() == 32 * memory_policy::MiB);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    BOOST_TEST_MESSAGE("a sanitizer's allocator stands in for malloc: its threshold is not malloc's");
#else
    constexpr std::size_t long_block = 4 * memory_policy::MiB;
    static void* volatile seen; // so that the compiler keeps each malloc and free
    seen = std::malloc(long_block);
    std::free(seen); // left to itself, malloc raises its threshold past this block here
    const std::size_t before = mallinfo2().hblks;
    seen = std::malloc(long_block);
    BOOST_TEST(mallinfo2().hblks == before + 1, "the next long block has pages of its own");
    std::free(seen);
#endif
}

BOOST_AUTO_TEST_SUITE_END()

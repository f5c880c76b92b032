// The pool of kept buffers: what it keeps, what it frees to make room, and what it gives
// back, counted in capacity as byte_budget counts them.
#include "poetry/memory/kept_blocks.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <thread>

using poetry::kept_blocks;

namespace {

constexpr std::size_t KiB = 1024;

std::string
block_of(std::size_t bytes)
{
    std::string block;
    block.reserve(bytes);
    return block;
}

} // namespace

BOOST_AUTO_TEST_SUITE(kept_blocks_suite)

BOOST_AUTO_TEST_CASE(a_block_too_small_or_too_large_is_not_kept_but_handed_back)
{
    kept_blocks pool(1024 * KiB);
    auto small = block_of(kept_blocks::smallest / 2);
    const auto small_capacity = small.capacity();
    BOOST_TEST(pool.keep(std::move(small)) == small_capacity);
    auto large = block_of(2048 * KiB);
    const auto large_capacity = large.capacity();
    BOOST_TEST(pool.keep(std::move(large)) == large_capacity);
    BOOST_TEST(pool.bytes() == 0u);
}

BOOST_AUTO_TEST_CASE(take_gives_the_smallest_block_that_fits_and_no_longer_keeps_it)
{
    kept_blocks pool(1024 * KiB);
    auto big = block_of(256 * KiB), middle = block_of(128 * KiB), least = block_of(64 * KiB);
    const auto big_capacity = big.capacity(), middle_capacity = middle.capacity(), least_capacity = least.capacity();
    BOOST_TEST(pool.keep(std::move(big)) == 0u);
    BOOST_TEST(pool.keep(std::move(middle)) == 0u);
    BOOST_TEST(pool.keep(std::move(least)) == 0u);
    BOOST_TEST(pool.bytes() == big_capacity + middle_capacity + least_capacity);

    const auto taken = pool.take(100 * KiB, 1024 * KiB); // the 128 KiB one: the 64 KiB is too small
    BOOST_TEST(taken.capacity() == middle_capacity);
    BOOST_TEST(pool.bytes() == big_capacity + least_capacity);
    // None so large, none so small: an empty string (no kept block), and the pool as it was.
    BOOST_TEST(pool.take(300 * KiB, 1024 * KiB).capacity() < kept_blocks::smallest);
    BOOST_TEST(pool.take(1, 32 * KiB).capacity() < kept_blocks::smallest);
    BOOST_TEST(pool.bytes() == big_capacity + least_capacity);
    BOOST_TEST(pool.free_all() == big_capacity + least_capacity);
    BOOST_TEST(pool.bytes() == 0u);
}

BOOST_AUTO_TEST_CASE(room_is_made_by_freeing_the_oldest_when_the_bytes_would_pass_the_most)
{
    kept_blocks pool(200 * KiB);
    auto first = block_of(64 * KiB), second = block_of(64 * KiB), third = block_of(64 * KiB);
    const auto first_capacity = first.capacity();
    pool.keep(std::move(first));
    pool.keep(std::move(second));
    pool.keep(std::move(third));
    BOOST_TEST(pool.bytes() <= 200 * KiB);
    auto fourth = block_of(64 * KiB);
    const std::size_t before = pool.bytes();
    const auto fourth_capacity = fourth.capacity();
    const std::size_t freed = pool.keep(std::move(fourth));
    BOOST_TEST(freed >= first_capacity); // the oldest went first
    BOOST_TEST(pool.bytes() == before + fourth_capacity - freed);
    BOOST_TEST(pool.bytes() <= 200 * KiB);
}

BOOST_AUTO_TEST_CASE(at_most_most_blocks_are_kept_however_many_bytes_are_allowed)
{
    kept_blocks pool(1024 * 1024 * KiB);
    std::size_t capacity = 0;
    for (std::size_t i = 0; i < kept_blocks::most_blocks; ++i)
    {
        auto block = block_of(64 * KiB);
        capacity = block.capacity();
        BOOST_TEST(pool.keep(std::move(block)) == 0u);
    }
    BOOST_TEST(pool.keep(block_of(64 * KiB)) == capacity); // one more: the oldest is freed
    BOOST_TEST(pool.bytes() == kept_blocks::most_blocks * capacity);
}

BOOST_AUTO_TEST_CASE(threads_keeping_and_taking_at_once_leave_the_count_true)
{
    kept_blocks pool(512 * KiB);
    const auto work = [&] {
        for (int i = 0; i < 2000; ++i)
        {
            pool.keep(block_of(64 * KiB));
            pool.take(64 * KiB, 1024 * KiB);
        }
    };
    std::thread other(work);
    work();
    other.join();
    // What is left is counted: freeing it all gives back exactly that.
    const std::size_t left = pool.bytes();
    BOOST_TEST(left <= 512 * KiB);
    BOOST_TEST(pool.free_all() == left);
    BOOST_TEST(pool.bytes() == 0u);
}

// What a quiet server gives back: the blocks kept before a time, none kept after it.
BOOST_AUTO_TEST_CASE(free_kept_before_frees_only_the_blocks_kept_before_the_cutoff)
{
    kept_blocks pool(1024 * KiB);
    const auto before_any = std::chrono::steady_clock::now();
    auto first = block_of(64 * KiB), second = block_of(128 * KiB);
    const auto both = first.capacity() + second.capacity();
    pool.keep(std::move(first));
    pool.keep(std::move(second));
    BOOST_TEST(pool.free_kept_before(before_any) == 0u);
    BOOST_TEST(pool.bytes() == both);
    BOOST_TEST(pool.free_kept_before(std::chrono::steady_clock::now() + std::chrono::nanoseconds(1)) == both);
    BOOST_TEST(pool.bytes() == 0u);
    BOOST_TEST(pool.take(1, 1024 * KiB).capacity() < kept_blocks::smallest, "nothing is left to take");
}

BOOST_AUTO_TEST_SUITE_END()

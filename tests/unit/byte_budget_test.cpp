#include "poetry/protocol/byte_budget.hpp"

#include "poetry/protocol/netstring.hpp"

#include <boost/test/unit_test.hpp>

#include <memory>

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
    budget_lease large(budget);
    BOOST_TEST(large.resize(8 * small));
    budget_lease another_large(budget);
    BOOST_TEST(!another_large.resize(small + 1), "a large holder may not take the reserve");
    // Small holders still get theirs.
    budget_lease first_small(budget);
    budget_lease second_small(budget);
    BOOST_TEST(first_small.resize(small));
    BOOST_TEST(second_small.resize(small));
    budget_lease third_small(budget);
    BOOST_TEST(!third_small.resize(1), "the whole budget is in use");
    // A small holder that grows past small_holding becomes a large one.
    second_small.release();
    BOOST_TEST(!first_small.resize(small + 1), "large holders are at their cap");
    BOOST_TEST(budget->in_use() == 9 * small);
}

BOOST_AUTO_TEST_CASE(the_overdraft_is_one_holders_at_a_time)
{
    auto budget = std::make_shared<byte_budget>(100, 0, 40);
    budget_lease full(budget);
    BOOST_TEST(full.resize(100));
    budget_lease first(budget);
    BOOST_TEST(!first.resize(30), "the budget is full");
    BOOST_TEST(!first.resize_overdrawn(41), "more than the overdraft");
    BOOST_TEST(first.resize_overdrawn(30));
    BOOST_TEST(budget->in_use() == 130u);
    budget_lease second(budget);
    BOOST_TEST(!second.resize_overdrawn(10), "another holder has the overdraft");
    first.release();
    BOOST_TEST(budget->in_use() == 100u);
    BOOST_TEST(second.resize_overdrawn(10), "given back with its holder's share");
    {
        budget_lease moved(std::move(second));
    }
    budget_lease third(budget);
    BOOST_TEST(third.resize_overdrawn(10), "a destroyed lease gives the overdraft back too");
}

BOOST_AUTO_TEST_CASE(lease_resizes_and_gives_back)
{
    auto budget = std::make_shared<byte_budget>(100);
    {
        budget_lease lease(budget);
        BOOST_TEST(lease.resize(70));
        BOOST_TEST(!lease.resize(120), "more than the whole budget");
        BOOST_TEST(lease.held() == 70u, "a refused resize keeps what it held");
        BOOST_TEST(lease.resize(30));
        BOOST_TEST(budget->in_use() == 30u);

        budget_lease moved(std::move(lease));
        BOOST_TEST(moved.held() == 30u);
        BOOST_TEST(budget->in_use() == 30u, "a move neither takes nor gives");
    }
    BOOST_TEST(budget->in_use() == 0u, "destroyed leases give everything back");

    budget_lease kept(budget);
    BOOST_TEST(kept.resize(50));
    kept.keep();
    kept.release();
    BOOST_TEST(budget->in_use() == 50u, "a kept share stays taken");
}

BOOST_AUTO_TEST_CASE(lease_without_a_budget_allows_everything)
{
    budget_lease unlimited;
    BOOST_TEST(unlimited.resize(std::size_t{1} << 40));
}

BOOST_AUTO_TEST_CASE(decoder_pays_before_it_grows)
{
    auto budget = std::make_shared<byte_budget>(10'000);
    netstring_decoder decoder(100'000, budget_lease(budget));
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

BOOST_AUTO_TEST_SUITE_END()

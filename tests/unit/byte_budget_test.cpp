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

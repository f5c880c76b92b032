// The drip's one timer per event loop: clients called in due order, those due together in
// the order they were added, one chunk each per round, and nothing outstanding once only
// withdrawn clients are left.
#include "drip/drip_schedule.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using steady = poetry::clock;
using poetry::detail::drip_schedule;
using namespace std::chrono_literals;

namespace {

// A client that writes its name into `calls` each time it is due, and asks to be called
// again at each of `then`, in turn.
class recording_client : public poetry::detail::drip_client
{
public:
    recording_client(std::string name, std::vector<std::string>& calls, std::vector<steady::time_point> then = {})
        : name_(std::move(name))
        , calls_(calls)
        , then_(std::move(then))
    {
    }

    std::optional<steady::time_point> on_due() override
    {
        calls_.push_back(name_);
        if (next_ == then_.size())
            return std::nullopt;
        return then_[next_++];
    }

private:
    std::string name_;
    std::vector<std::string>& calls_;
    std::vector<steady::time_point> then_;
    std::size_t next_ = 0;
};

std::shared_ptr<recording_client>
client(std::string name, std::vector<std::string>& calls, std::vector<steady::time_point> then = {})
{
    return std::make_shared<recording_client>(std::move(name), calls, std::move(then));
}

// Runs the loop to its end: the test fails if work is still outstanding after 5 s.
void
run_to_end(boost::asio::io_context& loop)
{
    loop.run_for(5s);
    BOOST_TEST_REQUIRE(loop.stopped(), "the schedule left work outstanding");
}

} // namespace

BOOST_AUTO_TEST_SUITE(drip_schedule_rounds)

BOOST_AUTO_TEST_CASE(clients_are_called_in_due_order_and_in_added_order_among_equal_times)
{
    boost::asio::io_context loop;
    auto& schedule = drip_schedule::of(loop.get_executor());
    std::vector<std::string> calls;
    const auto soon = steady::now() + 20ms;
    schedule.add(client("late", calls), soon + 10ms);
    schedule.add(client("first", calls), soon);
    schedule.add(client("second", calls), soon);
    schedule.add(client("earliest", calls), soon - 10ms);
    schedule.add(client("third", calls), soon);

    run_to_end(loop);

    BOOST_TEST(calls == (std::vector<std::string>{"earliest", "first", "second", "third", "late"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_client_due_again_at_once_waits_for_the_others_of_its_round)
{
    boost::asio::io_context loop;
    auto& schedule = drip_schedule::of(loop.get_executor());
    std::vector<std::string> calls;
    const auto now = steady::now();
    // "eager" is due again as soon as it is called, twice; the others once.
    schedule.add(client("eager", calls, {now, now}), now);
    schedule.add(client("a", calls), now);
    schedule.add(client("b", calls), now);

    run_to_end(loop);

    BOOST_TEST(calls == (std::vector<std::string>{"eager", "a", "b", "eager", "eager"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_withdrawn_client_is_not_called_and_the_last_one_stops_the_timer)
{
    boost::asio::io_context loop;
    auto& schedule = drip_schedule::of(loop.get_executor());
    std::vector<std::string> calls;
    const auto kept = client("kept", calls);
    const auto withdrawn = client("withdrawn", calls);
    const auto far = client("far", calls);
    schedule.add(withdrawn, steady::now() + 10ms);
    schedule.add(kept, steady::now() + 20ms);
    schedule.add(far, steady::now() + 1h);
    schedule.withdraw(*withdrawn);
    schedule.withdraw(*far); // the loop must not wait an hour for it

    run_to_end(loop);

    BOOST_TEST(calls == std::vector<std::string>{"kept"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

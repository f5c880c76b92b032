// The Boost.Test entry point; each test executable names its module.
#define BOOST_TEST_MODULE POETRY_TEST_MODULE
#include <boost/test/unit_test.hpp>

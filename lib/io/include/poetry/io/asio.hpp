// Names every part of the library uses for Asio.
#pragma once

#include "poetry/protocol/error.hpp"
#include <boost/asio/any_io_executor.hpp>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>

namespace poetry {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

} // namespace poetry

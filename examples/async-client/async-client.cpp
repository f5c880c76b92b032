// async-client: Part 2's asynchronous client, with the event loop written by hand. Each
// socket is connected, then made non-blocking; then one loop asks poll() which sockets
// have bytes, reads what each has without waiting, and goes round again until every
// server has closed. One thread gets every poem at once: the time is the slowest one's.
//
// No Asio here: poll() is the original's select(), and this loop is what an event loop
// (Twisted's reactor, Asio's io_context) does for a program.
#include "../common/client_command.hpp"
#include "../common/elapsed.hpp"
#include "../common/server_address.hpp"
#include "../common/trace_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <netdb.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace tutorial;

struct download
{
    int task;
    server_address address;
    int socket = -1; // -1 once closed
    std::string poem;
};

// Connect, blocking as the original does, then make the socket non-blocking: from now on
// recv() returns at once, with what has come or with EWOULDBLOCK.
int
connect_to(const server_address& address)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int error = getaddrinfo(address.host.c_str(), address.port.c_str(), &hints, &found); error != 0)
        throw std::runtime_error(gai_strerror(error));
    int error = 0;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next)
    {
        const int socket = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (socket >= 0 && ::connect(socket, a->ai_addr, a->ai_addrlen) == 0)
        {
            freeaddrinfo(found);
            fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK);
            return socket;
        }
        error = errno;
        if (socket >= 0)
            close(socket);
    }
    freeaddrinfo(found);
    throw std::runtime_error(std::strerror(error));
}

void
finish(download& d)
{
    close(d.socket);
    d.socket = -1;
}

// poll() said this socket is ready: read all it has now, never waiting for more.
void
read_ready(download& d, trace_file& trace)
{
    std::string data;
    char bytes[1024];
    for (;;)
    {
        const ssize_t count = recv(d.socket, bytes, sizeof bytes, 0);
        if (count > 0)
        {
            data.append(bytes, static_cast<std::size_t>(count));
            continue;
        }
        if (count < 0 && (errno == EWOULDBLOCK || errno == EAGAIN))
            break; // nothing more for now: back to the loop
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) // a reset, say: this download has failed
        {
            std::cerr << "Task " << d.task << " failed: " << std::strerror(errno) << std::endl;
            trace.event(d.task, d.address.text(), "failed", d.poem.size());
            finish(d);
            d.poem.clear();
            return;
        }
        break; // count == 0: the server closed; the next round sees nothing but that
    }
    if (data.empty())
    {
        std::cout << "Task " << d.task << " finished" << std::endl;
        trace.event(d.task, d.address.text(), "done", d.poem.size());
        finish(d);
        return;
    }
    std::cout << "Task " << d.task << ": got " << data.size() << " bytes of poetry from " << d.address.text()
              << std::endl;
    trace.event(d.task, d.address.text(), "bytes", data.size());
    d.poem += data;
}

// The event loop: wait until some socket is ready, serve the ready ones, again.
void
get_poetry(std::vector<download>& downloads, trace_file& trace)
{
    for (;;)
    {
        std::vector<pollfd> waiting;
        std::vector<download*> owners;
        for (auto& d : downloads)
            if (d.socket >= 0)
            {
                waiting.push_back({d.socket, POLLIN, 0});
                owners.push_back(&d);
            }
        if (waiting.empty())
            return;
        if (poll(waiting.data(), waiting.size(), -1) < 0) // sleeps until a socket is ready
        {
            if (errno == EINTR)
                continue;
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
        for (std::size_t i = 0; i < waiting.size(); ++i)
            if (waiting[i].revents != 0)
                read_ready(*owners[i], trace);
    }
}

int
main(int argc, char** argv)
{
    return tutorial::run("async-client", [&] {
        const program_info info{"async-client", "[--trace FILE] [host:]port ...",
                                "Part 2's asynchronous client: get every server's poem at once, in one thread,\n"
                                "with a poll() loop written by hand, saying what came from where as it comes."};
        const auto command = read_client_command(argc, argv, info);
        if (!command)
            return 0;
        const auto& addresses = command->addresses;
        trace_file trace(command->options.text("trace"), info.name, argc, argv);

        const auto start = clock::now();
        std::vector<download> downloads;
        bool failed = false;
        for (std::size_t i = 0; i < addresses.size(); ++i)
        {
            download d{static_cast<int>(i) + 1, addresses[i], -1, {}};
            try
            {
                d.socket = connect_to(d.address);
                trace.event(d.task, d.address.text(), "connect");
            }
            catch (const std::runtime_error& e)
            {
                std::cerr << "Task " << d.task << ": cannot connect to " << d.address.text() << ": " << e.what()
                          << std::endl;
                trace.event(d.task, d.address.text(), "failed");
                failed = true;
            }
            downloads.push_back(std::move(d));
        }

        get_poetry(downloads, trace);

        const auto elapsed = clock::now() - start;
        std::size_t poems = 0;
        for (const auto& d : downloads)
        {
            std::cout << "Task " << d.task << ": " << d.poem.size() << " bytes of poetry" << std::endl;
            poems += d.poem.empty() ? 0 : 1;
        }
        std::cout << "\nGot " << poems << " poems in " << timedelta_text(elapsed) << std::endl;
        trace.close();
        return failed || poems != downloads.size() ? 1 : 0;
    });
}

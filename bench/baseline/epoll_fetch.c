/* epoll_fetch: the plainest fast load generator we could write, as a yardstick
   for poetry-bench's fetch mode. K connections in flight on one thread, each
   connecting, reading to end-of-file and closing, for a number of seconds.

   usage: epoll_fetch PORT [K] [SECONDS]   (loopback, IPv4)
   prints: RESULT mode=epoll_fetch completed=N errors=E seconds=S rate=R client_cpu_us=C */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Start one connection; its descriptor is the epoll key. Returns 0 on failure. */
static int
start_connection(int epoll_fd)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    if (connect(fd, (struct sockaddr*)&server, sizeof server) != 0 && errno != EINPROGRESS)
    {
        close(fd);
        return 0;
    }
    struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = fd};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    return 1;
}

int
main(int argc, char** argv)
{
    if (argc < 2)
    {
        fprintf(stderr, "usage: epoll_fetch PORT [K] [SECONDS]\n");
        return 2;
    }
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)atoi(argv[1]));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int in_flight = argc > 2 ? atoi(argv[2]) : 32;
    const double seconds = argc > 3 ? atof(argv[3]) : 5;

    const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    long completed = 0, errors = 0;
    int open_connections = 0;
    const double start = now(), cpu_start = cpu_seconds();
    for (int i = 0; i < in_flight; ++i)
        open_connections += start_connection(epoll_fd);

    static char buffer[65536];
    struct epoll_event events[256];
    while (open_connections > 0)
    {
        const int ready = epoll_wait(epoll_fd, events, 256, 1000);
        const int starting = now() - start < seconds;
        for (int i = 0; i < ready; ++i)
        {
            const int fd = events[i].data.fd;
            ssize_t n;
            while ((n = read(fd, buffer, sizeof buffer)) > 0)
                ;
            if (n < 0 && errno == EAGAIN)
                continue; /* more to come */
            if (n == 0)
                ++completed;
            else
                ++errors;
            close(fd);
            --open_connections;
            if (starting)
                open_connections += start_connection(epoll_fd);
        }
    }
    const double took = now() - start;
    printf("RESULT mode=epoll_fetch completed=%ld errors=%ld seconds=%.3f rate=%.0f client_cpu_us=%.2f\n", completed,
           errors, took, (double)completed / took,
           (cpu_seconds() - cpu_start) / (double)(completed ? completed : 1) * 1e6);
    return errors == 0 && completed > 0 ? 0 : 1;
}

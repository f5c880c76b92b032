/* epoll_drip: the plainest slow poetry server we could write, as a yardstick for
   slowpoetry under load. One thread: accept every waiting connection, then send
   each due chunk with one send(), earliest due first, each chunk of a connection
   due DELAY after the one before was due, but never sooner than 0.9 * DELAY after
   it went out (as slowpoetry); close after the last chunk.

   usage: epoll_drip POEM_FILE CHUNK_BYTES DELAY_SECONDS   (127.0.0.1, a free port)
   prints: Serving POEM_FILE on 127.0.0.1:PORT.            (as our servers do) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct due_chunk
{
    double due;
    int fd;
};

static char* poem;
static size_t poem_size;
static size_t chunk;
static double delay;

/* Per descriptor: bytes sent and accept time. */
static size_t* sent;
static double* due_at; /* when each connection's current chunk was due */
static size_t max_fds;

/* A binary heap of due chunks, earliest first. */
static struct due_chunk* heap;
static size_t heap_size;

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
heap_push(double due, int fd)
{
    size_t i = heap_size++;
    while (i > 0 && heap[(i - 1) / 2].due > due)
    {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i].due = due;
    heap[i].fd = fd;
}

static struct due_chunk
heap_pop(void)
{
    struct due_chunk top = heap[0];
    struct due_chunk last = heap[--heap_size];
    size_t i = 0;
    for (;;)
    {
        size_t child = 2 * i + 1;
        if (child >= heap_size)
            break;
        if (child + 1 < heap_size && heap[child + 1].due < heap[child].due)
            child++;
        if (heap[child].due >= last.due)
            break;
        heap[i] = heap[child];
        i = child;
    }
    if (heap_size > 0)
        heap[i] = last;
    return top;
}

static void
read_poem(const char* path)
{
    FILE* f = fopen(path, "rb");
    if (!f)
    {
        perror(path);
        exit(1);
    }
    size_t capacity = 1 << 16;
    poem = malloc(capacity);
    size_t n;
    while ((n = fread(poem + poem_size, 1, capacity - poem_size, f)) > 0)
    {
        poem_size += n;
        if (poem_size == capacity)
            poem = realloc(poem, capacity *= 2);
    }
    fclose(f);
}

static void
accept_all(int listener)
{
    for (;;)
    {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        if ((size_t)fd >= max_fds)
        {
            close(fd);
            continue;
        }
        sent[fd] = 0;
        due_at[fd] = now();
        heap_push(due_at[fd], fd); /* the first chunk at once */
    }
}

/* Send the chunk due for `fd`; schedule the next one or close. */
static void
send_chunk(int fd)
{
    size_t end = sent[fd] + chunk < poem_size ? sent[fd] + chunk : poem_size;
    ssize_t n = send(fd, poem + sent[fd], end - sent[fd], MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN)
    {
        close(fd);
        return;
    }
    if (n > 0)
        sent[fd] += (size_t)n;
    if (sent[fd] == poem_size)
    {
        close(fd);
        return;
    }
    /* As slowpoetry: a delay after the chunk before was due, but never sooner than
       nine tenths of a delay after it went out. A partial send goes on at once. */
    if (sent[fd] % chunk == 0)
    {
        double earliest = now() + 0.9 * delay;
        due_at[fd] = due_at[fd] + delay > earliest ? due_at[fd] + delay : earliest;
    }
    heap_push(due_at[fd], fd);
}

int
main(int argc, char** argv)
{
    if (argc != 4)
    {
        fprintf(stderr, "usage: epoll_drip POEM_FILE CHUNK_BYTES DELAY_SECONDS\n");
        return 2;
    }
    read_poem(argv[1]);
    chunk = strtoul(argv[2], NULL, 10);
    delay = strtod(argv[3], NULL);
    if (chunk == 0 || !(delay > 0))
    {
        fprintf(stderr, "epoll_drip: CHUNK_BYTES must be at least 1 and DELAY_SECONDS above 0\n");
        return 2;
    }
    max_fds = 1 << 17;
    sent = calloc(max_fds, sizeof *sent);
    due_at = calloc(max_fds, sizeof *due_at);
    heap = calloc(max_fds, sizeof *heap);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr*)&address, size) != 0 || listen(listener, SOMAXCONN) != 0 ||
        getsockname(listener, (struct sockaddr*)&address, &size) != 0)
    {
        perror("epoll_drip: listen");
        return 1;
    }
    printf("Serving %s on 127.0.0.1:%d.\n", argv[1], ntohs(address.sin_port));
    fflush(stdout);

    int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);
    for (;;)
    {
        int timeout = -1;
        if (heap_size > 0)
        {
            double wait = heap[0].due - now();
            timeout = wait <= 0 ? 0 : (int)(wait * 1000) + 1;
        }
        struct epoll_event ready;
        if (epoll_wait(epoll_fd, &ready, 1, timeout) > 0)
            accept_all(listener);
        /* Every chunk due by now, in due order. */
        double t = now();
        while (heap_size > 0 && heap[0].due <= t)
        {
            struct due_chunk next = heap_pop();
            send_chunk(next.fd);
        }
    }
}

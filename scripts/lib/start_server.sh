# Sourced by the scripts that run servers (demo, figures, bench) and by the tour's walk.
#
# start_server NAME PROGRAM ARGS...: run a server in the background and wait (up
# to 10 s) for its start-up line "Serving ... on HOST:PORT."; then set pid_NAME,
# port_NAME and started_line. Its stderr goes to $work/NAME.log (appended, so a
# restarted server keeps one log). Needs $work. Exits 1 if the server does not start.
start_server() {
    local name=$1
    shift
    rm -f "$work/$name.out"
    mkfifo "$work/$name.out"
    "$@" >"$work/$name.out" 2>>"$work/$name.log" &
    local pid=$! line fd
    exec {fd}<"$work/$name.out"
    if ! read -r -t 10 -u "$fd" line; then
        echo "$(basename "$0" .sh): $name did not start:" >&2
        cat "$work/$name.log" >&2
        exit 1
    fi
    exec {fd}<&-
    started_line=$line
    line=${line%.}
    printf -v "port_$name" '%s' "${line##*:}"
    printf -v "pid_$name" '%s' "$pid"
}

# stop_servers: stop every server whose pid is in the array `pids`, wait for them, and
# remove $work; for `trap stop_servers EXIT`.
stop_servers() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}

# wait_until_refused PORT: at most 10 s, until nothing listens on 127.0.0.1:PORT any more
# (a stopped server's port, before the next step counts on it being closed).
wait_until_refused() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 0
        sleep 0.1
    done
    echo "port $1 still accepts"
    return 1
}

#!/usr/bin/env bash
# Install the Debian packages a job needs; nothing else. Prints one line when
# everything is already present.
#
#   scripts/bootstrap.sh build   what building and running the programs needs (scripts/demo.sh)
#   scripts/bootstrap.sh [test]  that, and what the tests and the package check need (scripts/test.sh)
set -euo pipefail

job=${1:-test}
case "$job" in
build | test) ;;
*) echo "usage: scripts/bootstrap.sh [build|test]" >&2; exit 2 ;;
esac

packages=(
    cmake
    g++
    make
    libboost1.81-dev
    libboost-program-options1.81-dev
    libboost-test1.81-dev
    libboost-stacktrace1.81-dev # inline-callbacks-tb prints the stack beneath a coroutine
    libicu-dev
    help2man # man pages from each program's --help, made by the build
)
if [[ "$job" == test ]]; then
    packages+=(
        python3-twisted  # tests/interop: our own Twisted programs, speaking to ours both ways
        bash-completion  # the completions' test sources its helpers
        lintian          # scripts/package.sh checks the .deb
        netcat-openbsd   # the transform server's end-to-end test speaks to it with nc
        gnuplot-nox      # scripts/timeline.sh draws client traces, and a test draws one
        libbenchmark-dev # Google Benchmark, for bench/cummingsify_bench
        clang-format     # scripts/format.sh --check: the layout of .clang-format
    )
fi
# clang brings libFuzzer for the bounded fuzz runs; optional, installed when asked.
if [[ "${POETRY_WITH_FUZZ:-0}" == 1 ]]; then
    packages+=(clang)
fi
# scripts/bench.sh compares the servers with nginx's stream module, and times a client with GNU time.
if [[ "${POETRY_WITH_BENCH:-0}" == 1 ]]; then
    packages+=(nginx-light libnginx-mod-stream time)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "bootstrap: all ${#packages[@]} packages present"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "bootstrap: missing packages: ${missing[*]}; run this script as root to install them" >&2
    exit 1
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >/tmp/poetry-bootstrap.log 2>&1; then
    echo "bootstrap: could not install ${missing[*]}; see /tmp/poetry-bootstrap.log" >&2
    tail -n 20 /tmp/poetry-bootstrap.log >&2
    exit 1
fi
echo "bootstrap: installed ${missing[*]}"

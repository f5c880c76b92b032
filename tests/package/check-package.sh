#!/usr/bin/env bash
# Check what installing gives: `cmake --install` into an empty prefix gives
# exactly the expected files; the .deb, extracted with dpkg-deb, runs (every
# program's --version, and a fetch from its fastpoetry with its get-poetry-7);
# the tutorial's installed sources build from a copy; the whole tour walks from it
# (tests/tour/walk-tour.sh, as nobody when run as root); every man page renders
# without warnings; the bash completions complete.
#
#   tests/package/check-package.sh BUILD_DIR PACKAGE.deb
#
# Prints one line per check and "N passed, N failed"; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [[ $# -ne 2 ]]; then
    sed -n '2,9s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
build=$1
deb=$2
programs=(fastpoetry slowpoetry transformedpoetry poetry-proxy get-poetry-6 get-poetry-7 get-poetry-8 poetry-bench
    poetry-timeline)
examples=(blocking-client async-client hello simple countdown exception stack twisted-client-1 get-poetry-broken
    defer-block get-poetry-deadline gen-1 gen-2 gen-3 gen-4 inline-callbacks-1 inline-callbacks-2 inline-callbacks-tb
    defer-1 defer-2 defer-3 defer-4 defer-5 defer-6 defer-7 defer-8 defer-9 defer-10 defer-11 defer-unhandled
    deferred-list-1 deferred-list-2 deferred-list-3 deferred-list-4 deferred-list-5 deferred-list-6 deferred-list-7
    defer-cancel-1 defer-cancel-2 defer-cancel-3 defer-cancel-4 defer-cancel-5 defer-cancel-6 defer-cancel-7
    defer-cancel-8 defer-cancel-9 defer-cancel-10 defer-cancel-11 defer-cancel-12)
version=$(sed -n 's/^project(poetry VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

work=$(mktemp -d /tmp/poetry-package-check.XXXXXX)
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../../scripts/lib/checks.sh
source scripts/lib/checks.sh

# --- cmake --install: exactly these files ----------------------------------------

expected_files() {
    for p in "${programs[@]}"; do
        echo "bin/$p"
        echo "share/man/man1/$p.1.gz"
        echo "share/bash-completion/completions/$p"
    done
    for poem in poetry/*; do echo "share/poetry-suite/$poem"; done
    for doc in README.md tour.md copyright changelog.gz; do echo "share/doc/poetry-suite/$doc"; done
    for figure in docs/*.png; do
        echo "share/doc/poetry-suite/${figure#docs/}"
        echo "share/doc/poetry-suite/$figure"
    done
    echo "share/doc/poetry-suite/docs/tour.md"
    for p in "${examples[@]}"; do echo "lib/poetry-suite/examples/$p"; done
    for source in examples/*/*.?pp; do echo "share/poetry-suite/$source"; done
    for source in $(tour_sources); do echo "share/poetry-suite/sources/$source"; done
    echo "share/lintian/overrides/poetry-suite"
}
# The source files the tour names for reading ("Read `apps/get-poetry-6/main.cpp`").
tour_sources() {
    grep -o '`[a-z0-9_/.-]*\.[ch]pp`' docs/tour.md | tr -d '`' | grep / | grep -v '^examples/\|^/' | sort -u
}
install_gives_the_listed_files() {
    cmake --install "$build" --prefix "$work/prefix" >/dev/null || return 1
    diff <(expected_files | sort) <(cd "$work/prefix" && find . -type f | sed 's|^\./||' | sort)
}
check "cmake --install gives exactly the listed files" install_gives_the_listed_files

# --- the package, extracted --------------------------------------------------------

extract() { dpkg-deb -x "$deb" "$work/root" && dpkg-deb -f "$deb" Package Version Depends; }
check "dpkg-deb extracts $(basename "$deb")" extract

versions_are_right() {
    local p line
    for p in "${programs[@]}"; do
        line=$("$work/root/usr/bin/$p" --version) || return 1
        [[ $line == "$p $version" ]] || { echo "$p --version: '$line', not '$p $version'"; return 1; }
    done
}
check "every extracted program says its version ($version)" versions_are_right

extracted_fetch() {
    local poem="$work/root/usr/share/poetry-suite/poetry/harbour-lights.txt" line port
    exec {out}< <(exec "$work/root/usr/bin/fastpoetry" --quiet "$poem")
    server=$!
    read -r -t 10 -u "$out" line || { echo "the extracted fastpoetry did not start"; return 1; }
    port=${line%.}
    port=${port##*:}
    cmp <("$work/root/usr/bin/get-poetry-7" --no-xform "$port") <(cat "$poem"; echo)
}
check "the extracted get-poetry-7 fetches from the extracted fastpoetry" extracted_fetch

# The tour's first step, from the package alone: two clients of the blocking server,
# traced, and the trace drawn by the installed timeline tool.
extracted_tour_step() {
    local poem="$work/root/usr/share/poetry-suite/poetry/harbour-lights.txt" line port blocking
    exec {out}< <(exec "$work/root/usr/bin/slowpoetry" --quiet --blocking --delay 0.01 --num-bytes 200 "$poem")
    blocking=$!
    read -r -t 10 -u "$out" line || { echo "the extracted slowpoetry --blocking did not start"; return 1; }
    port=${line%.}
    port=${port##*:}
    "$work/root/usr/bin/get-poetry-7" --no-xform --trace "$work/blocking.csv" "$port" "$port" >/dev/null || return 1
    kill "$blocking"
    PATH="$work/root/usr/bin:$PATH" poetry-timeline "$work/blocking.csv" "$work/blocking.png" || return 1
    [[ $(head -c 4 "$work/blocking.png" | tail -c 3) == PNG ]] || { echo "no PNG drawn"; return 1; }
}
check "the tour's first step runs from the package, and poetry-timeline draws it" extracted_tour_step

extracted_examples_run() {
    local got
    got=$("$work/root/usr/lib/poetry-suite/examples/gen-1" | tr '\n' ' ')
    [[ $got == "starting up 1 workin' 2 still workin' 3 done " ]] || { echo "gen-1 printed: $got"; return 1; }
}
check "the tutorial's programs run from the package" extracted_examples_run

# The stacks of inline-callbacks-tb and stack have names, the event loop's among them:
# not stripped.
extracted_stack_has_names() {
    local stack
    stack=$("$work/root/usr/lib/poetry-suite/examples/inline-callbacks-tb") || return 1
    [[ $stack == *my_callbacks* && $stack == *io_context::run* ]] || { echo "inline-callbacks-tb: $stack"; return 1; }
    stack=$("$work/root/usr/lib/poetry-suite/examples/stack") || return 1
    [[ $stack == *"stack()"* && $stack == *io_context::run* ]] || { echo "stack: $stack"; return 1; }
}
check "inline-callbacks-tb and stack from the package show the event loop beneath them" extracted_stack_has_names

# The tour's exercises: the installed sources build in a folder of the reader's own.
installed_examples_build() {
    local folder="$work/my-examples/examples" got
    mkdir -p "$work/my-examples" && cp -r "$work/root/usr/share/poetry-suite/examples" "$folder" || return 1
    (cd "$folder/inline-callbacks" && g++ -std=c++20 gen-4.cpp -o gen-4 &&
        g++ -std=c++20 inline-callbacks-1.cpp -o inline-callbacks-1) || return 1
    got=$("$folder/inline-callbacks/gen-4" | head -n 1)
    [[ $got == "starting up" ]] || { echo "gen-4 printed: $got"; return 1; }
    # Output is taken whole before grep reads it: `grep -q` quits at its match, and under
    # pipefail a program still writing would die of SIGPIPE and fail the check.
    grep -qx "fourth callback got Exception(3)" <<<"$("$folder/inline-callbacks/inline-callbacks-1" --delay 0)" ||
        { echo "inline-callbacks-1 did not print its failure"; return 1; }
    (cd "$folder/async-client" && g++ -std=c++20 async-client.cpp -o async-client) || return 1
    (cd "$folder/basic-twisted" && g++ -std=c++20 countdown.cpp -o countdown) || return 1
    (cd "$folder/twisted-deferred" && g++ -std=c++20 defer-10.cpp -o defer-10) || return 1
    grep -qx "callback_3 has not run: the coroutine is suspended at its co_await." \
        <<<"$("$folder/twisted-deferred/defer-10")" ||
        { echo "defer-10 built by hand did not wait at its co_await"; return 1; }
    [[ $("$folder/async-client/async-client" --version) == "async-client (built by hand)" ]] ||
        { echo "async-client built by hand says: $("$folder/async-client/async-client" --version)"; return 1; }
    [[ $("$folder/basic-twisted/countdown" --tick 0 | tr '\n' ' ') == "Start! 5 ... 4 ... 3 ... 2 ... 1 ... Stop! " ]] ||
        { echo "countdown built by hand printed: $("$folder/basic-twisted/countdown" --tick 0)"; return 1; }
}
check "the installed tutorial sources build and run from a copy" installed_examples_build

# The whole tour, from the package alone, as a learner who is not root: every command of
# it, in a folder of the learner's own.
extracted_tour_walk() {
    local as_learner=()
    if [[ $(id -u) -eq 0 ]]; then
        chmod a+rx "$work"
        as_learner=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/tmp)
    fi
    "${as_learner[@]}" tests/tour/walk-tour.sh package "$work/root"
}
check "the tour walked from the package, not as root" extracted_tour_walk

depends_computed() {
    local depends
    depends=$(dpkg-deb -f "$deb" Depends)
    [[ $depends == *libc6* && $depends == *libicu* && $depends == *libboost-program-options* ]] ||
        { echo "Depends: $depends"; return 1; }
}
check "Depends computed from the binaries" depends_computed

# --- man pages and completions ------------------------------------------------------

man_pages_render() {
    local page warnings
    for page in "$work/root/usr/share/man/man1/"*.1.gz; do
        warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
        [[ -z $warnings ]] || { echo "$page: $warnings"; return 1; }
    done
}
check "every man page renders without warnings" man_pages_render

# COMPREPLY for a command line typed up to the cursor ("slowpoetry --de").
complete_line() {
    bash -c '
        source /usr/share/bash-completion/bash_completion
        source "$1/usr/share/bash-completion/completions/${2%% *}"
        read -ra COMP_WORDS <<<"$2"
        [[ $2 == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$2 COMP_POINT=${#2}
        PATH="$1/usr/bin:$PATH" _poetry_suite "${COMP_WORDS[0]}" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]:-}"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$work/root" "$1"
}
completions_complete() {
    grep -qx -- --delay <<<"$(complete_line "slowpoetry --de")" || { echo "no --delay for 'slowpoetry --de'"; return 1; }
    complete_line "get-poetry-7 --v" | sort | tr '\n' ' ' | grep -qx -- "--verbose --version " ||
        { echo "'get-poetry-7 --v' gave: $(complete_line "get-poetry-7 --v" | tr '\n' ' ')"; return 1; }
    grep -qx -- --max-buffered <<<"$(complete_line "transformedpoetry --max-b")" || { echo "no --max-buffered"; return 1; }
    complete_line "poetry-bench " | sort | tr '\n' ' ' | grep -qx "fetch hold xform " ||
        { echo "no modes for poetry-bench"; return 1; }
    grep -qx harbour-lights.txt <<<"$(cd "$work/root/usr/share/poetry-suite/poetry" && complete_line "fastpoetry harb")" ||
        { echo "no poem file for 'fastpoetry harb'"; return 1; }
}
check "bash completion offers options, modes and poem files" completions_complete

checks_summary check-package

#!/usr/bin/env bash
# Lay out every C and C++ file of the repository as .clang-format says.
#
#   scripts/format.sh           rewrite the files in place
#   scripts/format.sh --check   change nothing; list the files that differ and exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian 12's clang-format is version 14; other versions lay some lines out differently.
format=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z $format ]]; then
    echo "format.sh: clang-format is not installed (apt-get install clang-format)" >&2
    exit 1
fi

mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.c' '*.h')
case "${1:-}" in
"")
    "$format" -i "${files[@]}"
    ;;
--check)
    differ=0
    for file in "${files[@]}"; do
        if ! "$format" "$file" | cmp -s - "$file"; then
            echo "format.sh: $file is not laid out as .clang-format says" >&2
            differ=1
        fi
    done
    ((differ == 0)) && echo "format.sh: ${#files[@]} files laid out as .clang-format says"
    exit "$differ"
    ;;
*)
    echo "usage: scripts/format.sh [--check]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Build the Debian package: poetry-suite_VERSION_ARCH.deb, with its Depends
# computed from the binaries (dpkg-shlibdeps), then check it with lintian.
#
#   scripts/package.sh [PRESET]     (default: release; scripts/test.sh uses default)
#
# Prints the package's path last. Exits 1 if the build, cpack or lintian fails
# (lintian errors fail; warnings are shown).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
case "$preset" in
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac

scripts/bootstrap.sh >/dev/null
scripts/build.sh "$preset" >/dev/null
case "$preset" in
    default) build_dir=build ;;
    release) build_dir=build-release ;;
    *) build_dir=build-$preset ;;
esac

out="$build_dir/package"
rm -rf "$out"
mkdir -p "$out"
if ! (cd "$build_dir" && cpack --config CPackConfig.cmake -B "$PWD/package") >"$out/cpack.log" 2>&1; then
    echo "package.sh: cpack failed:" >&2
    tail -n 20 "$out/cpack.log" >&2
    exit 1
fi
deb=$(ls "$out"/poetry-suite_*.deb)

# lintian: errors fail the package; warnings and notes are shown.
if lintian --version >/dev/null 2>&1; then
    lintian --tag-display-limit 0 "$deb" >"$out/lintian.log" 2>&1 || true
    if grep -q '^E:' "$out/lintian.log"; then
        echo "package.sh: lintian found errors in $deb:" >&2
        grep '^E:' "$out/lintian.log" >&2
        exit 1
    fi
    echo "package.sh: lintian: no errors ($(grep -c '^W:' "$out/lintian.log" || true) warnings, see $out/lintian.log)"
else
    echo "package.sh: lintian is not installed; not checked" >&2
fi
echo "$deb"

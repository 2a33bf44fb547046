#!/bin/sh
# run-fuzz.sh TARGET SEED_DIR SECONDS: fuzzes a copy of the seed corpus (the
# repo's stays as committed); a crash leaves crash-* in the test's directory.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$2"/. "$work"/
exec "$1" -max_total_time="$3" -timeout=10 -rss_limit_mb=2048 "$work"

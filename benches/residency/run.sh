#!/bin/sh
# Residency accuracy benchmark (not a test; see README.md next to this file).
#
# Runs the residency classifier (probes/geo/examples/accuracy.rs, release build) over the first
# address of every range of cloud-ranges.csv with the default database, without provider range
# files (`db-only`), with provider files reconstructed from the CSV (`db+csv-ranges`,
# circular) and, when given, with the providers' real files (`db+ranges`); and the JP policy
# check (false in-country verdicts, recall).
#
# Usage: benches/residency/run.sh [--ranges FILE]...   (any further accuracy.rs arguments)
#
# Environment:
#   KENSA_CLOUD_RANGES  the ground truth (default: ../shared/data/cloud-ranges/cloud-ranges.csv
#                       next to the repository)
#   KENSA_GEOIP         the country database (default: the one `kensa geodb update` installed
#                       in KENSA_DATA_DIR, else $XDG_DATA_HOME/kensa, else ~/.local/share/kensa)
#
# Nothing is downloaded here. Install the default database first with
#   kensa geodb update [--data-dir DIR]
# or
#   cargo run -p kensa-probe-geo --example geodb_update -- DIR [EXTRA_CA.pem]
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
csv=${KENSA_CLOUD_RANGES:-$root/../shared/data/cloud-ranges/cloud-ranges.csv}
if [ -n "${KENSA_DATA_DIR:-}" ]; then
    data=$KENSA_DATA_DIR
elif [ -n "${XDG_DATA_HOME:-}" ]; then
    data=$XDG_DATA_HOME/kensa
else
    data=$HOME/.local/share/kensa
fi
db=${KENSA_GEOIP:-$data/ip-location-db-geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb}

if [ ! -f "$csv" ]; then
    echo "run.sh: no ground truth at $csv (set KENSA_CLOUD_RANGES)" >&2
    exit 2
fi
if [ ! -f "$db" ]; then
    echo "run.sh: no database at $db: run \`kensa geodb update\` (or set KENSA_GEOIP)" >&2
    exit 2
fi

cd "$root"
exec cargo run --release -q -p kensa-probe-geo --example accuracy -- \
    --csv "$csv" \
    --geoip "$db" \
    --ranges-from-csv \
    --policy JP \
    "$@"

#!/usr/bin/env bash
# Starts a release server on a fresh database, runs one stegvis-load scenario against
# it, and stops the server. Usage:
#   scripts/bench-load.sh sqlite|postgres SCENARIO [stegvis-load options…]
# e.g. scripts/bench-load.sh sqlite transitions -c 32 -d 30
# PostgreSQL: a database stegvis_bench on 127.0.0.1:5432 (user postgres) is recreated.
set -euo pipefail
backend=${1:?sqlite or postgres}; scenario=${2:?path, transitions or verify}; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${STEGVIS_BIN_DIR:-$root/target/release}
dir=$(mktemp -d /tmp/stegvis-bench.XXXXXX)
port=${PORT:-18080}
case $backend in
  sqlite) url="sqlite://$dir/stegvis.db" ;;
  postgres)
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS stegvis_bench" >/dev/null
    psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE stegvis_bench" >/dev/null
    url="postgres://postgres@127.0.0.1:5432/stegvis_bench" ;;
  *) echo "backend is sqlite or postgres" >&2; exit 2 ;;
esac
export STEGVIS__DATABASE__URL=$url STEGVIS__DATA_DIR=$dir STEGVIS__MAIL__FILE_DIR=$dir/mail
export STEGVIS__SERVER__BIND=127.0.0.1:$port STEGVIS__SERVER__PUBLIC_URL=http://127.0.0.1:$port
export STEGVIS_LOG=${STEGVIS_LOG:-warn}
cd "$root"
"$bin/stegvis" demo >/dev/null
"$bin/stegvis" serve > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  backend: $backend  server pid: $server"
"$bin/stegvis-load" --base-url "http://127.0.0.1:$port" --scenario "$scenario" --server-pid "$server" "$@"

#!/usr/bin/env bash
# End-to-end: tusk pulls a chart from a real OCI registry (Debian's
# docker-registry, the CNCF distribution server) on loopback, after the real
# helm pushed it there; the render must equal helm's render of the directory.
# Also checks --offline against the cache and the 404 / auth error paths.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
helm=$("$root/scripts/install-helm" 3)
if ! command -v docker-registry >/dev/null; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
fi
cargo build --quiet -p tusk-cli --manifest-path "$root/Cargo.toml"
tusk="$root/target/debug/tusk"

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/config.yml" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
CONF
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
reg=$!
trap 'kill $reg 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

export HELM_CACHE_HOME=$work/h/cache HELM_CONFIG_HOME=$work/h/config HELM_DATA_HOME=$work/h/data
# The fixture's own version, so the script follows the chart.
ver=$(sed -n 's/^version: *//p' "$root/fixtures/charts/mastodon-next/Chart.yaml")
"$helm" package "$root/fixtures/charts/mastodon-next" -d "$work" >/dev/null
"$helm" push "$work/mastodon-$ver.tgz" "oci://localhost:$port/charts" --plain-http >/dev/null 2>&1

"$helm" template social "$root/fixtures/charts/mastodon-next" >"$work/want"
fail=0
check() { # name, command...
  local name=$1; shift
  if "$@" >"$work/got" 2>"$work/err" && cmp -s "$work/want" "$work/got"; then
    echo "ok: $name"
  else
    echo "FAIL: $name"; cat "$work/err"; diff "$work/want" "$work/got" | head -5; fail=1
  fi
}
cache="$work/tusk-cache"
check "oci pull, exact version" "$tusk" template social "oci://localhost:$port/charts/mastodon" --version "$ver" --cache-dir "$cache" --renderer helm --helm-bin "$helm"
check "oci pull, newest tag" "$tusk" template social "oci://localhost:$port/charts/mastodon" --cache-dir "$cache" --renderer helm --helm-bin "$helm"
check "oci pull, constraint" "$tusk" template social "oci://localhost:$port/charts/mastodon" --version "^${ver%%.*}" --cache-dir "$cache" --renderer helm --helm-bin "$helm"
kill $reg; wait $reg 2>/dev/null || true
check "offline from cache" "$tusk" template social "oci://localhost:$port/charts/mastodon" --version "$ver" --offline --cache-dir "$cache" --renderer helm --helm-bin "$helm"

# Error paths: exit 1 and one clear line.
docker-registry serve "$work/config.yml" >>"$work/registry.log" 2>&1 &
reg=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
set +e
"$tusk" template social "oci://localhost:$port/charts/nope" --version 1.0.0 --cache-dir "$cache" --renderer helm --helm-bin "$helm" >/dev/null 2>"$work/err"
code=$?
set -e
if [ $code = 1 ] && grep -q 'not found (HTTP 404)' "$work/err"; then echo "ok: missing chart is a 404 error"; else echo "FAIL: missing chart: exit $code"; cat "$work/err"; fail=1; fi
exit $fail

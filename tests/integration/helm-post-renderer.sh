#!/usr/bin/env bash
# End-to-end: tusk as helm's post-renderer, with the real helm 3.17.2
# (`--post-renderer PATH --post-renderer-args ...`) and helm 4.1.4 (a
# post-renderer plugin, integrations/helm4-postrenderer, installed with
# `helm plugin install`). Rendering uses the helm backend (`renderer: helm`),
# the native renderer being unfinished.
#
# Checks: a post-render without overlays changes nothing; with overlays the
# output equals `tusk template --overlay` and `tusk build` of the same; helm 3
# hides hooks from post-renderers (helm#7891) while `tusk build` patches
# them; helm 4 post-renders hooks; failures fail helm.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
helm3=$("$root/scripts/install-helm" 3)
helm4=$("$root/scripts/install-helm" 4)
kubectl="$(dirname "$helm3")/kubectl"
cargo build --quiet -p tusk-cli --manifest-path "$root/Cargo.toml"
tusk="$root/target/debug/tusk"
chart="$root/fixtures/charts/mastodon-classic"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each helm gets its own empty home: no repositories, no plugins of the user.
h3() { HELM_CACHE_HOME=$work/h3/cache HELM_CONFIG_HOME=$work/h3/config HELM_DATA_HOME=$work/h3/data "$helm3" "$@"; }
h4() { HELM_CACHE_HOME=$work/h4/cache HELM_CONFIG_HOME=$work/h4/config HELM_DATA_HOME=$work/h4/data "$helm4" "$@"; }
# --post-renderer-args for each argument.
pr_args() { for a in "$@"; do printf -- '--post-renderer-args=%s\n' "$a"; done; }

fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
same() { # name, want, got
  if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; diff "$2" "$3" | head -20; fi
}
# The documents of a helm stream that are (or are not) hooks, one file each.
docs() { # hooks|plain FILE
  awk -v want="$1" '
    function flush() { if (doc != "") { hook = (doc ~ /\n *"?helm\.sh\/hook"?:/); if ((want == "hooks") == hook) printf "%s", doc } doc = "" }
    /^---$/ { flush() }
    { doc = doc $0 "\n" }
    END { flush() }' "$2"
}
# kubectl kustomize re-emits any YAML stream in one canonical form (key
# order, indentation, quoting, resource order): helm 4 reformats what its
# post-renderer sees, so its output is compared in this form.
normalize() { # FILE
  local d; d=$(mktemp -d -p "$work")
  cp "$1" "$d/all.yaml"
  printf 'resources: [all.yaml]\n' >"$d/kustomization.yaml"
  "$kubectl" kustomize "$d"
}

h3 template mastodon "$chart" -n social >"$work/plain"

# --- helm 3 -----------------------------------------------------------------
h3 template mastodon "$chart" -n social --post-renderer "$tusk" --post-renderer-args post-render >"$work/got"
same "helm 3: post-render without overlays is byte-identical to plain helm" "$work/plain" "$work/got"

overlay=(--overlay image --param image.tag=v9.9.9 --param image.components=web,sidekiq,streaming
         --overlay env --param env.vars.RAILS_LOG_LEVEL=debug)
mapfile -t args < <(pr_args post-render "${overlay[@]}")
h3 template mastodon "$chart" -n social --post-renderer "$tusk" "${args[@]}" >"$work/got"
"$tusk" template mastodon "$chart" -n social --renderer helm --helm-bin "$helm3" "${overlay[@]}" >"$work/want"
same "helm 3: --post-renderer tusk equals tusk template --overlay" "$work/want" "$work/got"
grep -q 'image: ghcr.io/mastodon/mastodon:v9.9.9' "$work/got" && grep -q 'RAILS_LOG_LEVEL' "$work/got" \
  && ok "helm 3: overlays took effect" || bad "helm 3: overlays took effect"

# helm's --show-only picks documents from the post-rendered stream by their
# `# Source:` lines, which tusk keeps.
awk '/^---$/ { keep = 0 } /^# Source: mastodon\/templates\/deployment-web.yaml$/ { keep = 1; print "---" } keep' \
  "$work/got" >"$work/want"
h3 template mastodon "$chart" -n social --show-only templates/deployment-web.yaml \
  --post-renderer "$tusk" "${args[@]}" >"$work/got"
same "helm 3: --show-only works on post-rendered output" "$work/want" "$work/got"

# The same overlays from a project file: `post-render -f` vs `tusk build`.
cat >"$work/tusk.yaml" <<EOF
chart: $chart
release: mastodon
namespace: social
renderer: helm
helmBin: $helm3
overlays:
  - name: image
    params: {tag: v9.9.9, components: [web, sidekiq, streaming]}
  - name: env
    params: {vars: {RAILS_LOG_LEVEL: debug}}
EOF
"$tusk" build -f "$work/tusk.yaml" >"$work/want"
mapfile -t args < <(pr_args post-render -f "$work/tusk.yaml")
h3 template mastodon "$chart" -n social --post-renderer "$tusk" "${args[@]}" >"$work/got"
same "helm 3: post-render -f tusk.yaml equals tusk build" "$work/want" "$work/got"

# helm#7891: helm 3 does not pass hooks to the post-renderer. With the image
# overlay on every component (jobs included) the hook Jobs keep the chart's
# image under helm's post-renderer, and only there.
sed -i 's/components: \[web, sidekiq, streaming\]/components: [web, sidekiq, streaming, jobs]/' "$work/tusk.yaml"
"$tusk" build -f "$work/tusk.yaml" >"$work/build"
mapfile -t args < <(pr_args post-render -f "$work/tusk.yaml")
h3 template mastodon "$chart" -n social --post-renderer "$tusk" "${args[@]}" >"$work/got"
docs hooks "$work/got" >"$work/got.hooks"; docs hooks "$work/build" >"$work/build.hooks"
docs plain "$work/got" >"$work/got.plain"; docs plain "$work/build" >"$work/build.plain"
same "helm 3: non-hook documents equal tusk build" "$work/build.plain" "$work/got.plain"
if grep -q 'image: ghcr.io/mastodon/mastodon:v4' "$work/got.hooks" && ! grep -q 'v9.9.9' "$work/got.hooks"; then
  ok "helm 3 (helm#7891): hook Jobs are not post-rendered (still the chart's image)"
else bad "helm 3 (helm#7891): expected unpatched hook Jobs"; fi
if [ "$(grep -c 'image: ghcr.io/mastodon/mastodon:v9.9.9' "$work/build.hooks")" -ge 2 ] && ! grep -q ':v4' "$work/build.hooks"; then
  ok "tusk build patches hook Jobs too"
else bad "tusk build patches hook Jobs too"; fi

# A failing overlay fails helm, with tusk's message in helm's error.
set +e
mapfile -t args < <(pr_args post-render --overlay otel)
h3 template mastodon "$chart" --post-renderer "$tusk" "${args[@]}" >/dev/null 2>"$work/err"
code=$?
set -e
if [ $code != 0 ] && grep -q 'overlay otel, parameter endpoint: is required' "$work/err"; then
  ok "helm 3: a failing post-render fails helm with tusk's message"
else bad "helm 3: failing post-render (exit $code)"; cat "$work/err"; fi

# --- helm 4 -----------------------------------------------------------------
h4 plugin install "$root/integrations/helm4-postrenderer" >/dev/null
h4 plugin list | grep -Eq '^tusk[[:space:]].*postrenderer/v1' && ok "helm 4: plugin installed" || bad "helm 4: plugin installed"
export TUSK_BIN=$tusk
overlay=(--overlay image --param image.tag=v9.9.9)
mapfile -t args < <(pr_args "${overlay[@]}")
h4 template mastodon "$chart" -n social --post-renderer tusk "${args[@]}" >"$work/got"
"$tusk" template mastodon "$chart" -n social --renderer helm --helm-bin "$helm4" "${overlay[@]}" >"$work/want"
normalize "$work/want" >"$work/want.n"; normalize "$work/got" >"$work/got.n"
same "helm 4: --post-renderer tusk (plugin) equals tusk template --overlay (normalized)" "$work/want.n" "$work/got.n"
docs hooks "$work/got" >"$work/got.hooks"
if [ "$(grep -c 'image: ghcr.io/mastodon/mastodon:v9.9.9' "$work/got.hooks")" -ge 2 ] && ! grep -q ':v4' "$work/got.hooks"; then
  ok "helm 4: hooks are post-rendered"
else bad "helm 4: hooks are post-rendered"; fi
set +e
mapfile -t args < <(pr_args --overlay otel)
TUSK_POST_RENDER_LOG=$work/log h4 template mastodon "$chart" --post-renderer tusk "${args[@]}" >/dev/null 2>"$work/err"
code=$?
set -e
if [ $code != 0 ] && grep -q 'plugin "tusk" exited with error' "$work/err" && grep -q 'parameter endpoint: is required' "$work/log"; then
  ok "helm 4: a failing post-render fails helm (tusk's message in TUSK_POST_RENDER_LOG)"
else bad "helm 4: failing post-render (exit $code)"; cat "$work/err"; fi

exit $fail

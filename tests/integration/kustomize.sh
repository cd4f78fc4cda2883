#!/usr/bin/env bash
# End-to-end: tusk inside kustomize, with the real kubectl kustomize: v1.32
# (kustomize v5.5, installed beside helm by scripts/install-helm 3) and v1.35
# (kustomize v5.7, beside helm 4); every check runs with both.
#
# kubectl kustomize runs legacy exec plugins (--enable-alpha-plugins) but has
# no --enable-exec, so it cannot run exec KRM functions (only the standalone
# kustomize binary can, and it is not installable here): the KRM function
# form is checked by feeding `tusk krm` a ResourceList in the KRM wire format
# and letting kustomize read the ResourceList it prints.
#
# Rendering uses the helm backend (`renderer: helm`), the native renderer
# being unfinished. Every comparison is against `tusk build` of the same
# project, both sides through kustomize's canonical output.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
helm=$("$root/scripts/install-helm" 3)
kubectls=("$(dirname "$helm")/kubectl" "$(dirname "$("$root/scripts/install-helm" 4)")/kubectl")
cargo build --quiet -p tusk-cli --manifest-path "$root/Cargo.toml"
tusk="$root/target/debug/tusk"
export TUSK_BIN=$tusk
chart="$root/fixtures/charts/mastodon-classic"

top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
fail=0
ok() { echo "ok: $kv: $1"; }
bad() { echo "FAIL: $kv: $1"; fail=1; }
same() { # name, want, got
  if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; diff "$2" "$3" | head -20; fi
}
kz() { "$kubectl" kustomize --enable-alpha-plugins "$@"; }
normalize() { # FILE: kustomize's canonical form of a YAML stream (or a ResourceList)
  local d; d=$(mktemp -d -p "$work")
  cp "$1" "$d/all.yaml"
  printf 'resources: [all.yaml]\n' >"$d/kustomization.yaml"
  "$kubectl" kustomize "$d"
}

suite() {
local work=$top/$kv; mkdir -p "$work"
# The legacy exec plugin: kustomize looks for
# $KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<kind>.
export KUSTOMIZE_PLUGIN_HOME=$work/plugins
plugin_dir=$KUSTOMIZE_PLUGIN_HOME/tusk.dev/v1alpha1/tuskbuild
mkdir -p "$plugin_dir"
install -m 0755 "$root/integrations/kustomize/tusk-krm" "$plugin_dir/TuskBuild"

# What tusk build makes of the project.
overlays='
  - name: image
    params: {tag: v9.9.9}
  - name: env
    params: {vars: {RAILS_LOG_LEVEL: debug}, components: [web, sidekiq]}'
cat >"$work/tusk.yaml" <<EOF
chart: $chart
release: mastodon
namespace: social
renderer: helm
helmBin: $helm
overlays:$overlays
EOF
"$tusk" build -f "$work/tusk.yaml" >"$work/build.yaml"
normalize "$work/build.yaml" >"$work/want"
grep -q 'ghcr.io/mastodon/mastodon:v9.9.9' "$work/want" && ok "tusk build applied the overlays" || bad "tusk build applied the overlays"

# (a) Generator: kustomize renders the chart through tusk. Relative paths
# are relative to the kustomization (the plugin's working directory).
mkdir -p "$work/gen"
ln -s "$chart" "$work/gen/chart"
cat >"$work/gen/tusk-generator.yaml" <<EOF
apiVersion: tusk.dev/v1alpha1
kind: TuskBuild
metadata:
  name: mastodon
spec:
  chart: chart
  release: mastodon
  namespace: social
  renderer: helm
  helmBin: $helm
  overlays:$(printf '%s' "$overlays" | sed 's/^/  /')
EOF
printf 'generators:\n  - tusk-generator.yaml\n' >"$work/gen/kustomization.yaml"
kz "$work/gen" >"$work/got"
same "legacy exec generator equals tusk build" "$work/want" "$work/got"

# A generator referring to a project file.
mkdir -p "$work/genp"
cp "$work/tusk.yaml" "$work/genp/tusk.yaml"
printf 'apiVersion: tusk.dev/v1alpha1\nkind: TuskBuild\nmetadata: {name: m}\nspec: {project: tusk.yaml}\n' >"$work/genp/gen.yaml"
printf 'generators:\n  - gen.yaml\n' >"$work/genp/kustomization.yaml"
kz "$work/genp" >"$work/got"
same "legacy exec generator with spec.project equals tusk build" "$work/want" "$work/got"

# (b) Transformer: helm's plain output as resources, tusk's overlays as a
# transformer.
mkdir -p "$work/tr"
"$helm" template mastodon "$chart" -n social >"$work/tr/rendered.yaml"
cat >"$work/tr/tusk-transformer.yaml" <<EOF
apiVersion: tusk.dev/v1alpha1
kind: TuskBuild
metadata:
  name: overlays
spec:
  release: mastodon
  namespace: social
  overlays:$(printf '%s' "$overlays" | sed 's/^/  /')
EOF
printf 'resources:\n  - rendered.yaml\ntransformers:\n  - tusk-transformer.yaml\n' >"$work/tr/kustomization.yaml"
kz "$work/tr" >"$work/got"
same "legacy exec transformer equals tusk build" "$work/want" "$work/got"

# The committed examples: a generator, and a transformer on top of it.
cat >"$work/examples.yaml" <<EOF
chart: $chart
release: mastodon
namespace: mastodon
values: {mastodon: {local_domain: social.example.com}}
renderer: helm
helmBin: $helm
EOF
"$tusk" build -f "$work/examples.yaml" >"$work/ex-raw.yaml"
HELM_BIN=$helm kz "$root/integrations/kustomize/examples/generator" >"$work/got"
normalize "$work/ex-raw.yaml" >"$work/ex-want"
same "examples/generator equals tusk build" "$work/ex-want" "$work/got"
cat >>"$work/examples.yaml" <<'EOF'
overlays:
  - name: image
    params: {tag: v4.3.2, pullPolicy: Always}
  - name: env
    params: {vars: {RAILS_LOG_LEVEL: debug}, components: [web, sidekiq]}
EOF
"$tusk" build -f "$work/examples.yaml" >"$work/ex-built.yaml"
HELM_BIN=$helm kz "$root/integrations/kustomize/examples/transformer" >"$work/got"
normalize "$work/ex-built.yaml" >"$work/ex-want"
same "examples/transformer (generator + overlays) equals tusk build" "$work/ex-want" "$work/got"

# Expectations fail the kustomize build, with tusk's message.
cat >"$work/tr/strict.yaml" <<'EOF'
name: strict
---
targets:
  - id: hpa
    select: {kind: HorizontalPodAutoscaler}
    count: 1
    patches:
      - addLabels: {checked: "true"}
EOF
cat >"$work/tr/tusk-transformer.yaml" <<'EOF'
apiVersion: tusk.dev/v1alpha1
kind: TuskBuild
metadata: {name: overlays}
spec:
  overlays:
    - path: strict.yaml
EOF
set +e
kz "$work/tr" >/dev/null 2>"$work/err"
code=$?
set -e
if [ $code != 0 ] && grep -q 'overlay strict, target "hpa": matched 0 HorizontalPodAutoscalers, expected exactly 1' "$work/err"; then
  ok "a failed expectation fails kubectl kustomize with tusk's message"
else bad "failed expectation (exit $code)"; cat "$work/err"; fi

# (c) The KRM function protocol: helm's output as ResourceList items (the
# shape kustomize sends an exec function), the transformer as functionConfig.
{
  printf 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n'
  awk '/^---$/ {first = 1; next} /^# Source:/ && first {next}
       { if (first) { print "- " $0; first = 0 } else if ($0 == "") print ""; else print "  " $0 }' "$work/tr/rendered.yaml"
  printf 'functionConfig:\n  apiVersion: tusk.dev/v1alpha1\n  kind: TuskBuild\n  metadata:\n    name: overlays\n'
  printf '  spec:\n    release: mastodon\n    namespace: social\n    overlays:%s\n' "$(printf '%s' "$overlays" | sed 's/^/  /')"
} >"$work/list.yaml"
(cd "$work/tr" && "$root/integrations/kustomize/tusk-krm" <"$work/list.yaml" >"$work/out.yaml")
normalize "$work/out.yaml" >"$work/got"
same "KRM function (ResourceList in and out) equals tusk build" "$work/want" "$work/got"

sed -i 's/    overlays:/    overlays:\n    - path: strict.yaml/' "$work/list.yaml"
set +e
(cd "$work/tr" && "$root/integrations/kustomize/tusk-krm" <"$work/list.yaml" >"$work/out.yaml" 2>"$work/err")
code=$?
set -e
if [ $code = 1 ] && grep -q 'severity: error' "$work/out.yaml" && grep -q 'matched 0 HorizontalPodAutoscalers' "$work/out.yaml" \
   && [ "$(normalize "$work/out.yaml" | grep -c '^kind:')" = "$(normalize "$work/tr/rendered.yaml" | grep -c '^kind:')" ]; then
  ok "KRM function failure: results with severity error, items unchanged, exit 1"
else bad "KRM function failure (exit $code)"; head -20 "$work/out.yaml"; cat "$work/err"; fi

# The pitfall docs/integrations.md warns about: kubectl kustomize has no
# --enable-exec, and skips an exec-function config without a word.
mkdir -p "$work/fn"
sed 's/^metadata:$/metadata:\n  annotations:\n    config.kubernetes.io\/function: |\n      exec:\n        path: .\/tusk-krm/' \
  "$work/gen/tusk-generator.yaml" >"$work/fn/tusk.yaml"
install -m 0755 "$root/integrations/kustomize/tusk-krm" "$work/fn/tusk-krm"
printf 'generators:\n  - tusk.yaml\n' >"$work/fn/kustomization.yaml"
if "$kubectl" kustomize --enable-exec "$work/fn" >/dev/null 2>&1; then
  bad "kubectl kustomize now has --enable-exec: test the KRM function through it"
elif grep -q 'config.kubernetes.io/function' "$work/fn/tusk.yaml" \
     && out=$(KUSTOMIZE_PLUGIN_HOME=$work/none kz "$work/fn") && [ -z "$out" ]; then
  ok "kubectl kustomize: no --enable-exec, exec-function configs render nothing (documented)"
else bad "kubectl kustomize ran the exec function"; fi

}

for kubectl in "${kubectls[@]}"; do
  kv="kubectl $("$kubectl" version --client | sed -n 's/^Client Version: //p')"
  suite
done
exit $fail

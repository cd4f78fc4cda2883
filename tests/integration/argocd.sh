#!/usr/bin/env bash
# End-to-end: the Argo CD config-management plugin
# (integrations/argocd/plugin.yaml). Argo CD itself cannot run here (it needs
# a Kubernetes cluster), so this runs the plugin's `discover` and `generate`
# steps exactly as argocd-cmp-server does: the generate command and args
# from plugin.yaml, in the Application's source directory of an unpacked
# repository, with a clean environment holding only the sidecar's PATH and
# HOME and the variables Argo sets (ARGOCD_APP_*, KUBE_VERSION,
# KUBE_API_VERSIONS, ARGOCD_ENV_* from the Application's plugin env).
#
# Rendering uses the helm backend (`renderer: helm`, helm from PATH as in a
# sidecar image), the native renderer being unfinished.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
helm=$("$root/scripts/install-helm" 3)
cargo build --quiet -p tusk-cli --manifest-path "$root/Cargo.toml"
tusk="$root/target/debug/tusk"
plugin="$root/integrations/argocd/plugin.yaml"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
same() { # name, want, got
  if [ -s "$2" ] && cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; diff "$2" "$3" | head -20; fi
}

# The sidecar image: tusk and helm on PATH.
mkdir -p "$work/bin" "$work/home"
ln -s "$tusk" "$work/bin/tusk"
ln -s "$helm" "$work/bin/helm"

# A repository as the cmp-server unpacks it; the Application's path is
# apps/mastodon.
repo=$work/repo
mkdir -p "$repo/apps/mastodon" "$repo/charts"
cp -r "$root/fixtures/charts/mastodon-classic" "$repo/charts/mastodon"
app=$repo/apps/mastodon
printf 'mastodon:\n  local_domain: social.example.com\n' >"$app/values.yaml"
cat >"$app/tusk.yaml" <<'EOF'
chart: ../../charts/mastodon
valuesFiles: [values.yaml]
renderer: helm
overlays:
  - name: image
    params: {tag: v4.3.1}
output: {dir: out}
EOF

# The plugin's steps, read from plugin.yaml (kept as one-line JSON lists).
field() { sed -n "s/^    $1: //p" "$plugin"; }
mapfile -t generate < <(python3 -c 'import json,sys; [print(a) for a in json.loads(sys.argv[1]) + json.loads(sys.argv[2])]' "$(field command)" "$(field args)")
discover=$(sed -n 's/^    fileName: "\(.*\)"$/\1/p' "$plugin")
[ "${#generate[@]}" = 3 ] && [ -n "$discover" ] && ok "plugin.yaml has discover and generate" || bad "plugin.yaml has discover and generate"
[ -e "$app/$discover" ] && ok "discover: $discover matches the app directory" || bad "discover"

argo_generate() { # extra VAR=VALUE..., then runs in $app
  (cd "$app" && env -i PATH="$work/bin:/usr/bin:/bin" HOME="$work/home" \
    ARGOCD_APP_NAME=social ARGOCD_APP_NAMESPACE=fedi ARGOCD_APP_REVISION=0123456789abcdef0123456789abcdef01234567 \
    ARGOCD_APP_REVISION_SHORT=0123456 ARGOCD_APP_SOURCE_PATH=apps/mastodon \
    ARGOCD_APP_SOURCE_REPO_URL=https://git.example/ops/mastodon.git ARGOCD_APP_SOURCE_TARGET_REVISION=main \
    KUBE_VERSION=1.31.0 KUBE_API_VERSIONS=v1,apps/v1,batch/v1 "$@" "${generate[@]}")
}

# 1. Defaults from Argo: release = app name, namespace = destination,
#    kubeVersion = KUBE_VERSION; the Application's env adds values and
#    overlay parameters; output goes to stdout despite `output: {dir: out}`.
argo_generate ARGOCD_ENV_TUSK_PARAMS='image.tag=v9.9.9 image.pullPolicy=Always' \
  ARGOCD_ENV_TUSK_VALUES=$'mastodon:\n  local_domain: social.example.org\n' >"$work/got" 2>"$work/err" \
  || { bad "generate failed"; cat "$work/err"; }
# The same project written out explicitly, built without Argo.
cat >"$work/explicit.yaml" <<EOF
chart: $repo/charts/mastodon
valuesFiles: [$app/values.yaml]
values: {mastodon: {local_domain: social.example.org}}
release: social
namespace: fedi
kubeVersion: 1.31.0
apiVersions: [v1, apps/v1, batch/v1]
renderer: helm
helmBin: $helm
overlays:
  - name: image
    params: {tag: v9.9.9, pullPolicy: Always}
EOF
"$tusk" build -f "$work/explicit.yaml" >"$work/want"
same "generate under Argo equals tusk build of the explicit project" "$work/want" "$work/got"
grep -q 'app.kubernetes.io/instance: social' "$work/got" && grep -q 'social.example.org' "$work/got" \
  && grep -q 'mastodon:v9.9.9' "$work/got" && [ ! -e "$app/out" ] \
  && ok "release from ARGOCD_APP_NAME, values and params from ARGOCD_ENV_*, stdout output" \
  || bad "Argo settings took effect"

# 2. Explicit project settings win over Argo's defaults.
sed -i '1i release: mastodon\nnamespace: social' "$app/tusk.yaml"
argo_generate >"$work/got" 2>"$work/err" || { bad "generate failed"; cat "$work/err"; }
sed -i 's/^release: social/release: mastodon/; s/^namespace: fedi/namespace: social/; s/tag: v9.9.9, pullPolicy: Always/tag: v4.3.1/; /^values:/d' "$work/explicit.yaml"
"$tusk" build -f "$work/explicit.yaml" >"$work/want"
same "the project's release and namespace win over ARGOCD_APP_*" "$work/want" "$work/got"

# 3. ARGOCD_ENV_TUSK_PROJECT picks another project file.
cp "$app/tusk.yaml" "$app/staging.yaml"
sed -i 's/tag: v4.3.1/tag: v4.3.0-staging/' "$app/staging.yaml"
argo_generate ARGOCD_ENV_TUSK_PROJECT=staging.yaml >"$work/got" 2>"$work/err" || { bad "generate failed"; cat "$work/err"; }
grep -q 'mastodon:v4.3.0-staging' "$work/got" && ok "ARGOCD_ENV_TUSK_PROJECT selects the project file" || bad "ARGOCD_ENV_TUSK_PROJECT"

# 4. Errors: non-zero exit and one message on stderr (Argo shows it in the
#    Application's condition).
set +e
argo_generate ARGOCD_ENV_TUSK_PARAMS='otel.endpoint=http://x' >"$work/got" 2>"$work/err"
code=$?
set -e
if [ $code = 1 ] && grep -q 'ARGOCD_ENV_TUSK_PARAMS: otel.endpoint=…: the project has no overlay "otel"' "$work/err" && [ ! -s "$work/got" ]; then
  ok "a bad parameter fails generate with one message"
else bad "bad parameter (exit $code)"; cat "$work/err"; fi

exit $fail

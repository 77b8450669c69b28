#!/usr/bin/env bash
# Deploys (or updates) the buildkit cluster on the current kubectl context and waits until
# every buildkitd replica is ready.
#
# Usage: deploy.sh MANIFEST_FILE NAMESPACE [TIMEOUT]
#   MANIFEST_FILE  templates/buildkit.yaml.j2 rendered by provisioning
set -euo pipefail

log() { printf '[buildkit] %s\n' "$*" >&2; }

[ $# -ge 2 ] || { log "usage: deploy.sh MANIFEST_FILE NAMESPACE [TIMEOUT]"; exit 2; }
MANIFEST="$1"
NAMESPACE="$2"
TIMEOUT="${3:-300s}"

command -v kubectl >/dev/null || { log "kubectl is required"; exit 2; }
[ -r "$MANIFEST" ] || { log "cannot read $MANIFEST"; exit 2; }

server_version="$(kubectl version -o json | sed -n 's/.*"gitVersion": *"v\([0-9.]*\).*/\1/p' | tail -1)"
case "$server_version" in
  1.2[89].*|1.[3-9][0-9].*) log "Kubernetes $server_version" ;;
  *) log "Kubernetes ${server_version:-unknown} is older than 1.28, refusing"; exit 2 ;;
esac

log "applying $MANIFEST"
kubectl apply -f "$MANIFEST"
log "waiting for statefulset/buildkitd in $NAMESPACE (timeout $TIMEOUT)"
kubectl -n "$NAMESPACE" rollout status statefulset/buildkitd --timeout "$TIMEOUT"

cat >&2 <<USAGE
[buildkit] ready. Build with:
  buildctl --addr kube-pod://buildkitd-0?namespace=$NAMESPACE build ...
  docker buildx create --driver remote tcp://buildkitd.$NAMESPACE.svc:1234
USAGE

#!/usr/bin/env bash
# Removes the buildkit cluster. The cache volumes are kept unless --purge is given.
#
# Usage: remove.sh NAMESPACE [--purge]
set -euo pipefail

log() { printf '[buildkit] %s\n' "$*" >&2; }

[ $# -ge 1 ] || { log "usage: remove.sh NAMESPACE [--purge]"; exit 2; }
NAMESPACE="$1"

kubectl -n "$NAMESPACE" delete statefulset/buildkitd service/buildkitd configmap/buildkitd-config \
  --ignore-not-found
if [ "${2:-}" = "--purge" ]; then
  log "deleting cache volumes and namespace $NAMESPACE"
  kubectl -n "$NAMESPACE" delete pvc -l app=buildkitd --ignore-not-found
  kubectl delete namespace "$NAMESPACE" --ignore-not-found
fi
log "done"

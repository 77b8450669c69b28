#!/usr/bin/env bash
# Removes this node from its cluster and uninstalls the Kubernetes packages.
set -euo pipefail

log() { printf '[kubernetes] %s\n' "$*" >&2; }

if command -v kubeadm >/dev/null; then
  log "resetting kubeadm state"
  kubeadm reset --force
fi
log "removing packages"
apt-mark unhold kubelet kubeadm kubectl 2>/dev/null || true
apt-get purge -y -q kubelet kubeadm kubectl || true
rm -rf /etc/kubernetes /var/lib/kubelet /etc/cni/net.d "$HOME/.kube"
rm -f /etc/apt/sources.list.d/kubernetes.list /etc/apt/keyrings/kubernetes-apt-keyring.gpg
log "done"

#!/usr/bin/env bash
# Installs Kubernetes (kubeadm, kubelet, kubectl) from pkgs.k8s.io and initialises or joins
# the cluster. Settings come from env-kubernetes (rendered from templates/env-kubernetes.j2).
#
# Usage: install.sh [ENV_FILE]       (default: ./env-kubernetes)
set -euo pipefail

ENV_FILE="${1:-./env-kubernetes}"
[ -r "$ENV_FILE" ] || { echo "install.sh: cannot read $ENV_FILE" >&2; exit 2; }
# shellcheck source=/dev/null
. "$ENV_FILE"

: "${KUBE_VERSION:?}" "${KUBE_MAJOR_VERSION:?}" "${KUBE_MODE:?}" "${KUBE_ENDPOINT:?}"
PKG_VERSION="${KUBE_VERSION}-1.1"
KEYRING=/etc/apt/keyrings/kubernetes-apt-keyring.gpg

log() { printf '[kubernetes] %s\n' "$*" >&2; }

prepare_host() {
  log "disabling swap and loading kernel modules"
  swapoff -a
  sed -i.bak '/\sswap\s/s/^/#/' /etc/fstab
  cat > /etc/modules-load.d/kubernetes.conf <<MODULES
overlay
br_netfilter
MODULES
  modprobe overlay
  modprobe br_netfilter
  cat > /etc/sysctl.d/99-kubernetes.conf <<SYSCTL
net.bridge.bridge-nf-call-iptables  = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward                 = 1
SYSCTL
  sysctl --system >/dev/null
}

install_packages() {
  log "installing kubeadm, kubelet and kubectl ${PKG_VERSION}"
  apt-get update -q
  apt-get install -y -q apt-transport-https ca-certificates curl gpg
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL "https://pkgs.k8s.io/core:/stable:/v${KUBE_MAJOR_VERSION}/deb/Release.key" |
    gpg --dearmor --yes -o "$KEYRING"
  echo "deb [signed-by=${KEYRING}] https://pkgs.k8s.io/core:/stable:/v${KUBE_MAJOR_VERSION}/deb/ /" \
    > /etc/apt/sources.list.d/kubernetes.list
  apt-get update -q
  apt-get install -y -q --allow-change-held-packages \
    "kubelet=${PKG_VERSION}" "kubeadm=${PKG_VERSION}" "kubectl=${PKG_VERSION}"
  apt-mark hold kubelet kubeadm kubectl
  systemctl enable --now kubelet
}

init_cluster() {
  log "initialising cluster ${KUBE_CLUSTER_NAME} at ${KUBE_ENDPOINT}"
  kubeadm init --config ./kubeadm-config.yaml --upload-certs
  install -d -m 0700 "$HOME/.kube"
  install -m 0600 /etc/kubernetes/admin.conf "$HOME/.kube/config"
}

join_cluster() {
  [ -r "$KUBE_JOIN_TOKEN_PATH" ] || { log "missing join token at $KUBE_JOIN_TOKEN_PATH"; exit 2; }
  local token_args
  token_args="$(cat "$KUBE_JOIN_TOKEN_PATH")"
  if [ "$KUBE_MODE" = "controlplane" ]; then
    log "joining ${KUBE_ENDPOINT} as a control-plane node"
    # shellcheck disable=SC2086
    kubeadm join "$KUBE_ENDPOINT" $token_args --control-plane --cri-socket "$KUBE_CRI_SOCKET"
  else
    log "joining ${KUBE_ENDPOINT} as a worker"
    # shellcheck disable=SC2086
    kubeadm join "$KUBE_ENDPOINT" $token_args --cri-socket "$KUBE_CRI_SOCKET"
  fi
}

if command -v kubeadm >/dev/null && kubeadm version -o short | grep -qx "v${KUBE_VERSION}"; then
  log "kubeadm v${KUBE_VERSION} already installed"
else
  prepare_host
  install_packages
fi

if [ -f /etc/kubernetes/kubelet.conf ]; then
  log "node already part of a cluster, nothing to do"
elif [ "${KUBE_INIT}" = "true" ]; then
  init_cluster
else
  join_cluster
fi
log "done"

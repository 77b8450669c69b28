#!/usr/bin/env bash
# Server lifecycle for the aws provider, driven by the AWS CLI.
#
# Usage:
#   servers.sh create HOSTNAME SETTINGS_JSON USER_DATA_FILE TAGS_JSON_FILE
#   servers.sh delete HOSTNAME REGION [PROFILE]
#   servers.sh status HOSTNAME REGION [PROFILE]
#
# SETTINGS_JSON is the AwsServer + AwsProvider settings as JSON (rendered by provisioning).
# Credentials come from the AWS CLI profile; this script never reads or writes secrets.
set -euo pipefail

log() { printf '[aws] %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }

aws_cli() { aws --profile "$PROFILE" --region "$REGION" --output json "$@"; }

instance_id_of() {
  aws_cli ec2 describe-instances \
    --filters "Name=tag:Name,Values=$1" "Name=instance-state-name,Values=pending,running,stopped" \
    --query 'Reservations[].Instances[].InstanceId' | jq -r '.[0] // empty'
}

create_server() {
  local hostname="$1" settings="$2" user_data="$3" tags_file="$4"
  [ -r "$user_data" ] || die "cannot read user data $user_data"
  [ -r "$tags_file" ] || die "cannot read tags $tags_file"
  PROFILE="$(jq -r '.profile // "default"' <<<"$settings")"
  REGION="$(jq -r '.region' <<<"$settings")"
  if [ -n "$(instance_id_of "$hostname")" ]; then
    log "server $hostname already exists"
    return 0
  fi
  local args=(
    --image-id "$(jq -r '.image' <<<"$settings")"
    --instance-type "$(jq -r '.instance_type' <<<"$settings")"
    --key-name "$(jq -r '.ssh_key_name' <<<"$settings")"
    --user-data "file://$user_data"
    --block-device-mappings "$(jq -c '[.volumes[] | {DeviceName: .device,
        Ebs: {VolumeSize: .size_gb, VolumeType: .type, Encrypted: .encrypted,
              DeleteOnTermination: true}}]' <<<"$settings")"
    --tag-specifications "ResourceType=instance,Tags=$(jq -c . "$tags_file")"
                         "ResourceType=volume,Tags=$(jq -c . "$tags_file")"
  )
  local subnet
  subnet="$(jq -r '.subnet_id // empty' <<<"$settings")"
  if [ -n "$subnet" ]; then
    args+=(--subnet-id "$subnet")
    if [ "$(jq -r '.public_ip' <<<"$settings")" = "true" ]; then
      args+=(--associate-public-ip-address)
    fi
  fi
  local groups
  groups="$(jq -r '.security_groups | join(" ")' <<<"$settings")"
  # shellcheck disable=SC2206
  [ -n "$groups" ] && args+=(--security-group-ids $groups)

  log "creating $hostname in $REGION"
  local id
  id="$(aws_cli ec2 run-instances "${args[@]}" | jq -r '.Instances[0].InstanceId')"
  aws_cli ec2 wait instance-running --instance-ids "$id"
  log "server $hostname is running as $id"
  aws_cli ec2 describe-instances --instance-ids "$id" \
    | jq '.Reservations[0].Instances[0] | {id: .InstanceId, private_ip: .PrivateIpAddress,
          public_ip: .PublicIpAddress, zone: .Placement.AvailabilityZone}'
}

delete_server() {
  local hostname="$1" id
  id="$(instance_id_of "$hostname")"
  if [ -z "$id" ]; then
    log "server $hostname does not exist"
    return 0
  fi
  log "terminating $hostname ($id)"
  aws_cli ec2 terminate-instances --instance-ids "$id" >/dev/null
  aws_cli ec2 wait instance-terminated --instance-ids "$id"
}

status_server() {
  local id
  id="$(instance_id_of "$1")"
  [ -n "$id" ] || { echo '{"state": "absent"}'; return 0; }
  aws_cli ec2 describe-instances --instance-ids "$id" \
    | jq '.Reservations[0].Instances[0] | {id: .InstanceId, state: .State.Name}'
}

command -v aws >/dev/null || die "the AWS CLI (aws) is required"
command -v jq >/dev/null || die "jq is required"

case "${1:-}" in
  create)
    [ $# -eq 5 ] || die "usage: servers.sh create HOSTNAME SETTINGS_JSON USER_DATA TAGS_JSON"
    create_server "$2" "$3" "$4" "$5" ;;
  delete)
    [ $# -ge 3 ] || die "usage: servers.sh delete HOSTNAME REGION [PROFILE]"
    REGION="$3"; PROFILE="${4:-default}"; delete_server "$2" ;;
  status)
    [ $# -ge 3 ] || die "usage: servers.sh status HOSTNAME REGION [PROFILE]"
    REGION="$3"; PROFILE="${4:-default}"; status_server "$2" ;;
  *)
    die "usage: servers.sh create|delete|status …" ;;
esac

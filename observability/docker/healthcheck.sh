#!/usr/bin/env bash
# voxline-healthcheck [PORT]: succeeds when the service on PORT (default $SERVER_PORT, else 8080) answers
# GET /actuator/health with 200, i.e. its health is UP (DOWN or OUT_OF_SERVICE are 503).
# Plain bash over /dev/tcp: the JRE base image is not guaranteed to ship curl or wget.
set -euo pipefail

port="${1:-${SERVER_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status_line <&3
exec 3<&-
case "$status_line" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "health: ${status_line:-no answer}" >&2; exit 1 ;;
esac

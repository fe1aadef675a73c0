#!/usr/bin/env bash
# Sourced by .ci/run: provides a Docker-compatible container engine for Testcontainers on a machine
# that has none (Podman's Docker API, runc), and the peer image the interoperability suite runs
# (openssl, nginx, GnuTLS, curl from Debian), built from Debian packages when no registry is at hand.
# Where a Docker daemon already answers, it only builds nothing and exports nothing.
set -euo pipefail

peer_image=${SECURENET_PEER_IMAGE:-localhost/securenet-peer:bookworm}

if [ -z "${DOCKER_HOST:-}" ] && ! { command -v docker >/dev/null && docker info >/dev/null 2>&1; }; then
  apt-get install -y -qq --no-install-recommends podman runc debootstrap uidmap >/dev/null
  mkdir -p /etc/containers /run/podman
  if ! grep -qs 'runtime = "runc"' /etc/containers/containers.conf; then
    # crun refuses the cgroup layout of some sandboxes, and they may not raise rlimits
    cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
CONF
  fi
  if ! curl -fs --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1; then
    # from /: the service outlives this checkout, and conmon fails once its working directory is gone
    (cd / && nohup podman system service --time=0 unix:///run/podman/podman.sock >/tmp/securenet-podman.log 2>&1 &)
    for _ in $(seq 1 50); do
      curl -fs --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1 && break
      sleep 0.2
    done
  fi
  export DOCKER_HOST=unix:///run/podman/podman.sock
  export TESTCONTAINERS_RYUK_DISABLED=true      # the Ryuk image cannot be pulled here; tests stop their containers
  export TESTCONTAINERS_HOST_OVERRIDE=localhost

  if ! podman image exists "$peer_image"; then
    root=$(mktemp -d)
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    debootstrap --variant=minbase --include=openssl,nginx-light,gnutls-bin,curl,ca-certificates \
      bookworm "$root" ${mirror:+"$mirror"} >/tmp/securenet-debootstrap.log 2>&1
    tar -C "$root" -c . | podman import - "$peer_image" >/dev/null 2>&1
    rm -rf "$root"
  fi
  export SECURENET_PEER_IMAGE="$peer_image"
fi

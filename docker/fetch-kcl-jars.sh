#!/bin/sh
# Fetch the KCL MultiLangDaemon jars named in a jar list from a Maven repository and verify each against its pinned
# SHA-256 (image build time; nothing is downloaded when a container starts). Fails closed: an unpinned entry, a failed
# download or a checksum mismatch stops the build.
#   usage: fetch-kcl-jars.sh <jar-list> <destination-dir>
#   MAVEN_REPO_URL: repository or internal mirror (default https://repo1.maven.org/maven2; https or file only)
set -eu

list=${1:?usage: fetch-kcl-jars.sh <jar-list> <destination-dir>}
dest=${2:?usage: fetch-kcl-jars.sh <jar-list> <destination-dir>}
repo=${MAVEN_REPO_URL:-https://repo1.maven.org/maven2}

mkdir -p "$dest"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

count=0
while read -r group artifact version sha256 extra; do
  case "$group" in
    '' | '#'*) continue ;;
  esac
  if [ -n "$extra" ] || [ -z "$version" ]; then
    echo "fetch-kcl-jars: malformed line for $group $artifact" >&2
    exit 1
  fi
  if ! printf '%s\n' "$sha256" | grep -Eq '^[0-9a-f]{64}$'; then
    echo "fetch-kcl-jars: $group:$artifact:$version has no pinned sha256 ('$sha256'); run docker/pin-kcl-jars.sh" >&2
    exit 1
  fi
  file="$artifact-$version.jar"
  url="$repo/$(printf '%s' "$group" | tr . /)/$artifact/$version/$file"
  curl --fail --silent --show-error --location --proto '=https,file' --proto-redir '=https' \
    --retry 3 --output "$tmp" "$url"
  if ! printf '%s  %s\n' "$sha256" "$tmp" | sha256sum --check --status -; then
    echo "fetch-kcl-jars: checksum mismatch for $file (expected $sha256)" >&2
    exit 1
  fi
  mv "$tmp" "$dest/$file"
  count=$((count + 1))
done <"$list"

if [ "$count" -eq 0 ]; then
  echo "fetch-kcl-jars: no jars listed in $list" >&2
  exit 1
fi
echo "fetch-kcl-jars: $count jars verified into $dest" >&2

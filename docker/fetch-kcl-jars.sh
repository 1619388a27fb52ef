#!/bin/sh
# Fetch the KCL MultiLangDaemon jars named in a jar list from a Maven repository and verify each one (image build
# time; nothing is downloaded when a container starts). A pinned entry is checked against its SHA-256 in the list; an
# UNPINNED entry only against the repository's own .sha1 over HTTPS (what Maven itself does), with a warning, unless
# KCL_JARS_REQUIRE_PINS=true refuses it. Fails closed: a failed download or a mismatch stops the build.
#   usage: fetch-kcl-jars.sh <jar-list> <destination-dir>
#   MAVEN_REPO_URL: repository or internal mirror (default https://repo1.maven.org/maven2; https or file only)
set -eu

list=${1:?usage: fetch-kcl-jars.sh <jar-list> <destination-dir>}
dest=${2:?usage: fetch-kcl-jars.sh <jar-list> <destination-dir>}
repo=${MAVEN_REPO_URL:-https://repo1.maven.org/maven2}
require_pins=${KCL_JARS_REQUIRE_PINS:-false}

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
  pinned=false
  if printf '%s\n' "$sha256" | grep -Eq '^[0-9a-f]{64}$'; then
    pinned=true
  elif [ "$require_pins" = true ]; then
    echo "fetch-kcl-jars: $group:$artifact:$version has no pinned sha256 ('$sha256'); run docker/pin-kcl-jars.sh" >&2
    exit 1
  fi
  file="$artifact-$version.jar"
  url="$repo/$(printf '%s' "$group" | tr . /)/$artifact/$version/$file"
  fetch() {
    curl --fail --silent --show-error --location --proto '=https,file' --proto-redir '=https' --retry 3 "$@"
  }
  fetch --output "$tmp" "$url"
  if [ "$pinned" = true ]; then
    if ! printf '%s  %s\n' "$sha256" "$tmp" | sha256sum --check --status -; then
      echo "fetch-kcl-jars: checksum mismatch for $file (expected $sha256)" >&2
      exit 1
    fi
  else
    sha1=$(fetch "$url.sha1" | cut -c1-40)
    if ! printf '%s\n' "$sha1" | grep -Eq '^[0-9a-f]{40}$' ||
      ! printf '%s  %s\n' "$sha1" "$tmp" | sha1sum --check --status -; then
      echo "fetch-kcl-jars: checksum mismatch for $file (the repository's .sha1 says '$sha1')" >&2
      exit 1
    fi
    echo "fetch-kcl-jars: warning: $file checked against the repository's .sha1 only; pin it with docker/pin-kcl-jars.sh" >&2
  fi
  mv "$tmp" "$dest/$file"
  count=$((count + 1))
done <"$list"

if [ "$count" -eq 0 ]; then
  echo "fetch-kcl-jars: no jars listed in $list" >&2
  exit 1
fi
echo "fetch-kcl-jars: $count jars verified into $dest" >&2

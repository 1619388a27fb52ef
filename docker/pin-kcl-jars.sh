#!/bin/bash
# Maintainer tool (needs network to Maven Central): fill the sha256 column of docker/kcl-jars.txt. Each jar is checked
# against the .sha1 Maven Central publishes next to it before its SHA-256 is recorded. Review the diff, then commit:
# from then on the image build trusts only these pinned values.
#   usage: docker/pin-kcl-jars.sh [jar-list]
set -euo pipefail

list=${1:-"$(dirname "$0")/kcl-jars.txt"}
repo=${MAVEN_REPO_URL:-https://repo1.maven.org/maven2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

out="$work/list"
while IFS= read -r line; do
  read -r group artifact version _ <<<"$line" || true
  if [[ -z "${group:-}" || "$group" == '#'* ]]; then
    printf '%s\n' "$line" >>"$out"
    continue
  fi
  url="$repo/${group//.//}/$artifact/$version/$artifact-$version.jar"
  curl --fail --silent --show-error --location --proto '=https,file' --output "$work/jar" "$url"
  sha1=$(curl --fail --silent --show-error --location --proto '=https,file' "$url.sha1" | cut -c1-40)
  if [[ "$(sha1sum "$work/jar" | cut -c1-40)" != "$sha1" ]]; then
    echo "pin-kcl-jars: $artifact-$version.jar does not match Maven Central's .sha1" >&2
    exit 1
  fi
  printf '%s %s %s %s\n' "$group" "$artifact" "$version" "$(sha256sum "$work/jar" | cut -c1-64)" >>"$out"
done <"$list"

cp "$out" "$list"
echo "pin-kcl-jars: pinned $(grep -c -v -e '^#' -e '^$' "$list") jars in $list" >&2

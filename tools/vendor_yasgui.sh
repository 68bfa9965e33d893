#!/usr/bin/env bash
# Vendor the YASGUI query editor (npm @zazuko/yasgui, the editor Oxigraph ships) into
# graph/static/yasgui/: its built bundle and stylesheet, nothing else, so the query page
# needs no CDN at run time. The files are third-party build output (1 MB minified): they are
# not committed (graph/static/.gitignore); run.sh runs this script when they are missing.
#
# The version is pinned and the tarball checked against the registry's published sha512
# before anything is copied; npm runs no install scripts (`npm pack` only downloads).
#   bash tools/vendor_yasgui.sh          # vendor (no-op when the pinned version is there)
#   bash tools/vendor_yasgui.sh --force  # vendor again
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="4.6.2"
INTEGRITY="sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="
DEST="graph/static/yasgui"

if [ "${1:-}" != "--force" ] && [ -f "$DEST/VERSION" ] && [ "$(head -n1 "$DEST/VERSION")" = "@zazuko/yasgui@$VERSION" ] \
   && [ -s "$DEST/yasgui.min.js" ] && [ -s "$DEST/yasgui.min.css" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "vendor_yasgui: npm not found; the query page will offer the plain form only" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
( cd "$TMP" && npm pack --silent --ignore-scripts "@zazuko/yasgui@$VERSION" >/dev/null )
TGZ="$TMP/zazuko-yasgui-$VERSION.tgz"
GOT="sha512-$(openssl dgst -sha512 -binary "$TGZ" | base64 -w0)"
if [ "$GOT" != "$INTEGRITY" ]; then
  echo "vendor_yasgui: $TGZ does not match the pinned sha512 ($GOT); not vendored" >&2
  exit 1
fi
tar -xzf "$TGZ" -C "$TMP" package/build/yasgui.min.js package/build/yasgui.min.css package/package.json
mkdir -p "$DEST.tmp"
cp "$TMP/package/build/yasgui.min.js" "$TMP/package/build/yasgui.min.css" "$DEST.tmp/"
{
  echo "@zazuko/yasgui@$VERSION"
  echo "license: MIT (Triply, Zazuko GmbH) — https://github.com/rdfjs/Yasgui"
  echo "tarball: $INTEGRITY"
  echo "files: build/yasgui.min.js build/yasgui.min.css, copied unchanged by tools/vendor_yasgui.sh"
} > "$DEST.tmp/VERSION"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "vendored @zazuko/yasgui@$VERSION into $DEST ($(du -sk "$DEST" | cut -f1) KB)"

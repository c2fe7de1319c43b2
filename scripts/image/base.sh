#!/usr/bin/env bash
# The image's base, assembled from Debian's own packages (no image registry needed):
# debootstrap a minimal bookworm with what the app needs at run time, then podman import.
# Usage: base.sh IMAGE_NAME   (does nothing when the image already exists)
set -euo pipefail
image=${1:?image name}
here=$(cd "$(dirname "$0")" && pwd)
if podman image exists "$image"; then
  exit 0
fi
# The Debian mirror this machine already uses for apt
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { echo "No se encontró el espejo de Debian en la configuración de apt" >&2; exit 1; }
root=$(mktemp -d /var/tmp/loggro-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
packages=$(tr '\n' ',' < "$here/debian-packages.txt" | sed 's/,$//')
echo "Armando la imagen base $image desde paquetes de Debian (unos minutos)..."
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" > "$root.log" 2>&1 \
  || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image" > /dev/null
echo "Imagen base $image lista."

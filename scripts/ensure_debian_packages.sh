#!/usr/bin/env bash
# Install the given Debian packages when missing (as root), or say exactly what to install.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Faltan paquetes de Debian: ${missing[*]}" >&2
  echo "Instálalos con: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Instalando paquetes de Debian: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packages such as postgresql start a system service when installed; the tests start
# their own servers on free loopback ports, so no service is started here.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

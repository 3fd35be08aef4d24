#!/usr/bin/env bash
# Installs the Debian packages Viva and its tests need, only those missing.
set -euo pipefail
needed=(libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins poppler-utils espeak-ng xvfb sox
        libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3)
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Missing system packages: ${missing[*]}. Install them with apt-get as root, then run make again." >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

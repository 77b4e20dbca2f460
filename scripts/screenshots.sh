#!/usr/bin/env bash
# Regenerates screenshots/ from the real binary in tmux. Installs the fonts (Debian) and Python
# packages (PyPI) the renderer needs when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
fonts=()
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || fonts+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf ] || fonts+=(fonts-nanum)
[ -e /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || fonts+=(fonts-symbola)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || fonts+=(fonts-noto-color-emoji)
if [ ${#fonts[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${fonts[@]}" >/dev/null
    else
        echo "error: missing fonts ${fonts[*]}; install with: sudo apt-get install ${fonts[*]}" >&2
        exit 1
    fi
fi
python3 -c "import PIL, fontTools" 2>/dev/null || python3 -m pip install -q pillow fonttools
python3 scripts/screenshots.py

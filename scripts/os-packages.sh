#!/usr/bin/env bash
# Debian packages the platform needs beyond Python and Node:
#   chromium          browser tests and the page-weight benchmark
#   fonts-noto-core   Nastaliq and Naskh faces for certificate PDFs
#   poppler-utils     pdftoppm, to look at rendered certificates in tests
#   zbar-tools        zbarimg, to read a certificate's QR code back in tests
#   wrk               load generator for the verification benchmark
# Installs what is missing when run as root on Debian/Ubuntu; otherwise says
# what to install and fails, so nothing half-works.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf ] || need+=(fonts-noto-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v wrk >/dev/null 2>&1 || need+=(wrk)

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
    echo "Please install these packages first: ${need[*]}" >&2
    echo "  (on Debian or Ubuntu: sudo apt-get install ${need[*]})" >&2
    exit 1
fi

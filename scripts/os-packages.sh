#!/usr/bin/env bash
# Debian packages the platform needs beyond Python and Node, by what needs them:
#
#   run   (make run)    fonts-noto-core   Nastaliq and Serif faces for certificate PDFs,
#                                         drawn by the task worker of the running site
#   test  (make test)   run, and
#                       chromium          browser tests
#                       poppler-utils     pdftoppm, to look at rendered certificates
#                       zbar-tools        zbarimg, to read a certificate's QR code back
#                       qpdf              qpdf --check, on certificate PDFs
#   bench (make bench)  run, and
#                       chromium          the page-weight benchmark
#                       wrk               load generator for the verification benchmark
#
# Usage: scripts/os-packages.sh run|test|bench
# Installs what is missing when run as root on Debian/Ubuntu; otherwise says
# what to install and fails, so nothing half-works.
set -euo pipefail

mode="${1:-}"
case "$mode" in
    run | test | bench) ;;
    *)
        echo "Usage: $0 run|test|bench" >&2
        exit 2
        ;;
esac

# Where fonts-noto-core puts the faces (certificates/rendering/fonts.py looks there).
noto="${NOTO_FONT_DIR:-/usr/share/fonts/truetype/noto}"
need=()
[ -e "$noto/NotoNastaliqUrdu-Regular.ttf" ] && [ -e "$noto/NotoSerif-Regular.ttf" ] \
    || need+=(fonts-noto-core)
if [ "$mode" = test ] || [ "$mode" = bench ]; then
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ "$mode" = test ]; then
    command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
    command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
    command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
fi
if [ "$mode" = bench ]; then
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
    echo "Please install these packages first: ${need[*]}" >&2
    echo "  (on Debian or Ubuntu: sudo apt-get install ${need[*]};" >&2
    echo "   elsewhere: the Noto Nastaliq Urdu and Noto Serif fonts in" >&2
    echo "   /usr/share/fonts/truetype/noto, Chromium, poppler, zbar, qpdf and wrk" >&2
    echo "   from your system's packages, as the list above names)" >&2
    exit 1
fi

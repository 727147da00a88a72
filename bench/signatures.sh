#!/usr/bin/env bash
# Signature throughput beside its ceiling: `egov bench-signatures` (release build) signs a PDF of
# BENCH_PDF_BYTES (default 1 MiB) as PAdES and an edXML message of BENCH_XML_BYTES (16 KiB) as XML-DSig
# with RSA-2048 in one thread, and the PDF with ECDSA P-256, and `openssl speed` signs with RSA-2048 and
# P-256 (and hashes PDF-sized blocks with SHA-256) in one thread on the same machine in the same run.
# Prints a Markdown table with the ratios.
#
#   bench/signatures.sh [--no-build]
#
# Environment: BENCH_PDF_BYTES (1048576), BENCH_XML_BYTES (16384), BENCH_SECONDS per measurement (5), EGOV_BIN (skip the build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
PDF_BYTES="${BENCH_PDF_BYTES:-1048576}"
SECONDS_EACH="${BENCH_SECONDS:-5}"

if [[ -n "${EGOV_BIN:-}" ]]; then
    BIN="$EGOV_BIN"
else
    if [[ $BUILD -eq 1 ]]; then
        echo "building egov (release)…" >&2
        swift build -c release --product egov >&2
    fi
    BIN="$(swift build -c release --show-bin-path)/egov"
fi
command -v openssl >/dev/null || { echo "openssl is needed (Debian package openssl)" >&2; exit 1; }

echo "openssl speed -seconds $SECONDS_EACH rsa2048 (one thread)…" >&2
# OpenSSL 3 prints "rsa 2048 bits 0.000655s 0.000019s   1526.7  52631.6": the sign/s column is the 6th field.
OPENSSL_SIGN=$(openssl speed -seconds "$SECONDS_EACH" rsa2048 2>/dev/null | awk '$1 == "rsa" && $2 == "2048" { print $6; exit }')
[[ -n "$OPENSSL_SIGN" ]] || { echo "could not read openssl speed's sign/s" >&2; exit 1; }

# OpenSSL 3 prints " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  49509.0  18033.3": sign/s is the next-to-last field.
echo "openssl speed -seconds $SECONDS_EACH ecdsap256 (one thread)…" >&2
OPENSSL_P256=$(openssl speed -seconds "$SECONDS_EACH" ecdsap256 2>/dev/null | awk '/ecdsa \(nistp256\)/ { print $(NF - 1); exit }')
[[ -n "$OPENSSL_P256" ]] || { echo "could not read openssl speed's ecdsap256 sign/s" >&2; exit 1; }

# The file's digest is part of any PDF signature: SHA-256 over PDF_BYTES-sized blocks, one thread. The
# output's last field is thousands of bytes per second ("sha256  ...  1234567.89k").
echo "openssl speed -seconds $SECONDS_EACH -bytes $PDF_BYTES sha256 (one thread)…" >&2
OPENSSL_SHA_K=$(openssl speed -seconds "$SECONDS_EACH" -bytes "$PDF_BYTES" -evp sha256 2>/dev/null | awk '$1 == "sha256" { v = $NF } END { sub(/k$/, "", v); print v }')
[[ -n "$OPENSSL_SHA_K" ]] || { echo "could not read openssl speed's sha256 rate" >&2; exit 1; }

OUT=$("$BIN" bench-signatures --pdf-bytes "$PDF_BYTES" --xml-bytes "${BENCH_XML_BYTES:-16384}" --seconds "$SECONDS_EACH")
value() { awk -v k="$1" '$1 == k { print $2 }' <<<"$OUT"; }
PDF_RATE=$(value pdf_signatures_per_second)
PDF_TS_RATE=$(value pdf_timestamped_signatures_per_second)
RSA_RATE=$(value rsa2048_signatures_per_second)
UNLOCKS=$(value pin_unlocks_per_second)
XML_RATE=$(value xml_signatures_per_second)
PDF_P256_RATE=$(value pdf_p256_signatures_per_second)
P256_RATE=$(value p256_signatures_per_second)
PDF_P256_CEILING=$(awk -v s="$OPENSSL_P256" -v k="$OPENSSL_SHA_K" -v n="$PDF_BYTES" 'BEGIN { printf "%.1f", 1 / (1 / s + n / (k * 1000)) }')
# The PDF path's own ceiling: one RSA signature plus SHA-256 over the file, both at openssl's speed.
PDF_CEILING=$(awk -v s="$OPENSSL_SIGN" -v k="$OPENSSL_SHA_K" -v n="$PDF_BYTES" 'BEGIN { printf "%.1f", 1 / (1 / s + n / (k * 1000)) }')
PDF_CEILING_INPROCESS=$(awk -v s="$RSA_RATE" -v k="$OPENSSL_SHA_K" -v n="$PDF_BYTES" 'BEGIN { printf "%.1f", 1 / (1 / s + n / (k * 1000)) }')
HASH_ONLY=$(awk -v k="$OPENSSL_SHA_K" -v n="$PDF_BYTES" 'BEGIN { printf "%.1f", k * 1000 / n }')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }

echo "| path (one thread, RSA-2048, SHA-256) | signatures/s | vs openssl speed sign/s |"
echo "|---|---:|---:|"
echo "| openssl speed rsa2048 (ceiling) | $OPENSSL_SIGN | 100 % |"
echo "| bare RSA signature in-process (swift-crypto) | $RSA_RATE | $(ratio "$RSA_RATE" "$OPENSSL_SIGN") |"
echo "| PAdES signature of a $(value pdf_bytes)-byte PDF | $PDF_RATE | $(ratio "$PDF_RATE" "$OPENSSL_SIGN") |"
echo "| the same with the locality TSA's signature time-stamp (PAdES B-T, two RSA signatures) | $PDF_TS_RATE | $(ratio "$PDF_TS_RATE" "$OPENSSL_SIGN") |"
echo "| XML-DSig signature of a $(value xml_bytes)-byte edXML message (libxmlsec1) | $XML_RATE | $(ratio "$XML_RATE" "$OPENSSL_SIGN") |"
echo
echo "| path (one thread, ECDSA P-256, SHA-256) | signatures/s | vs openssl speed ecdsap256 sign/s |"
echo "|---|---:|---:|"
echo "| openssl speed ecdsap256 (ceiling) | $OPENSSL_P256 | 100 % |"
echo "| bare P-256 signature in-process (swift-crypto) | $P256_RATE | $(ratio "$P256_RATE" "$OPENSSL_P256") |"
echo "| PAdES signature of the same PDF with a P-256 key | $PDF_P256_RATE | $(ratio "$PDF_P256_RATE" "$OPENSSL_P256") |"
echo
echo "With P-256 the PDF path's ceiling (openssl's signature plus its SHA-256 over the file) is $PDF_P256_CEILING/s; the PAdES path reaches $(ratio "$PDF_P256_RATE" "$PDF_P256_CEILING") of it."
echo
echo "The PDF path's ceiling with openssl's SHA-256 over the file ($OPENSSL_SHA_K kB/s) added to its RSA signature: $PDF_CEILING/s; the PAdES path reaches $(ratio "$PDF_RATE" "$PDF_CEILING") of it."
echo "With the in-process RSA signature (swift-crypto, $RSA_RATE/s) instead of openssl's, that ceiling is $PDF_CEILING_INPROCESS/s; the PAdES path reaches $(ratio "$PDF_RATE" "$PDF_CEILING_INPROCESS") of it."
echo "Hashing the file alone, with no signature at all, allows $HASH_ONLY/s: $(ratio "$HASH_ONLY" "$OPENSSL_SIGN") of openssl's RSA-2048 sign/s."
echo
echo "Opening a signing key with its PIN (PBKDF2-SHA256, 210,000 rounds, once per signature request): $UNLOCKS/s."
echo
echo "Machine: $(nproc) cores, $(awk '/model name/ { sub(/^.*: /, ""); print; exit }' /proc/cpuinfo); $(openssl version); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(date -u +%Y-%m-%d)."

#!/usr/bin/env bash
# Installs every Debian package Tandem needs to build, test and benchmark. Idempotent: packages
# already present are skipped, so `make run` and `make test` call it every time at no cost.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config make python3
  # libraries (ARCHITECTURE.md, "Stack")
  libboost-dev libsqlite3-dev libpq-dev libsodium-dev nlohmann-json3-dev libfmt-dev
  libspdlog-dev libcli11-dev libtomlplusplus-dev libhowardhinnant-date-dev libutf8proc-dev
  libjemalloc-dev libcurl4-openssl-dev libzip-dev libisal-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  # mail: MIME parsing; Twilio's HMAC-SHA1 signatures; the templates of mail out (issue "Omnichannel")
  libgmime-3.0-dev libssl-dev libkainjow-mustache-dev
  # reports as spreadsheets (OPS-1), and a real reader of them for the tests
  libxlsxwriter-dev python3-openpyxl
  # routing: the text classifier that suggests team and category (REL-4)
  libfasttext-dev
  # tests and benchmarks: a throwaway PostgreSQL cluster, GoogleTest, Google Benchmark, wrk,
  # GNU time (a process's peak memory)
  postgresql libgtest-dev libgmock-dev googletest libbenchmark-dev wrk time
  # the mail round trip: a throwaway Postfix and Dovecot on loopback (scripts/with-mail-servers.sh)
  postfix dovecot-core dovecot-imapd dovecot-lmtpd
  # the web UI's end-to-end tests drive Debian's chromium
  chromium fonts-wqy-microhei
)
# The web UI is built with Node.js and npm: Debian's, unless the machine has its own already.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# Postfix installed without a system configuration: it must not start a mail server of the
# machine's own; the tests start theirs.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Make sure the services the test suite needs are up: PostgreSQL on 127.0.0.1:5432 and, where
# the printing tests run, CUPS with a PDF printer. Installs them from the distribution when missing.
set -euo pipefail

need_apt_update=1
apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "ensure-services: '$*' is missing and installing it needs root (apt-get install $*)" >&2
        exit 1
    fi
    if [ "$need_apt_update" = 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        need_apt_update=0
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure-services: installing PostgreSQL"
    apt_install postgresql
fi
if ! pg_up; then
    echo "ensure-services: starting PostgreSQL"
    for v in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! pg_up; then
    echo "ensure-services: PostgreSQL is not answering on 127.0.0.1:5432" >&2
    exit 1
fi
# Trust auth for local test connections as user postgres (a fresh apt install uses peer/scram).
if ! psql -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        for hba in /etc/postgresql/*/main/pg_hba.conf; do
            sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)\S+/\1trust/' "$hba"
        done
        for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main reload || true; done
    fi
fi
psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select version()' >/dev/null
# This cluster holds test databases only: it need not survive a power cut. Without fsync, synchronous
# commits and full-page writes a commit costs no disk flush, and the PostgreSQL tests run much
# faster. All three take effect on reload. Never point this script at a server that holds real data;
# RETURNDESK_TEST_PG_DURABLE=1 leaves the settings alone.
if [ "${RETURNDESK_TEST_PG_DURABLE:-0}" != 1 ]; then
    pg_setting() { psql -h 127.0.0.1 -U postgres -d postgres -Atc "show $1"; }
    if [ "$(pg_setting fsync)$(pg_setting synchronous_commit)$(pg_setting full_page_writes)" != offoffoff ]; then
        psql -h 127.0.0.1 -U postgres -d postgres -q \
            -c 'ALTER SYSTEM SET fsync = off' \
            -c 'ALTER SYSTEM SET synchronous_commit = off' \
            -c 'ALTER SYSTEM SET full_page_writes = off' \
            -c 'SELECT pg_reload_conf()' >/dev/null
        echo "ensure-services: test cluster runs without fsync (RETURNDESK_TEST_PG_DURABLE=1 keeps it)"
    fi
fi
echo "ensure-services: PostgreSQL ready"

if [ -x scripts/ensure-cups.sh ]; then
    bash scripts/ensure-cups.sh
fi

# Headless Chromium renders the server's customer pages (policy and status) in the tests.
if ! command -v chromium >/dev/null 2>&1; then
    echo "ensure-services: installing Chromium (headless browser tests)"
    apt_install chromium
fi

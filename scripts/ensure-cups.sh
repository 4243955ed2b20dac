#!/usr/bin/env bash
# Make sure CUPS runs with a queue "PDF" (cups-pdf) that accepts jobs, for the printing tests
# (pytest -m cups). Installs CUPS and cups-pdf from the distribution when missing. Idempotent: when
# everything is already up it only asks lpstat twice.
#
# cups-pdf writes each job as a PDF file into the directory named by "Out" in cups-pdf.conf
# (Debian's default: ${HOME}/PDF of the user who submitted the job).
set -euo pipefail

QUEUE=PDF
PPD=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd

need_root() {
    if [ "$(id -u)" != 0 ]; then
        echo "ensure-cups: $1 needs root; run this script as root (or do it by hand: $2)" >&2
        exit 1
    fi
}

scheduler_up() { lpstat -r 2>/dev/null | grep -q "is running"; }
queue_accepts() { LC_ALL=C lpstat -a "$QUEUE" 2>/dev/null | grep -q "^$QUEUE accepting"; }

if ! command -v cupsd >/dev/null 2>&1 || ! command -v lpstat >/dev/null 2>&1 \
    || [ ! -x /usr/lib/cups/backend/cups-pdf ]; then
    need_root "installing CUPS" "apt-get install cups printer-driver-cups-pdf"
    echo "ensure-cups: installing CUPS and cups-pdf"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cups printer-driver-cups-pdf >/dev/null
fi

if ! scheduler_up; then
    need_root "starting cupsd" "cupsd"
    echo "ensure-cups: starting cupsd"
    # Without systemd (containers, CI) the daemon is started directly; it forks into the background.
    cupsd
    for _ in $(seq 1 50); do
        scheduler_up && break
        sleep 0.2
    done
    if ! scheduler_up; then
        echo "ensure-cups: cupsd did not start; see /var/log/cups/error_log" >&2
        exit 1
    fi
fi

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
    need_root "creating the $QUEUE printer" "lpadmin -p $QUEUE -v cups-pdf:/ -E -m $PPD"
    echo "ensure-cups: creating printer $QUEUE (cups-pdf)"
    lpadmin -p "$QUEUE" -v cups-pdf:/ -E -m "$PPD"
fi

if ! queue_accepts; then
    # A queue left disabled or rejecting (for example after a failed job) is brought back.
    need_root "enabling the $QUEUE printer" "cupsenable $QUEUE; cupsaccept $QUEUE"
    cupsenable "$QUEUE"
    cupsaccept "$QUEUE"
fi
for _ in $(seq 1 50); do
    queue_accepts && break
    sleep 0.2
done
if ! queue_accepts; then
    echo "ensure-cups: printer $QUEUE does not accept jobs (lpstat -a $QUEUE); see /var/log/cups/error_log" >&2
    exit 1
fi

out=$(sed -n 's/^[[:space:]]*Out[[:space:]]\+//p' /etc/cups/cups-pdf.conf 2>/dev/null | tail -n 1)
echo "ensure-cups: CUPS ready, printer $QUEUE writes to ${out:-\${HOME\}/PDF}"

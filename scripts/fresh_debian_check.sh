#!/usr/bin/env bash
# fresh_debian_check.sh: run the README's Quick start on a fresh Debian 12 (bookworm).
#
# No container engine is needed: a minimal Debian root is built with debootstrap (the
# host must be Debian/Ubuntu and the script run as root), and the Quick start runs in it
# through chroot, as an ordinary user, with plain PyPI over the network.
#
#   sudo scripts/fresh_debian_check.sh [--root DIR] [--repo PATH] [--ref REF]
#                                      [--mirror URL] [--suite bookworm] [--rebuild]
#
#   --root DIR    where the Debian root lives (default /tmp/fresh-debian). It is built once
#                 (debootstrap --variant=minbase, then `apt-get install python3
#                 python3-venv`, what the README asks a user to install) and reused;
#                 --rebuild deletes and rebuilds it.
#   --repo PATH   the git repository to test (default: the one holding this script).
#   --ref REF     the branch, tag or commit to test (default HEAD). A clean clone of
#                 exactly that commit is copied in (`git clone --no-local`, then checkout):
#                 no untracked or ignored file of the host's checkout goes in.
#   --apt "PKGS"  also apt-get install these packages in the root (to try a fix the README
#                 does not ask for yet, e.g. --apt "build-essential python3-dev"); use its
#                 own --root, since the packages stay in the reused root.
#   --no-host-ca  do not copy the host's local CA certificates in (see below).
#   --mirror URL  Debian mirror (default: the first deb.debian.org-style URI of the host's
#                 /etc/apt/sources.list*, else http://deb.debian.org/debian).
#
# Inside the root: /proc, /dev (and /dev/pts, /dev/shm) are mounted and the host's
# resolv.conf copied for DNS; the host's own trust anchors (/usr/local/share/ca-certificates/
# *.crt) are copied in and update-ca-certificates run, because this network intercepts TLS
# with its own CA (pip would fail CERTIFICATE_VERIFY_FAILED without it; a machine on an
# ordinary network has no such CA and needs nothing of the kind); everything is unmounted on exit (trap). The steps run with
# an empty environment (env -i: HOME, PATH, LANG=C.UTF-8 only), so none of the host's
# PIP_* variables, /etc/pip.conf, /etc/xdg/pip, /opt/pypi or /opt/wheels is visible; a
# check step fails if any of them is.
#
# The commands are read from the tested ref's own README.md: the lines of the
# "## Quick start" section's code blocks that end in a `# N. ...` comment, run as written
# (comment stripped) in order, in one bash session per step (the venv is activated again
# before steps after the first, as the user's shell would still have it). Step 2 (the
# audit) is a pass when it exits 0 or 1 (1 is the gate's verdict on the bundled example,
# which holds a seed that fails the gate) and report.html was written; other steps must
# exit 0. Each step's result and time is printed; the exit code is 0 when all passed,
# 1 otherwise. Logs: DIR/home/fresh/logs/step-N.log.
set -euo pipefail

ROOT=/tmp/fresh-debian
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REF=HEAD
SUITE=bookworm
MIRROR=""
REBUILD=0
EXTRA_APT=""
HOST_CA=1
USER_NAME=fresh
USER_ID=1000

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="$2"; shift 2;;
    --repo) REPO="$2"; shift 2;;
    --ref) REF="$2"; shift 2;;
    --mirror) MIRROR="$2"; shift 2;;
    --suite) SUITE="$2"; shift 2;;
    --rebuild) REBUILD=1; shift;;
    --apt) EXTRA_APT="$2"; shift 2;;
    --no-host-ca) HOST_CA=0; shift;;
    -h|--help) usage; exit 0;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, chroot and mount need it)" >&2; exit 2; }
case "$ROOT" in /|"") echo "refusing --root '$ROOT'" >&2; exit 2;; esac

if [ -z "$MIRROR" ]; then
  MIRROR="$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
            | awk '{print $2}' | head -n1 || true)"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi

FAILED=0
results=()
say() { printf '[fresh-debian] %s\n' "$*"; }
record() {  # name status seconds
  results+=("$(printf '%-34s %-4s %6ss' "$1" "$2" "$3")")
  say "$1: $2 (${3}s)"
  [ "$2" = PASS ] || FAILED=1
}

MOUNTED=()
cleanup() {
  local i
  for ((i=${#MOUNTED[@]}-1; i>=0; i--)); do
    umount -R "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT
mount_in() {  # mount_in TARGET mount-args...
  local target="$1"; shift
  mountpoint -q "$target" || { mount "$@" "$target"; MOUNTED+=("$target"); }
}

# --- 0. the Debian root --------------------------------------------------------------
command -v debootstrap >/dev/null || { say "installing debootstrap on the host"; apt-get install -y debootstrap >/dev/null; }
if [ -d "$ROOT" ] && { [ "$REBUILD" = 1 ] || [ ! -f "$ROOT/.fresh-debian-built" ]; }; then
  say "removing the old or half-built root $ROOT"
  for m in proc dev; do umount -R "$ROOT/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$ROOT"
fi
if [ ! -f "$ROOT/.fresh-debian-built" ]; then
  say "debootstrap $SUITE (minbase) from $MIRROR into $ROOT"
  t0=$SECONDS
  if nice -n 10 debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" > "/tmp/fresh-debian-debootstrap.log" 2>&1; then
    record "debootstrap $SUITE" PASS $((SECONDS-t0))
  else
    record "debootstrap $SUITE" FAIL $((SECONDS-t0)); tail -20 /tmp/fresh-debian-debootstrap.log
    printf '%s\n' "${results[@]}"; exit 1
  fi
else
  say "reusing the Debian root in $ROOT (built $(cat "$ROOT/.fresh-debian-built"))"
fi

mount_in "$ROOT/proc" -t proc proc
mount_in "$ROOT/dev" --rbind /dev
mount --make-rslave "$ROOT/dev"
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
              HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

if [ ! -f "$ROOT/.fresh-debian-built" ]; then
  t0=$SECONDS
  if in_root nice -n 10 bash -c 'apt-get update && apt-get install -y python3 python3-venv' \
       > /tmp/fresh-debian-apt.log 2>&1; then
    record "apt-get install python3 python3-venv" PASS $((SECONDS-t0))
  else
    record "apt-get install python3 python3-venv" FAIL $((SECONDS-t0)); tail -20 /tmp/fresh-debian-apt.log
    printf '%s\n' "${results[@]}"; exit 1
  fi
  in_root useradd -m -u "$USER_ID" -s /bin/bash "$USER_NAME"
  date -u +%Y-%m-%dT%H:%MZ > "$ROOT/.fresh-debian-built"
fi
if [ -n "$EXTRA_APT" ]; then
  t0=$SECONDS
  if in_root nice -n 10 bash -c "apt-get install -y $EXTRA_APT" > /tmp/fresh-debian-apt-extra.log 2>&1; then
    record "apt-get install $EXTRA_APT (extra)" PASS $((SECONDS-t0))
  else
    record "apt-get install $EXTRA_APT (extra)" FAIL $((SECONDS-t0)); tail -20 /tmp/fresh-debian-apt-extra.log
  fi
fi
if [ "$HOST_CA" = 1 ] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null \
   && [ -d "$ROOT/usr/local/share/ca-certificates" ]; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1 || say "update-ca-certificates failed in the root"
fi
in_root id "$USER_NAME" >/dev/null 2>&1 || in_root useradd -m -u "$USER_ID" -s /bin/bash "$USER_NAME"

# --- 1. a clean copy of the ref ------------------------------------------------------
SHA="$(git -C "$REPO" rev-parse --verify "$REF^{commit}")"
HOME_IN="$ROOT/home/$USER_NAME"
rm -rf "$HOME_IN/mtaudit" "$HOME_IN/logs" "$HOME_IN/.cache"
mkdir -p "$HOME_IN/logs"
git clone -q --no-local --no-checkout "$REPO" "$HOME_IN/mtaudit"
git -C "$HOME_IN/mtaudit" -c advice.detachedHead=false checkout -q "$SHA"
chown -R "$USER_ID:$USER_ID" "$HOME_IN"
say "testing $REPO $REF = $SHA ($(git -C "$REPO" log -1 --format=%s "$SHA" | cut -c1-70))"
say "Debian $(cat "$ROOT/etc/debian_version"), $(in_root python3 --version), $(uname -m)"

as_user() {  # as_user LOGFILE COMMAND
  nice -n 10 chroot --userspec="$USER_ID:$USER_ID" "$ROOT" /usr/bin/env -i \
    PATH=/usr/local/bin:/usr/bin:/bin HOME="/home/$USER_NAME" USER="$USER_NAME" LANG=C.UTF-8 TERM=dumb \
    /bin/bash -c "cd ~/mtaudit && $2" > "$HOME_IN/logs/$1" 2>&1
}

# --- 2. nothing of this host's pip setup is visible ----------------------------------
t0=$SECONDS
if as_user isolation.log 'set -u; bad=0
  for p in /etc/pip.conf /etc/xdg/pip /opt/pypi /opt/wheels ~/.pip ~/.config/pip; do
    [ -e "$p" ] && { echo "visible: $p"; bad=1; }; done
  env | grep -E "^(PIP_|PYTHON|VIRTUAL_ENV|http_proxy|https_proxy)" && bad=1
  exit $bad'; then
  record "host pip config not visible" PASS $((SECONDS-t0))
else
  record "host pip config not visible" FAIL $((SECONDS-t0)); cat "$HOME_IN/logs/isolation.log"
fi

# --- 3. the README's Quick start, as written -----------------------------------------
mapfile -t STEPS < <(awk '/^## Quick start/{q=1; next} /^## /{q=0} q && /^```/{b=!b; next} q && b' \
                       "$HOME_IN/mtaudit/README.md" \
                     | grep -E '#[[:space:]]*[0-9]+\.' | sed -E 's/[[:space:]]+#[[:space:]]*[0-9]+\..*$//')
[ "${#STEPS[@]}" -gt 0 ] || { record "Quick start commands found in README" FAIL 0; printf '%s\n' "${results[@]}"; exit 1; }

n=0
for cmd in "${STEPS[@]}"; do
  n=$((n+1))
  pre=""; [ $n -gt 1 ] && pre='. .venv/bin/activate && '
  say "step $n: $cmd"
  t0=$SECONDS; rc=0
  as_user "step-$n.log" "$pre$cmd" || rc=$?
  dt=$((SECONDS-t0)); status=FAIL
  if [ $rc = 0 ]; then status=PASS; fi
  if [[ "$cmd" == "mtaudit audit"* ]] && [ $rc = 1 ] && ls "$HOME_IN"/mtaudit/reports/*/report.html >/dev/null 2>&1; then
    status=PASS  # exit 1 is the gate's verdict, the audit ran and wrote its report
  fi
  record "step $n (exit $rc)" "$status" "$dt"
  tail -n 4 "$HOME_IN/logs/step-$n.log" | sed 's/^/    | /'
  if [ $status = FAIL ]; then
    grep -nE -m 8 'error|Error|ERROR|FAILED' "$HOME_IN/logs/step-$n.log" | cut -c1-200 | sed 's/^/    ! /' || true
    [ $n = 1 ] && { say "install failed: later steps not run"; break; }
  fi
done

echo
say "summary ($REF = ${SHA:0:10}, Debian $(cat "$ROOT/etc/debian_version"), $(in_root python3 --version)):"
printf '  %s\n' "${results[@]}"
exit $FAILED

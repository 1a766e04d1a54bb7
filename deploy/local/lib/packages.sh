# Installs what the local stack needs from Debian's packages, only when missing.

APT_UPDATED=0

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    die "missing packages: $*; run as root or install them: apt-get install -y --no-install-recommends $*"
  fi
  command -v apt-get >/dev/null || die "missing packages ($*) and no apt-get on this machine; install them by hand"
  if [ $APT_UPDATED -eq 0 ]; then
    say "apt-get update"
    apt-get update -qq >"$CAIRN_LOG_DIR/apt.log" 2>&1 || die "apt-get update failed; see $CAIRN_LOG_DIR/apt.log"
    APT_UPDATED=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$CAIRN_LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install $* failed; see $CAIRN_LOG_DIR/apt.log"
}

postgres_bin_dir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_packages() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v qemu-img >/dev/null || missing+=(qemu-utils)
  command -v nbdinfo >/dev/null || missing+=(libnbd-bin)
  command -v ss >/dev/null || missing+=(iproute2)
  command -v curl >/dev/null || missing+=(curl)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v flock >/dev/null || missing+=(util-linux)
  command -v psql >/dev/null || missing+=(postgresql-client)
  if ! postgres_bin_dir >/dev/null; then
    # Never let Debian create and start its own 'main' cluster: Cairn runs a private one.
    mkdir -p /etc/postgresql-common 2>/dev/null && \
      { grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf \
        || echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf; } 2>/dev/null
    missing+=(postgresql)
  fi
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${major:-0}" -ge 17 ] || die "Java 17 or newer is needed; found '$(java -version 2>&1 | head -1)'"
}

# The web console's browser tests (deploy/tour ConsoleIT) drive Debian's headless Chromium through its chromedriver:
# only 'test' needs them, so 'up' does not install a browser.
ensure_browser_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Container images without a Docker daemon: a local OCI registry (Debian's docker-registry), base images built from
# Debian packages (debootstrap + umoci, no registry on the internet needed) and the services' images built and pushed
# by Quarkus' Jib. Sourced by deploy/local/cairn; never run directly.

CAIRN_REGISTRY_PORT=${CAIRN_REGISTRY_PORT:-15000}
CAIRN_REGISTRY=127.0.0.1:$CAIRN_REGISTRY_PORT
REGISTRY_HOME=$CAIRN_STATE_DIR/registry
# Base images are slow to make (about 1.5 min) and change only with this recipe: cached outside the checkout.
CAIRN_IMAGE_CACHE=${CAIRN_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn/base-images}
CAIRN_DEBIAN_MIRROR=${CAIRN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CAIRN_DEBIAN_SUITE=bookworm
# The JRE every service runs on; the agent's image adds qemu-img (it creates backup target and scratch images).
BASE_JRE=cairn/base-jre:17
BASE_JRE_QEMU=cairn/base-jre-qemu:17

ensure_image_tools() {
  local missing=()
  [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v umoci >/dev/null || missing+=(umoci)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

registry_ready() { curl -fsS -o /dev/null "http://$CAIRN_REGISTRY/v2/" 2>/dev/null; }

registry_start() {
  if running registry && registry_ready; then say "registry already running on $CAIRN_REGISTRY"; return 0; fi
  require_port_free "the image registry" "$CAIRN_REGISTRY_PORT" CAIRN_REGISTRY_PORT
  mkdir -p "$REGISTRY_HOME/data"
  cat >"$REGISTRY_HOME/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_HOME/data
  delete:
    enabled: true
http:
  addr: $CAIRN_REGISTRY
YAML
  local t0; t0=$(now_ms)
  nohup /usr/bin/docker-registry serve "$REGISTRY_HOME/config.yml" >"$CAIRN_LOG_DIR/registry.log" 2>&1 &
  echo $! >"$CAIRN_RUN_DIR/registry.pid"
  wait_for "the registry" 30 registry_ready || die "the registry did not start; see $CAIRN_LOG_DIR/registry.log"
  say "image registry ready on $CAIRN_REGISTRY in $(( $(now_ms) - t0 )) ms"
}

registry_stop() {
  if running registry; then say "stopping the image registry"; stop_pid registry 10; fi
  rm -f "$CAIRN_RUN_DIR/registry.pid"
}

# The recipe's fingerprint: the functions that build the base images plus the suite. A changed recipe builds anew.
base_image_key() { { declare -f build_base_images apt_in_rootfs in_rootfs; echo "$CAIRN_DEBIAN_SUITE"; } | sha256sum | cut -c1-16; }

in_rootfs() { # rootfs command...: runs a command inside the rootfs with /proc mounted (the JRE's tools need it)
  local rootfs=$1; shift
  mount -t proc proc "$rootfs/proc" || return 1
  local rc=0
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@" || rc=$?
  umount "$rootfs/proc"
  return $rc
}

apt_in_rootfs() { # rootfs packages...
  local rootfs=$1; shift
  in_rootfs "$rootfs" apt-get install -y -q --no-install-recommends "$@" \
    && in_rootfs "$rootfs" apt-get clean \
    && rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/apt "$rootfs"/var/log/dpkg.log
}

# Builds both base images into an OCI layout: Debian minbase plus the JRE, then a second layer with qemu-utils.
build_base_images() { # layout-dir
  local layout=$1 work
  [ "$(id -u)" -eq 0 ] || die "building the base images needs root (debootstrap, chroot)"
  work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-base.XXXXXX")
  local log=$CAIRN_LOG_DIR/base-images.log
  : >"$log"
  say "building base images from Debian $CAIRN_DEBIAN_SUITE packages ($CAIRN_DEBIAN_MIRROR); log $log"
  # set -e works in the subshell only when nothing tests its status (no "|| die" on it): the state is saved instead.
  local rc=0 errexit=0
  case $- in *e*) errexit=1; set +e ;; esac
  (
    set -e
    umoci init --layout "$work/oci"
    umoci new --image "$work/oci:jre"
    umoci unpack --image "$work/oci:jre" "$work/jre"
    debootstrap --variant=minbase "$CAIRN_DEBIAN_SUITE" "$work/jre/rootfs" "$CAIRN_DEBIAN_MIRROR"
    apt_in_rootfs "$work/jre/rootfs" openjdk-17-jre-headless ca-certificates
    # The user Quarkus' images run as (uid 185); the manifests say runAsUser 185.
    in_rootfs "$work/jre/rootfs" java -version
    in_rootfs "$work/jre/rootfs" useradd --uid 185 --user-group --home-dir /home/cairn --create-home --shell /usr/sbin/nologin cairn
    umoci repack --image "$work/oci:jre" "$work/jre"
    umoci config --image "$work/oci:jre" --author=cairn \
      --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --config.env=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --config.env=LANG=C.UTF-8 \
      --config.user=185 --config.workingdir=/home/cairn
    umoci unpack --image "$work/oci:jre" "$work/qemu"
    # The first layer dropped the package lists to stay small: fetch them again for this layer.
    in_rootfs "$work/qemu/rootfs" apt-get update -q
    apt_in_rootfs "$work/qemu/rootfs" qemu-utils
    in_rootfs "$work/qemu/rootfs" qemu-img --version
    umoci repack --image "$work/oci:jre-qemu" "$work/qemu"
    umoci gc --layout "$work/oci"
  ) >>"$log" 2>&1
  rc=$?
  [ $errexit -eq 1 ] && set -e
  if [ $rc -ne 0 ]; then
    umount "$work"/*/rootfs/proc 2>/dev/null
    rm -rf "$work"
    die "building the base images failed; see $log"
  fi
  rm -rf "$layout" && mkdir -p "$(dirname "$layout")" && mv "$work/oci" "$layout"
  rm -rf "$work"
}

# Puts the base images into the local registry, building them only when the cache has none for this recipe.
push_base_images() {
  local layout=$CAIRN_IMAGE_CACHE/$(base_image_key)
  if [ ! -f "$layout/index.json" ]; then
    local t0; t0=$(now_ms)
    build_base_images "$layout"
    say "base images built in $(( $(now_ms) - t0 )) ms (cached in $layout)"
    # Older recipes' images are of no further use.
    find "$CAIRN_IMAGE_CACHE" -mindepth 1 -maxdepth 1 -type d ! -path "$layout" -exec rm -rf {} +
  fi
  local tag target
  for tag in jre jre-qemu; do
    if [ $tag = jre ]; then target=$BASE_JRE; else target=$BASE_JRE_QEMU; fi
    skopeo copy -q --dest-tls-verify=false "oci:$layout:$tag" "docker://$CAIRN_REGISTRY/$target" \
      >>"$CAIRN_LOG_DIR/base-images.log" 2>&1 || die "pushing $target failed; see $CAIRN_LOG_DIR/base-images.log"
  done
}

# The Maven flags that make a build push the three services' images to the local registry.
image_build_flags() {
  echo "-Dcairn.image.registry=$CAIRN_REGISTRY"
}

images() {
  ensure_state_dirs
  ensure_packages
  ensure_image_tools
  registry_start
  push_base_images
  local t0; t0=$(now_ms)
  say "building and pushing the service images with Jib (log $CAIRN_LOG_DIR/images-build.log)"
  (cd "$CAIRN_ROOT" && mvn -B install -DskipTests $(image_build_flags)) >"$CAIRN_LOG_DIR/images-build.log" 2>&1 \
    || die "the image build failed; see $CAIRN_LOG_DIR/images-build.log"
  say "images pushed to $CAIRN_REGISTRY in $(( $(now_ms) - t0 )) ms:"
  local repo
  for repo in cairn/checkpoint-service cairn/backup-service cairn/host-agent; do
    printf '  %s/%s:%s\n' "$CAIRN_REGISTRY" "$repo" "$(curl -fsS "http://$CAIRN_REGISTRY/v2/$repo/tags/list" | sed 's/.*"tags":\[\(.*\)\].*/\1/')" >&2
  done
}

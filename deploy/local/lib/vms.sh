# Guest-less demo VMs: QEMU with qcow2 disks of generated data and a QMP socket in the directory the host agent watches.

CAIRN_QMP_DIR=${CAIRN_QMP_DIR:-$CAIRN_STATE_DIR/qmp}
CAIRN_VM_DIR=$CAIRN_STATE_DIR/vms
CAIRN_STORAGE_DIR=${CAIRN_STORAGE_DIR:-$CAIRN_STATE_DIR/storage}

valid_domain_name() { [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]]; }

vm_start() { # name [disk-count] [size-MiB]
  local name=$1 disks=${2:-1} size=${3:-64}
  valid_domain_name "$name" || die "invalid domain name '$name' (letters, digits, _ . -; no leading dot)"
  mkdir -p "$CAIRN_QMP_DIR" "$CAIRN_VM_DIR/$name" "$CAIRN_STORAGE_DIR"
  if running "vm-$name"; then
    say "VM $name already running (QMP $CAIRN_QMP_DIR/$name.qmp)"
    return 0
  fi
  local args=() i dev letters=(a b c d e f g h)
  for ((i = 0; i < disks; i++)); do
    dev=vd${letters[$i]}
    local img=$CAIRN_VM_DIR/$name/$dev.qcow2
    if [ ! -f "$img" ]; then
      # Random data: a backup that loses or misplaces a cluster then shows up in qemu-img compare.
      head -c $((size * 1024 * 1024)) /dev/urandom >"$img.raw"
      qemu-img convert -q -f raw -O qcow2 -o compat=1.1 "$img.raw" "$img" || die "qemu-img convert failed for $img"
      rm -f "$img.raw"
    fi
    args+=(-blockdev "{\"driver\":\"file\",\"filename\":\"$img\",\"node-name\":\"$dev-file\",\"auto-read-only\":true,\"discard\":\"unmap\"}")
    args+=(-blockdev "{\"driver\":\"qcow2\",\"file\":\"$dev-file\",\"node-name\":\"$dev-format\",\"read-only\":false}")
    args+=(-device "virtio-blk-pci,drive=$dev-format,id=$dev")
  done
  rm -f "$CAIRN_QMP_DIR/$name.qmp" "$CAIRN_QMP_DIR/$name.qga" "$CAIRN_VM_DIR/$name/guest.qmp"
  # -S: no guest CPU ever runs; block jobs, bitmaps, NBD and HMP qemu-io all work without a guest OS.
  # Two monitors: QEMU serves one client per QMP socket; the agent holds the first, and guest.qmp is where the tour
  # (or you) plays the guest with HMP qemu-io.
  # A guest-agent channel as libvirt configures one (org.qemu.guest_agent.0), its host side <name>.qga beside the QMP
  # socket where the host agent looks for it; no guest runs, so nothing answers there: checkpoint QUIESCE gets
  # VIR_ERR_AGENT_UNRESPONSIVE, as libvirt answers for a guest without qemu-ga.
  nohup qemu-system-x86_64 -name "guest=$name" -machine q35 -nodefaults -display none -accel tcg -S -m 64 \
    -qmp "unix:$CAIRN_QMP_DIR/$name.qmp,server=on,wait=off" \
    -qmp "unix:$CAIRN_VM_DIR/$name/guest.qmp,server=on,wait=off" "${args[@]}" \
    -chardev "socket,path=$CAIRN_QMP_DIR/$name.qga,server=on,wait=off,id=qga0" \
    -device virtio-serial-pci,id=virtio-serial0 \
    -device virtserialport,bus=virtio-serial0.0,nr=1,chardev=qga0,id=channel0,name=org.qemu.guest_agent.0 \
    >"$CAIRN_LOG_DIR/vm-$name.log" 2>&1 </dev/null &
  echo $! >"$CAIRN_RUN_DIR/vm-$name.pid"
  wait_for "QMP socket of $name" 15 test -S "$CAIRN_QMP_DIR/$name.qmp" \
    || die "VM $name did not open its QMP socket; see $CAIRN_LOG_DIR/vm-$name.log"
  say "VM $name running: $disks disk(s) of $size MiB, QMP $CAIRN_QMP_DIR/$name.qmp"
}

vm_stop() {
  local name=$1
  if running "vm-$name"; then say "stopping VM $name"; fi
  # SIGTERM is a clean QEMU shutdown: persistent bitmaps are written back to the qcow2.
  stop_pid "vm-$name" 20
  rm -f "$CAIRN_QMP_DIR/$name.qmp" "$CAIRN_QMP_DIR/$name.qga" "$CAIRN_VM_DIR/$name/guest.qmp"
}

vm_stop_all() {
  local f
  for f in "$CAIRN_RUN_DIR"/vm-*.pid; do
    [ -e "$f" ] || continue
    f=${f##*/vm-}; vm_stop "${f%.pid}"
  done
}

vm_list() {
  local f name
  for f in "$CAIRN_RUN_DIR"/vm-*.pid; do
    [ -e "$f" ] || continue
    name=${f##*/vm-}; name=${name%.pid}
    if running "vm-$name"; then echo "$name running pid=$(cat "$f") qmp=$CAIRN_QMP_DIR/$name.qmp"; else echo "$name stopped"; fi
  done
}

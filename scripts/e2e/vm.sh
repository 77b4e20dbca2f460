#!/usr/bin/env bash
# vm.sh: a Debian 12 virtual machine for the kernel-upgrade test, the one test host that must really reboot.
# Its disk is a raw ext4 image built once (debootstrap, then mkfs.ext4 -d) and cached beside the hosts' image,
# keyed by the two kernel versions this machine's apt sources offer (apt-cache madison linux-image-amd64): it
# boots the older, and holds the newer in a local repository in /srv/pitstop-repo. The hypervisor's part of
# booting is ours: QEMU runs with -no-reboot, and each time the guest reboots the loop here reads which kernel
# the disk's /vmlinuz names (debugfs) and boots that one, as a boot loader would.
#
#   vm.sh image               prints IMAGE=, KEY=, KNOWN_HOSTS=, KERNEL_OLD=, KERNEL_NEW=, PG_VERSION=
#   vm.sh start DIR ADDRESS   copies the disk, boots it; SSH on ADDRESS:2222; writes DIR/ssh_config; waits for SSH
#   vm.sh stop DIR            powers it off (QEMU killed)
#   vm.sh accel [DISK]        prints kvm or tcg: what QEMU will use here
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PITSTOP_E2E_CACHE:-/var/cache/pitstop-e2e}
layout=2
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
log() { printf 'vm: %s\n' "$*" >&2; }

versions() { "$(dirname "$0")/apt-versions.sh" "$1" || exit 1; }

# kvm when a kernel really boots under it here (nested KVM can open /dev/kvm and then hang or abort), else
# tcg; probed once per boot of this machine with the image's kernel, and remembered. A QEMU hung inside KVM
# may not answer SIGTERM: the probe is killed 5 s after its 20 s, or the VM's start waits on it for good.
accel() {
    local disk=${1:-} memo probe
    memo=$cache/accel-$(cat /proc/sys/kernel/random/boot_id)
    if [ -f "$memo" ]; then cat "$memo"; return; fi
    if [ ! -w /dev/kvm ] || [ -z "$disk" ]; then echo tcg; return; fi
    probe=$(mktemp -d)
    boot_files "$disk" "$probe"
    timeout -k 5 20 qemu-system-x86_64 -accel kvm -cpu "host,-arch-capabilities" -m 512 -nographic -no-reboot -display none \
        -kernel "$probe/vmlinuz" -initrd "$probe/initrd.img" -append "console=ttyS0 panic=-1" -monitor none \
        -serial "file:$probe/serial" >/dev/null 2>&1 || true
    if grep -q 'reboot: Restarting system' "$probe/serial" 2>/dev/null; then echo kvm >"$memo"; else echo tcg >"$memo"; fi
    rm -rf "$probe"
    cat "$memo"
}

image() {
    for tool in debootstrap qemu-system-x86_64 debugfs mkfs.ext4; do
        command -v "$tool" >/dev/null || die "$tool is missing; run scripts/setup.sh"
    done
    local old new key dir
    read -r old new < <(versions linux-image-amd64)
    [ -n "$new" ] || die "could not read the kernel versions the sources offer"
    key=$(printf 'vm layout %s\nkernel %s %s\n' "$layout" "$old" "$new" | sha256sum | cut -c1-16)
    dir=$cache/vm-$key
    report() {
        printf 'IMAGE=%s\nKEY=%s\nKNOWN_HOSTS=%s\nKERNEL_OLD=%s\nKERNEL_NEW=%s\n' "$dir/disk.img" "$dir/id_ed25519" \
            "$dir/host_key.pub" "$old" "$new"
    }
    if [ -f "$dir/ready" ]; then report; return; fi
    mkdir -p "$cache"
    exec 9>"$cache/.vm-lock"
    flock 9
    if [ -f "$dir/ready" ]; then report; return; fi
    local started=$SECONDS work=$dir.building root
    rm -rf "$work"; mkdir -p "$work"
    root=$work/root
    local mirror
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    log "debootstrap bookworm with systemd and linux-image-amd64 $old (first run only; a few minutes)"
    debootstrap --variant=minbase \
        --include=systemd-sysv,udev,openssh-server,sudo,procps,iproute2,kmod,initramfs-tools,ca-certificates \
        bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
    : >"$root/etc/apt/sources.list"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"; mount --bind /dev "$root/dev"
    # shellcheck disable=SC2064 # the paths are fixed now
    trap "umount -l '$root/proc' '$root/dev' 2>/dev/null || true" EXIT
    in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
    in_root apt-get update -qq >/dev/null
    in_root apt-get install -y -qq --no-install-recommends "linux-image-amd64=$old" postgresql-15 >"$work/install.log" 2>&1 \
        || { tail -20 "$work/install.log" >&2; die "installing the old kernel and PostgreSQL failed"; }
    # The repository the guest upgrades from: the newer kernel and its meta-package.
    mkdir -p "$root/srv/pitstop-repo"
    local newest_image
    newest_image=$(apt-cache show "linux-image-amd64=$new" | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -1)
    (cd "$root/srv/pitstop-repo" && apt-get download -qq "linux-image-amd64=$new" "$newest_image=$new") \
        || die "downloading linux-image-amd64 $new failed"
    (cd "$root/srv/pitstop-repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages)
    rm -f "$root"/etc/apt/sources.list.d/*.sources
    echo 'deb [trusted=yes] file:/srv/pitstop-repo ./' >"$root/etc/apt/sources.list"
    rm -rf "$root"/var/lib/apt/lists/*
    in_root apt-get update -qq >/dev/null
    rm -f "$root/usr/sbin/policy-rc.d" "$root"/var/cache/apt/archives/*.deb
    # The guest: DHCP on QEMU's user network, a serial console, the SSH user with the hosts' sudo rules.
    echo pitstop-vm >"$root/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 pitstop-vm\n' >"$root/etc/hosts"
    # An initramfs of the modules this machine needs: under TCG the kernel's postinst builds it slowly.
    sed -i 's/^MODULES=.*/MODULES=dep/' "$root/etc/initramfs-tools/initramfs.conf"
    printf '/dev/vda / ext4 defaults 0 1\n' >"$root/etc/fstab"
    printf '[Match]\nName=en* eth*\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/80-dhcp.network"
    in_root systemctl enable systemd-networkd ssh postgresql >/dev/null 2>&1
    in_root useradd --create-home --shell /bin/bash pitstop
    in_root usermod -p '*' pitstop
    install -m 0440 "$here/../../contrib/sudoers.d/pitstop" "$root/etc/sudoers.d/pitstop"
    ssh-keygen -q -t ed25519 -N '' -C pitstop-vm -f "$work/id_ed25519"
    install -d -m 0700 "$root/home/pitstop/.ssh"
    install -m 0600 "$work/id_ed25519.pub" "$root/home/pitstop/.ssh/authorized_keys"
    in_root chown -R pitstop:pitstop /home/pitstop/.ssh
    rm -f "$root"/etc/ssh/ssh_host_*
    ssh-keygen -q -t ed25519 -N '' -C pitstop-vm -f "$root/etc/ssh/ssh_host_ed25519_key"
    cp "$root/etc/ssh/ssh_host_ed25519_key.pub" "$work/host_key.pub"
    printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\n' >"$root/etc/ssh/sshd_config.d/pitstop-e2e.conf"
    umount -l "$root/proc" "$root/dev"; trap - EXIT
    log "making the disk (mkfs.ext4 -d)"
    mkfs.ext4 -q -F -L pitstop-root -d "$root" "$work/disk.img" 4G >&2
    rm -rf "$root"
    mv "$work" "$dir"
    echo "built in $((SECONDS - started)) s" >"$dir/ready"
    log "built in $((SECONDS - started)) s: $(du -sh "$dir" | cut -f1)"
    report
}

# The kernel and initrd the disk's /vmlinuz and /initrd.img name, copied out for QEMU's -kernel and -initrd.
boot_files() {
    local disk=$1 out=$2 target
    for link in vmlinuz initrd.img; do
        target=$(debugfs -R "stat /$link" "$disk" 2>/dev/null | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')
        [ -n "$target" ] || die "the disk's /$link names no file"
        debugfs -R "dump /$target $out/$link" "$disk" >/dev/null 2>&1
    done
}

# The machine's power: boots the disk, and boots it again (whatever kernel it now names) each time it reboots.
run() {
    local dir=$1 address=$2 accel_flags=()
    if [ "$(accel "$dir/disk.img")" = kvm ]; then accel_flags=(-accel kvm -cpu "host,-arch-capabilities"); else accel_flags=(-accel tcg); fi
    local began
    while [ ! -e "$dir/off" ]; do
        began=$SECONDS
        boot_files "$dir/disk.img" "$dir"
        echo "boot $(date +%s) $(debugfs -R 'stat /vmlinuz' "$dir/disk.img" 2>/dev/null | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')" >>"$dir/boots"
        qemu-system-x86_64 "${accel_flags[@]}" -m 1024 -smp 2 -nographic -no-reboot -display none \
            -kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" -append "root=/dev/vda rw console=ttyS0 net.ifnames=0" \
            -drive "file=$dir/disk.img,format=raw,if=virtio" \
            -netdev "user,id=n0,hostfwd=tcp:$address:2222-:22" -device virtio-net-pci,netdev=n0 \
            -serial "file:$dir/console-$(wc -l <"$dir/boots").log" -monitor none -pidfile "$dir/qemu.pid" || true
        # A machine that stops within seconds of power-on did not boot: stop, rather than try for ever.
        [ $((SECONDS - began)) -ge 10 ] || { echo "qemu stopped $((SECONDS - began)) s after starting; giving up" >&2; touch "$dir/off"; }
    done
}

start() {
    local dir=$1 address=$2 image key known
    mkdir -p "$dir"
    local built
    built=$(image)
    image=$(sed -n 's/^IMAGE=//p' <<<"$built"); key=$(sed -n 's/^KEY=//p' <<<"$built"); known=$(sed -n 's/^KNOWN_HOSTS=//p' <<<"$built")
    cp --sparse=always "$image" "$dir/disk.img"
    rm -f "$dir/off" "$dir/boots"
    printf '[%s]:2222 %s\n' "$address" "$(cut -d' ' -f1,2 "$known")" >"$dir/known_hosts"
    printf 'Host vm\n    HostName %s\n    Port 2222\n    User pitstop\n    IdentityFile %s\n    IdentitiesOnly yes\n    UserKnownHostsFile %s\n    StrictHostKeyChecking yes\n    ConnectTimeout 5\n' \
        "$address" "$key" "$dir/known_hosts" >"$dir/ssh_config"
    "$here/detach.sh" "$0" run "$dir" "$address" >"$dir/vm.log" 2>&1 </dev/null &
    echo $! >"$dir/loop.pid"
    local deadline=$((SECONDS + ${PITSTOP_VM_BOOT_TIMEOUT:-300}))
    until ssh -F "$dir/ssh_config" -o BatchMode=yes vm true 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || die "the VM did not answer on SSH in time; console: $(tail -5 "$dir"/console-*.log 2>/dev/null); vm.log: $(tail -5 "$dir/vm.log" 2>/dev/null)"
        kill -0 "$(cat "$dir/loop.pid")" 2>/dev/null || die "the VM stopped: $(tail -5 "$dir/vm.log")"
        sleep 2
    done
    echo "$dir/ssh_config"
}

stop() {
    local dir=$1
    touch "$dir/off"
    local pidfile
    for pidfile in "$dir/loop.pid" "$dir/qemu.pid"; do
        if [ -f "$pidfile" ]; then kill -KILL "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    rm -f "$dir/disk.img"
}

command=${1:-}; shift || true
case $command in
image) image ;;
start) [ $# -eq 2 ] || die "usage: vm.sh start DIR ADDRESS"; start "$@" ;;
run) run "$@" ;;
stop) [ $# -eq 1 ] || die "usage: vm.sh stop DIR"; stop "$@" ;;
accel) accel "$@" ;;
*) die "usage: vm.sh image|start|stop|accel ..." ;;
esac

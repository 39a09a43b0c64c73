"""The commands boot scripts run, by what they mean for an immutable image.

Tables, not logic: a command name (and, for some, its first argument) says whether the command
installs software, changes the kernel or the network, starts a service, or does nothing a
container needs. The analysis (shell.py) looks commands up here.
"""

from __future__ import annotations

# Package managers: the install subcommands, the flags that take a value, and the family they imply.
PACKAGE_MANAGERS: dict[str, tuple[frozenset[str], str | None]] = {
    "apt-get": (frozenset({"install"}), "debian"),
    "apt": (frozenset({"install"}), "debian"),
    "aptitude": (frozenset({"install"}), "debian"),
    "yum": (frozenset({"install", "groupinstall", "localinstall"}), "fedora"),
    "dnf": (frozenset({"install", "groupinstall"}), "fedora"),
    "microdnf": (frozenset({"install"}), "fedora"),
    "zypper": (frozenset({"install", "in"}), "suse"),
    "apk": (frozenset({"add"}), "alpine"),
    "pip": (frozenset({"install"}), None),
    "pip3": (frozenset({"install"}), None),
    "pip2": (frozenset({"install"}), None),
    "easy_install": (frozenset(), None),
    "npm": (frozenset({"install", "i"}), None),
    "gem": (frozenset({"install"}), None),
}
# Subcommands of package managers that change the package index or the system as a whole; in an
# image they belong with the install (refresh, upgrade), so they are image steps as well.
PACKAGE_MAINTENANCE = frozenset({"update", "upgrade", "dist-upgrade", "makecache", "clean", "autoremove",
                                 "remove", "erase", "purge", "config-manager", "module", "refresh"})
# Flags of package managers that take the next word as their value.
VALUED_FLAGS = frozenset({"-o", "--option", "-c", "--config", "-t", "--target-release", "--enablerepo",
                          "--disablerepo", "--setopt", "--index-url", "-i", "--extra-index-url", "-r",
                          "--requirement", "--prefix", "--root", "--repo", "-X", "--installroot"})
RPM_INSTALLERS = frozenset({"rpm", "dpkg"})

# Commands that change the image the way a package install does: fetches, unpacking, files and users.
IMAGE_COMMANDS = frozenset({
    "curl", "wget", "git", "tar", "unzip", "gunzip", "bunzip2", "xz", "mkdir", "touch", "chown", "chmod", "chgrp",
    "ln", "cp", "mv", "rm", "install", "sed", "useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod",
    "passwd", "chpasswd", "update-alternatives", "alternatives", "make", "cmake", "configure", "./configure",
    "python", "python3", "rpm", "dpkg", "a2enmod", "a2ensite", "a2dismod", "a2dissite", "locale-gen",
    "update-ca-certificates", "update-ca-trust", "ldconfig", "npm", "composer", "bundle", "easy_install",
    "htpasswd", "openssl", "ssh-keygen", "setfacl", "cat", "tee", "echo", "printf", "cd", "export", "true",
    "test", "[", "mktemp", "patch", "find", "xargs", "awk", "grep", "sort", "uniq", "head", "tail", "cut", "tr",
    "sha256sum", "md5sum", "base64", "envsubst", "pushd", "popd", "crudini", "augtool", "rsync", "scp",
})
# Commands whose effect is the VM's own kernel, devices, network or power: they cannot run in a container.
VM_ONLY_COMMANDS: dict[str, str] = {
    "sysctl": "kernel parameters belong to the node, not to a container",
    "modprobe": "a container cannot load kernel modules",
    "insmod": "a container cannot load kernel modules",
    "rmmod": "a container cannot unload kernel modules",
    "reboot": "a container does not reboot",
    "shutdown": "a container does not shut down its machine",
    "halt": "a container does not halt its machine",
    "init": "a container does not change run levels",
    "ip": "the pod's network is the cluster's, not configured from inside",
    "ifconfig": "the pod's network is the cluster's, not configured from inside",
    "ifup": "the pod's network is the cluster's, not configured from inside",
    "ifdown": "the pod's network is the cluster's, not configured from inside",
    "route": "the pod's network is the cluster's, not configured from inside",
    "nmcli": "the pod's network is the cluster's, not configured from inside",
    "dhclient": "the pod's network is the cluster's, not configured from inside",
    "brctl": "the pod's network is the cluster's, not configured from inside",
    "ovs-vsctl": "the pod's network is the cluster's, not configured from inside",
    "hostnamectl": "a pod's hostname is set by Kubernetes",
    "hostname": "a pod's hostname is set by Kubernetes",
    "swapon": "swap belongs to the node",
    "mkswap": "swap belongs to the node",
    "swapoff": "swap belongs to the node",
    "growpart": "a container has no partitions to grow",
    "resize2fs": "a container has no file systems to resize",
    "pvcreate": "a container has no block devices",
    "vgcreate": "a container has no block devices",
    "lvcreate": "a container has no block devices",
    "parted": "a container has no block devices",
    "fdisk": "a container has no block devices",
    "sfdisk": "a container has no block devices",
    "grub2-mkconfig": "a container has no boot loader",
    "grubby": "a container has no boot loader",
    "update-grub": "a container has no boot loader",
    "dracut": "a container has no initramfs",
    "timedatectl": "the clock belongs to the node",
    "ntpdate": "the clock belongs to the node",
    "mount": "a container does not mount file systems",
    "umount": "a container does not mount file systems",
}
# Commands that need nothing in a container: logging, waiting, SELinux and host firewalls
# (security groups become NetworkPolicies), and the shell's own options.
DROPPED_COMMANDS: dict[str, str] = {
    "set": "shell options of the boot script",
    "sleep": "waiting while the machine boots",
    "logger": "logging to the machine's syslog",
    "setenforce": "SELinux is the node's",
    "setsebool": "SELinux is the node's",
    "semanage": "SELinux is the node's",
    "restorecon": "SELinux is the node's",
    "chcon": "SELinux is the node's",
    "firewall-cmd": "host firewalls have no place in a pod; security groups became NetworkPolicies",
    "iptables": "host firewalls have no place in a pod; security groups became NetworkPolicies",
    "ip6tables": "host firewalls have no place in a pod; security groups became NetworkPolicies",
    "ufw": "host firewalls have no place in a pod; security groups became NetworkPolicies",
    "chkconfig": "services are not enabled at boot in a container; its process is the service",
    "update-rc.d": "services are not enabled at boot in a container; its process is the service",
    "exec": "redirecting the boot script's own output",
    "date": "printing the time while the machine boots",
    "trap": "the boot script's own error handling",
    "wait": "waiting for the boot script's own background jobs",
    "source": "reading shell settings (the variables it sets are not followed)",
    ".": "reading shell settings (the variables it sets are not followed)",
    ":": "a command that does nothing",
    "cloud-init": "cloud-init does not run in a container",
    "yum-config-manager": "repository settings only matter while packages are installed",
}
# Commands that signal a wait condition (its handle is a curl URL or this helper).
SIGNAL_COMMANDS = frozenset({"wc_notify", "cfn-signal", "heat-config-notify"})
SIGNAL_MARKERS = ("wc_notify", "WaitConditionHandle", "wait_handle", "$WC_NOTIFY", "X-Auth-Token", "signal_url",
                  "curl_cli", "wc_data", "heat_signal")
# Service managers: the subcommand (or argument position) that starts a service.
SERVICE_STARTS = frozenset({"start", "restart", "reload-or-restart", "try-restart"})
SERVICE_ENABLES = frozenset({"enable", "disable", "daemon-reload", "mask", "unmask", "stop", "status",
                             "is-active", "is-enabled", "reload", "daemon-reexec", "set-default", "isolate"})

# How well-known services run in the foreground: the container's command, by unit name.
DAEMONS: dict[str, tuple[str, ...]] = {
    "httpd": ("httpd", "-DFOREGROUND"),
    "apache2": ("apache2ctl", "-D", "FOREGROUND"),
    "nginx": ("nginx", "-g", "daemon off;"),
    "mariadb": ("mysqld_safe",),
    "mysqld": ("mysqld_safe",),
    "mysql": ("mysqld_safe",),
    "postgresql": ("postgres", "-D", "/var/lib/pgsql/data"),
    "redis": ("redis-server",),
    "redis-server": ("redis-server",),
    "memcached": ("memcached", "-u", "memcached"),
    "haproxy": ("haproxy", "-db", "-f", "/etc/haproxy/haproxy.cfg"),
    "rabbitmq-server": ("rabbitmq-server",),
    "mongod": ("mongod",),
    "mongodb": ("mongod",),
    "tomcat": ("catalina.sh", "run"),
    "tomcat9": ("catalina.sh", "run"),
    "php-fpm": ("php-fpm", "-F"),
    "sshd": ("/usr/sbin/sshd", "-D"),
    "vsftpd": ("vsftpd",),
    "squid": ("squid", "-N"),
    "named": ("named", "-g"),
    "dnsmasq": ("dnsmasq", "-k"),
    "etcd": ("etcd",),
    "chef-server-ctl": ("chef-server-ctl", "reconfigure"),
}
# Services that manage the machine itself: started at boot on a VM, meaningless in a container.
MACHINE_SERVICES = frozenset({"network", "NetworkManager", "systemd-networkd", "firewalld", "iptables",
                              "ntpd", "chronyd", "crond", "cron", "rsyslog", "syslog", "auditd", "tuned",
                              "cloud-init", "os-collect-config", "heat-config", "sshd-keygen", "kdump",
                              "puppet", "chef-client", "salt-minion", "docker", "containerd", "kubelet"})

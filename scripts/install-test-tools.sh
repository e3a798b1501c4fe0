#!/usr/bin/env bash
# Debian packages the integration suites use outside the lab (the lab's up.sh and the e2e
# install.sh install their own): a throwaway sshd for the SSH tests, Debian's git-review as the
# real client checked against the Gerrit stand-in, socat, Debian's ansible-core for the lab's openstack-ansible. Installs only what is missing.
set -euo pipefail
need=()
command -v git-review >/dev/null 2>&1 || need+=(git-review)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
[ -x /usr/bin/ansible-playbook ] || need+=(ansible-core)   # the lab's openstack-ansible (Rebuild Container)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

#!/usr/bin/env bash
# The Debian tools `npm test` needs beyond Node: Chromium (browser and end-to-end tests), make and gcc
# (the C firmware's unit tests and host board), clang-14 with libFuzzer (the fuzz run), the Arm
# bare-metal toolchain with newlib and qemu-system-arm (the Cortex-M image under QEMU), socat (pseudo-
# terminal pairs for the Node serial transport tests), PostgreSQL (the lab server's test suite runs against a
# real PostgreSQL server as well as the embedded one).
#
# Missing tools are installed with apt-get when running as root on a machine with apt (CI, containers);
# otherwise this stops and prints the one command to run. A missing tool is always an error, never a
# skipped test (CI=true or not), because a skipped safety test proves nothing.
set -euo pipefail

# "check|package": check is a command name, or an absolute path (a file that must exist; globs allowed).
REQUIREMENTS=(
  "/usr/bin/chromium|chromium"
  "make|make"
  "gcc|gcc"
  "clang-14|clang-14"
  "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a|libclang-rt-14-dev"
  "arm-none-eabi-gcc|gcc-arm-none-eabi"
  "/usr/lib/arm-none-eabi/include/stdlib.h|libnewlib-arm-none-eabi"
  "qemu-system-arm|qemu-system-arm"
  "socat|socat"
  "/usr/lib/postgresql/*/bin/initdb|postgresql"
)

present() {
  local check="$1"
  if [[ "$check" == /* ]]; then
    compgen -G "$check" >/dev/null
  else
    command -v "$check" >/dev/null 2>&1
  fi
}

missing=()
for requirement in "${REQUIREMENTS[@]}"; do
  check="${requirement%%|*}"
  package="${requirement##*|}"
  present "$check" || missing+=("$package")
done

[ ${#missing[@]} -eq 0 ] && exit 0

command_line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
echo "Install them (as root) with:" >&2
echo "  $command_line" >&2
exit 1

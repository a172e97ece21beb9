#!/bin/sh
# wgnn's device kit: runs the WebGPU device benchmark on this machine and prints one JSON line
# (adapter, kernel rates, seed-CNN training speed, the one-epoch recipe). Needs a Vulkan driver and
# nothing else: Node and Dawn's bindings are unpacked into a temporary folder, removed at exit.
#   ./run.sh            full sizes
#   ./run.sh --quick    small sizes (also WGNN_KIT_QUICK=1): proves the kit runs, measures nothing
# WGNN_KIT_LOADER=bundled uses the kit's lib/ (the Vulkan loader, glvnd, X client libraries) even
# where the system has them.
# python3 torch_bench.py runs the same workloads in PyTorch on CUDA, for comparison.
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wgnn-kit.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

unpack() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$1" > "$2"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  else
    echo "run.sh: neither xz nor python3 is installed to unpack $1" >&2
    exit 1
  fi
}
unpack "$KIT/node.xz" "$TMP/node"
chmod +x "$TMP/node"
unpack "$KIT/dawn.node.xz" "$TMP/dawn.node"
export WGNN_DAWN_NODE="$TMP/dawn.node"

# The Vulkan loader and the libraries the GPU's driver needs: the system's, else the kit's, one by one.
mkdir "$TMP/lib"
for f in "$KIT"/lib/*; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  if [ "${WGNN_KIT_LOADER:-}" = bundled ] || ! (ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$name "); then
    ln -s "$f" "$TMP/lib/$name"
    echo "run.sh: using the kit's $name" >&2
  fi
done
export LD_LIBRARY_PATH="$TMP/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# A Vulkan driver: NVIDIA's container path where the usual places hold no NVIDIA driver (a Mesa
# one alone would give a CPU adapter).
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  nvidia=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$nvidia" ] && ! grep -qls nvidia /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null; then
    export VK_DRIVER_FILES="$nvidia"
    echo "run.sh: using NVIDIA's driver at $nvidia" >&2
  fi
fi
# The loader says why it skips a driver (a library it cannot load), on stderr.
export VK_LOADER_DEBUG="${VK_LOADER_DEBUG:-error}"

# Dawn wants a runtime directory.
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="$TMP/xdg"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
fi

status=0
"$TMP/node" "$KIT/bench.mjs" "$@" || status=$?
exit "$status"

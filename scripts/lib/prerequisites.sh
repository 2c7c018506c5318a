# Installs what building and testing konektor needs, when it is missing.
# Sourced by scripts/run and scripts/test; safe to run again.

konektor_need_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

konektor_need_python_module() {
  local module=$1 package=$2
  python3 -c "import $module" 2>/dev/null && return 0
  echo "==> installing $package (PyPI)" >&2
  python3 -m pip install --quiet --disable-pip-version-check "$package"
}

# A PyPI tool in the project's own virtualenv (.venv/, ignored by git): nothing is installed into the system Python.
konektor_need_venv_package() {
  local command=$1 requirement=$2
  [ -x ".venv/bin/$command" ] && return 0
  echo "==> installing $requirement into .venv (PyPI)" >&2
  [ -x .venv/bin/python ] || python3 -m venv .venv || {
    konektor_need_debian_packages python3-venv
    python3 -m venv .venv
  }
  .venv/bin/pip install --quiet --disable-pip-version-check "$requirement"
}

konektor_prerequisites() {
  command -v swift >/dev/null || { echo "konektor needs the Swift toolchain (swift 6.1 or newer) on PATH" >&2; exit 1; }
  # libcurl's headers and link name: a release build links Foundation statically, and its networking part links libcurl.
  konektor_need_debian_packages libedit-dev libsqlite3-dev pkg-config libcurl4-openssl-dev
}

# Shared set-up for ./run and ./test (sourced): a virtual environment with the pinned dependencies,
# re-installed only when a requirements file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "HMS needs Python 3.11 or newer." >&2
  return 1
}

ensure_venv() {
  local requirements="$1"
  if [ ! -x "$PY" ]; then
    echo "Creating the virtual environment in .venv …"
    "$(find_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(basename "$requirements" .txt)"
  local hash
  hash="$(cat "$ROOT"/requirements/*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "Installing dependencies from $(basename "$requirements") …"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements" 2>&1 \
      | grep -v "^WARNING: Location" || true
    "$PY" -c "import django" # fail loudly if the install did not work
    echo "$hash" > "$stamp"
  fi
}

compile_translations() {
  # The compiled catalogue is committed for machines without gettext; where msgfmt is here,
  # compile it afresh so it always matches the .po.
  if command -v msgfmt >/dev/null 2>&1; then
    for po in "$ROOT"/hms/locale/*/LC_MESSAGES/django.po; do
      [ -f "$po" ] && msgfmt --check -o "${po%.po}.mo" "$po"
    done
  fi
}

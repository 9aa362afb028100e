#!/usr/bin/env bash
# Build the one-folder bundle dist/ruian-desk/ (PyInstaller, packaging/ruian-desk.spec) in its own venv
# (.venv-bundle, the versions of constraints.txt), then run it from a folder outside the checkout
# (packaging/smoke-bundle.sh). .ci/run calls this when RUIAN_CI_BUNDLE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
"$py" -m venv .venv-bundle
.venv-bundle/bin/python -m pip install -q --upgrade pip
.venv-bundle/bin/python -m pip install -q -c constraints.txt . pyinstaller
started=$(date +%s)
.venv-bundle/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/ruian-desk.spec
echo "built dist/ruian-desk in $(($(date +%s) - started)) s: $(du -sh dist/ruian-desk | cut -f1)"
packaging/smoke-bundle.sh dist/ruian-desk "$(pwd)/.venv-bundle/bin/python"

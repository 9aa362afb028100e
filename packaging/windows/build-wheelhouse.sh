#!/usr/bin/env bash
# The offline package for a Windows PC without internet, built on any machine with internet (Linux works):
#   packaging/windows/build-wheelhouse.sh [OUT]        (default: dist/ruian-desk-offline-windows)
# OUT/wheelhouse/ holds the project's wheel and every dependency as a win_amd64 wheel for Python 3.11 and 3.12
# (the versions of constraints.txt), beside install.bat, install.ps1, constraints.txt and a README. Copy OUT
# to the PC (USB stick) and run install.bat there.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-dist/ruian-desk-offline-windows}
py=${PYTHON:-python3}
mkdir -p "$out/wheelhouse"
"$py" -m pip wheel -q --no-deps -w "$out/wheelhouse" .
"$py" - "$out/requirements.txt" <<'PY'
import sys, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(deps) + "\n")
PY
for version in 3.11 3.12; do
  "$py" -m pip download -q --only-binary=:all: --platform win_amd64 --python-version "$version" \
    -c constraints.txt -r "$out/requirements.txt" -d "$out/wheelhouse"
done
cp constraints.txt "$out/constraints.txt"
cp packaging/windows/install.bat packaging/windows/install.ps1 "$out/"
cp packaging/windows/README-offline.txt "$out/README.txt"
echo "offline package: $out ($(ls "$out/wheelhouse" | wc -l) wheels, $(du -sh "$out" | cut -f1))"

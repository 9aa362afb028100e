#!/usr/bin/env bash
# Run a built bundle from a folder outside the checkout, with no Python of ours on the path:
#   packaging/smoke-bundle.sh dist/ruian-desk [PYTHON]
# sample, check --json (the sample's six warnings; with PYTHON, the app installed there runs the same rules),
# export of every format, template, import-xlsx, snapshot, and the window started offscreen.
set -euo pipefail
bundle=$(cd "$1" && pwd)
reference_python=${2:-}
if [ -n "$reference_python" ] && [[ "$reference_python" != /* ]]; then
  reference_python="$(pwd)/$reference_python"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$bundle" "$work/app"
cd "$work"
run() { env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 RUIAN_DESK_HOME="$work/data" \
  QT_QPA_PLATFORM=offscreen MPLCONFIGDIR="$work/mpl" "$@"; }
fail() { echo "bundle smoke test FAILED: $*" >&2; exit 1; }
app=$work/app/ruian-desk

run "$app" sample s.sqlite >/dev/null || fail "sample"
set +e
run "$app" check -w s.sqlite --year 2019 --json >check.json
rc=$?
set -e
[ "$rc" = "0" ] || fail "check: exit $rc"
if [ -n "$reference_python" ]; then
  (cd / && "$reference_python" -m ruian_desk check -w "$work/s.sqlite" --year 2019 --json >"$work/reference.json") \
    || fail "check with $reference_python"
fi
python_for_json=${reference_python:-python3}
"$python_for_json" - <<'PY' || fail "check output"
import json, os
got = json.load(open("check.json", encoding="utf-8"))
assert got["counts"] == {"error": 0, "warning": 6, "info": 0}, got["counts"]
if os.path.exists("reference.json"):
    ref = json.load(open("reference.json", encoding="utf-8"))
    key = "rules_run" if "rules_run" in ref else None
    if key:
        assert got[key] == ref[key], (len(got[key]), len(ref[key]))
        print(f"check: {len(got[key])} rules ran, as from the source; 6 warnings")
    assert [i["rule"] for i in got["issues"]] == [i["rule"] for i in ref["issues"]]
PY
run "$app" export -w s.sqlite --year 2019 --format docx,pdf,xlsx,html,json,charts --with-charts --out out >/dev/null \
  || fail "export"
for ext in docx pdf xlsx html json; do
  ls out/*."$ext" >/dev/null 2>&1 || fail "export wrote no .$ext"
done
run "$app" template -w s.sqlite --year 2019 --out templates >/dev/null || fail "template"
n=$(ls templates/*.xlsx | wc -l)
[ "$n" -ge 1 ] || fail "template wrote no .xlsx"
run "$app" import-xlsx -w s.sqlite templates >/dev/null || fail "import-xlsx"
run "$app" snapshot -w s.sqlite --out shots >/dev/null || fail "snapshot"
ls shots/*.png >/dev/null 2>&1 || fail "snapshot wrote no PNG"
out=$(run env RUIAN_DESK_EXIT_WHEN_IDLE=1 timeout 120 "$work/app/ruian-desk-gui" --workspace s.sqlite) || fail "window"
grep -q RUIAN-DESK-IDLE <<<"$out" || fail "the window did not reach its first idle pass"
echo "bundle smoke test passed: sample, check (6 warnings), export of 6 formats, $n templates, import-xlsx," \
  "snapshot ($(ls shots/*.png | wc -l) PNG), window offscreen"

"""Static security gates, run by CI after the tests (`make security`).

- bandit on the application code: no finding of high severity.
- pip-audit on the installed dependencies, against PyPI's vulnerability data: no known
  vulnerability. Where that data cannot be reached (an offline build machine, a registry mirror
  without it), this says so loudly and does not count as a pass or a failure.
(ruff's S rules, the other static gate, run with the tests: `ruff check` in `make lint`/CI.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def bandit() -> bool:
    result = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(BIN / "bandit"), "-q", "-r", "webapp", "-f", "json"], cwd=ROOT, capture_output=True, text=True
    )
    found = json.loads(result.stdout or "{}").get("results", [])
    high = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
            for r in found if r["issue_severity"] == "HIGH"]
    print(f"bandit: {len(found)} findings, {len(high)} of high severity")
    for line in high:
        print(f"  HIGH {line}")
    return not high


def pip_audit() -> bool:
    frozen = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout
    requirements = ROOT / ".venv" / "audit-requirements.txt"
    requirements.parent.mkdir(exist_ok=True)
    requirements.write_text(frozen)
    result = subprocess.run(  # noqa: S603
        [str(BIN / "pip-audit"), "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner", "off",
         "--format", "json"], capture_output=True, text=True, timeout=600,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print("pip-audit: SKIPPED - it gave no report (the vulnerability data could not be reached?):")
        print("  " + (result.stderr.strip().splitlines() or ["(no message)"])[-1])
        return True
    dependencies = report.get("dependencies", [])
    unaudited = [d["name"] for d in dependencies if d.get("skip_reason")]
    if dependencies and len(unaudited) == len(dependencies):
        print(f"pip-audit: SKIPPED - PyPI's vulnerability data could not be reached for any of the "
              f"{len(dependencies)} dependencies. Run it where pypi.org is reachable.")
        return True
    vulnerable = [(d["name"], d["version"], v["id"]) for d in dependencies for v in d.get("vulns", [])]
    print(f"pip-audit: {len(dependencies) - len(unaudited)} dependencies audited, {len(unaudited)} not found, "
          f"{len(vulnerable)} known vulnerabilities")
    for name, version, vuln in vulnerable:
        print(f"  {name} {version}: {vuln}")
    return not vulnerable


if __name__ == "__main__":
    ok = bandit()
    ok = pip_audit() and ok
    sys.exit(0 if ok else 1)

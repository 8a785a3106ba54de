"""Static security gates, run by CI after the tests (`make security`).

- bandit on the application code: no finding of high severity.
- pip-audit on the installed dependencies, against PyPI's vulnerability data: no known
  vulnerability. Where that data cannot be reached (an offline build machine, a registry mirror
  without it), this says so loudly and does not count as a pass or a failure.
- The hashed lock file (requirements.lock, made by `make lock`): it pins every dependency in
  pyproject.toml within its bounds, installs with `pip install --require-hashes` into a throwaway
  virtualenv, and that install is inventoried as a CycloneDX SBOM (build/sbom.cdx.json).
(ruff's S rules, the other static gate, run with the tests: `ruff check` in `make lint`/CI.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

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


def _locked_versions(lock: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^ \\]+)", lock.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def locked_install() -> bool:
    lock = ROOT / "requirements.lock"
    pinned = _locked_versions(lock)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    stale = []
    for line in dependencies:
        requirement = Requirement(line)
        version = pinned.get(re.sub(r"[-_.]+", "-", requirement.name).lower())
        if version is None or not requirement.specifier.contains(version):
            stale.append(f"{requirement} (locked: {version or 'missing'})")
    if stale:
        print("lock: requirements.lock is out of date with pyproject.toml; run `make lock`:")
        for line in stale:
            print(f"  {line}")
        return False
    with tempfile.TemporaryDirectory() as folder:
        python = Path(folder) / "bin" / "python"
        subprocess.run([sys.executable, "-m", "venv", folder], check=True)  # noqa: S603
        install = subprocess.run(  # noqa: S603
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes",
             "--no-deps", "-r", str(lock)], capture_output=True, text=True,
        )
        if install.returncode != 0:
            print("lock: `pip install --require-hashes -r requirements.lock` failed:")
            print("  " + "\n  ".join(install.stderr.strip().splitlines()[-5:]))
            return False
        check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)  # noqa: S603
        if check.returncode != 0:
            print(f"lock: the locked set is not complete: {check.stdout.strip()}")
            return False
        sbom = ROOT / "build" / "sbom.cdx.json"
        sbom.parent.mkdir(exist_ok=True)
        subprocess.run(  # noqa: S603
            [str(BIN / "cyclonedx-py"), "environment", "--output-format", "JSON", "-o", str(sbom), str(python)],
            check=True, capture_output=True,
        )
    components = json.loads(sbom.read_text())["components"]
    print(f"lock: {len(pinned)} pinned packages install with --require-hashes; "
          f"SBOM with {len(components)} components in {sbom.relative_to(ROOT)}")
    return True


if __name__ == "__main__":
    ok = bandit()
    ok = locked_install() and ok
    ok = pip_audit() and ok
    sys.exit(0 if ok else 1)

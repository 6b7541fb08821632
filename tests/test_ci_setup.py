"""`.ci/setup` run with a fake apt-get: it must wait for another process's dpkg lock, not fail at once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_setup_asks_apt_get_to_wait_for_the_dpkg_lock(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    # Only what the script needs before apt-get; no chromium or msgfmt, so it must install them.
    for tool in ("dirname", "id"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    fake = bin_dir / "apt-get"
    fake.write_text(f'#!{shutil.which("bash")}\necho "$*" >> {log}\n[[ " $* " != *" gettext "* ]]\n')
    fake.chmod(0o755)
    sudo = bin_dir / "sudo"
    sudo.write_text(f'#!{shutil.which("bash")}\nexec "$@"\n')
    sudo.chmod(0o755)
    result = subprocess.run([shutil.which("bash"), str(ROOT / ".ci" / "setup")], capture_output=True, text=True,
                            env={**os.environ, "PATH": str(bin_dir)}, timeout=60, check=False)
    calls = log.read_text().splitlines()
    # The fake install fails on purpose so the script stops before building a virtualenv.
    assert result.returncode != 0
    assert [c.split()[2] for c in calls] == ["update", "install"], calls
    assert all(c.startswith("-o DPkg::Lock::Timeout=300 ") for c in calls), calls

"""Every catalog entry loads with the network cut: `medai datasets verify` in a network
namespace with no interfaces up (not even loopback)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _can_cut_network() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--net", "--map-root-user", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_cut_network(), reason="needs `unshare --net` (util-linux)")
def test_verify_passes_with_no_network(tmp_path):
    medai = Path(sys.executable).with_name("medai")
    cut = subprocess.run(
        ["unshare", "--net", "--map-root-user", sys.executable, "-c",
         "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9', timeout=3)"],
        capture_output=True, text=True,
    )
    assert cut.returncode != 0 and "unreachable" in cut.stderr, "the network is really cut"
    result = subprocess.run(
        ["unshare", "--net", "--map-root-user", str(medai), "datasets", "verify"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all datasets verified" in result.stdout
    lines = [line for line in result.stdout.splitlines()[1:-1] if line.strip()]
    from medai import datasets

    assert len(lines) == len(datasets.list())
    assert all(" ok " in line or " skipped " in line for line in lines), result.stdout

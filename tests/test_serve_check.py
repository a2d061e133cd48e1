"""`make serve` refuses to serve when its .venv has no Jupyter kernel for Python, and says what to install."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from harness import REPO, free_port, user_env


def test_make_serve_without_a_python_kernel_stops_and_names_ipykernel(tmp_path):
    """With a .venv that has no ipykernel, `make serve` exits non-zero, names ipykernel, and never listens."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    stamp = venv / ".installed"
    stamp.touch()
    later = time.time() + 60  # newer than pyproject.toml, so make does not install into it
    os.utime(stamp, (later, later))
    port = free_port()
    run = subprocess.run(
        ["make", "--no-print-directory", "serve", f"VENV={venv}", f"PORT={port}"],
        cwd=REPO, env=user_env(), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert run.returncode != 0
    assert "no Jupyter kernel for Python" in run.stderr
    assert "ipykernel" in run.stderr
    assert "casecoach is at" not in run.stdout

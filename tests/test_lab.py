"""The README's first command: JupyterLab on localhost with the course, nbgrader and medai.

Starts the real server through `medai lab` on a free loopback port, then talks
to it over HTTP and a kernel websocket, as the browser would.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.server]
TOKEN = "medai-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from helpers import copy_course

    root = tmp_path_factory.mktemp("lab")
    course_yml = copy_course(root)
    port = free_port()
    medai = Path(sys.executable).with_name("medai")
    log = (root / "lab.log").open("w")
    process = subprocess.Popen(
        [str(medai), "--course", str(course_yml), "lab", "--no-browser", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(base, "/api/status")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((root / "lab.log").read_text()) from None
                time.sleep(0.5)
        yield base, root
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        log.close()


def get(base: str, path: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode()


def test_serves_the_built_lesson(server):
    base, _ = server
    status, body = get(base, "/api/contents/notebooks/dx01_clinical_prediction/"
                             "dx01_clinical_prediction.ipynb")
    assert status == 200
    assert "Clinical prediction basics" in body
    # Opening the server's address lands on the first lesson.
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    connection.request("GET", "/", headers={"Authorization": f"token {TOKEN}"})
    response = connection.getresponse()
    assert response.status == 302
    assert response.getheader("Location").rstrip("?").endswith(
        "/lab/tree/notebooks/dx01_clinical_prediction/dx01_clinical_prediction.ipynb"
    )


def test_nbgrader_extensions_are_enabled_with_the_course_config(server):
    base, _ = server
    status, body = get(base, "/lab/api/extensions")
    extensions = {ext["name"]: ext for ext in json.loads(body)}
    assert status == 200 and "jupyter-nbgrader" in extensions
    assert extensions["jupyter-nbgrader"]["enabled"], "nbgrader's lab extension is disabled"
    status, body = get(base, "/formgrader/api/assignments")
    assert status == 200
    assignments = {a["name"] for a in json.loads(body)}
    assert "a1" in assignments, "the formgrader reads course/nbgrader_config.py"


def test_kernel_has_medai(server):
    import websocket

    base, _ = server
    _, body = get(base, "/api/kernels", method="POST", body={"name": "python3"})
    kernel_id = json.loads(body)["id"]
    ws = websocket.create_connection(
        f"ws://{base.removeprefix('http://')}/api/kernels/{kernel_id}/channels?token={TOKEN}",
        timeout=60,
    )
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": "import medai, sys; print(medai.__version__, sys.prefix)",
                    "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    printed = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message = json.loads(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream":
            printed += message["content"]["text"]
        if message["msg_type"] == "error":
            pytest.fail(f"kernel could not import medai: {message['content']['evalue']}")
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    ws.close()
    version, prefix = printed.split()
    import medai
    assert version == medai.__version__
    assert prefix == sys.prefix, "the kernel runs in the environment medai is installed in"


def test_formgrader_pages_need_no_network_and_hide_the_token(server):
    """MathJax comes from this server (jupyter_server_mathjax, enabled by
    course/jupyter_server_config.py); the Formgrader prints no config, so no token."""
    base, _ = server
    # where the Formgrader's submission page (<base>/formgrader/submissions/<id>/) loads it
    status, body = get(base, "/static/jupyter_server_mathjax/MathJax.js")
    assert status == 200 and "MathJax" in body
    status, body = get(base, "/static/jupyter_server_mathjax/config/TeX-AMS-MML_HTMLorMML-full.js")
    assert status == 200
    status, page = get(base, "/formgrader/manage_assignments")
    assert status == 200 and "Add new assignment" in page
    assert "cdnjs" not in page
    assert "Current configuration" not in page
    assert TOKEN not in page, "the Formgrader showed its config, server token included"


def test_make_lab_says_which_role_it_starts(server):
    _, root = server
    log = (root / "lab.log").read_text()
    assert "Instructor's JupyterLab for medai101" in log
    assert "medai student start DIR" in log, "and how students start theirs"

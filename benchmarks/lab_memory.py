"""Run a notebook the way a student's pod runs it: a real JupyterLab server on loopback,
a kernel started through its sessions API, every code cell sent in order over the
kernel's websocket; and measure what the pod's cgroup would count.

    python benchmarks/lab_memory.py NOTEBOOK.ipynb     # prints the figures as JSON

Figures: wall seconds of the cells, the server's and the kernel's peak resident memory
(VmHWM, read just before the kernel is shut down) and ``pod_peak_mb``, the peak of the
resident memory of the server's whole process tree (server, kernel and anything the
kernel starts), sampled every 0.1 s while the cells run.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

SAMPLE_S = 0.1
START_TIMEOUT_S = 180
CELL_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _high_water_mb(pid: int) -> float:
    """A process's peak resident memory so far; 0 for a process already gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeSampler(threading.Thread):
    """The peak of the summed RSS of a process and its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb = pid, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        import psutil

        top = psutil.Process(self.pid)
        while not self._done.wait(SAMPLE_S):
            total = 0
            try:
                for process in [top, *top.children(recursive=True)]:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        continue
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, total / 2**20)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _request(base: str, token: str, method: str, path: str, body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, method=method, headers={
        "Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def _message(session: str, code: str) -> dict:
    msg_id = uuid.uuid4().hex
    return {
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "bench",
                   "session": session, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }


async def _run_cells(url: str, cells: list[str]) -> tuple[list[str], list[dict]]:
    """Send each cell and wait for its reply; return the errors ("ename: evalue") and
    the key results the notebook showed (medai.teach.key_results)."""
    from tornado.websocket import websocket_connect

    from medai.teach import key_results

    connection = await websocket_connect(url, max_message_size=256 * 2**20)
    session, errors, shown = uuid.uuid4().hex, [], []
    try:
        for code in cells:
            request = _message(session, code)
            await connection.write_message(json.dumps(request))
            while True:
                raw = await asyncio.wait_for(connection.read_message(), CELL_TIMEOUT_S)
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                if isinstance(raw, bytes):
                    continue  # a binary message (buffers): never a reply here
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != request["header"]["msg_id"]:
                    continue
                data = reply.get("content", {}).get("data") or {}
                if key_results.MIME in data:
                    shown.append(data[key_results.MIME])
                if reply["msg_type"] == "error":
                    errors.append(f"{reply['content']['ename']}: {reply['content']['evalue']}")
                if reply["msg_type"] == "execute_reply":
                    break
            if errors:
                break
    finally:
        connection.close()
    return errors, shown


def run_in_jupyterlab(notebook: Path) -> dict:
    """Execute ``notebook`` through a JupyterLab server started for it; its figures."""
    import nbformat

    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells
             if c.cell_type == "code" and c.source.strip()]
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="medai-lab-memory-") as runtime:
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=runtime, JUPYTER_TOKEN=token)
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
             f"--port={port}", f"--ServerApp.root_dir={notebook.parent}",
             "--ServerApp.port_retries=0",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    _request(base, token, "GET", "/api/status")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        return {"error": "the JupyterLab server did not start"}
                    time.sleep(0.3)
            # what the browser does first: the notebook is read through the contents API
            _request(base, token, "GET", f"/api/contents/{notebook.name}")
            created = _request(base, token, "POST", "/api/sessions", {
                "path": notebook.name, "type": "notebook", "name": notebook.name,
                "kernel": {"name": "python3"}})
            kernel_id = created["kernel"]["id"]
            import psutil

            kernels = psutil.Process(server.pid).children()
            sampler = TreeSampler(server.pid)
            sampler.start()
            started = time.perf_counter()
            errors, shown = asyncio.run(_run_cells(
                f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?token={token}", cells))
            seconds = time.perf_counter() - started
            sampler.stop()
            kernel_peak = max((_high_water_mb(k.pid) for k in kernels), default=0.0)
            server_peak = _high_water_mb(server.pid)
            _request(base, token, "DELETE", f"/api/sessions/{created['id']}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    if errors:
        return {"error": errors[0]}
    figures = {"seconds": round(seconds, 2), "peak_rss_mb": round(kernel_peak, 1),
               "server_peak_mb": round(server_peak, 1),
               "pod_peak_mb": round(sampler.peak_mb, 1)}
    if shown:
        figures["key_results"] = {k: v for p in shown for k, v in p["figures"].items()}
        figures["published"] = {k: v for p in shown for k, v in p.get("published", {}).items()}
    return figures


if __name__ == "__main__":
    print(json.dumps(run_in_jupyterlab(Path(sys.argv[1]).resolve())))

"""The optional-download path against a real HTTP server on loopback."""

from __future__ import annotations

import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from medai.datasets.download import DownloadError, RemoteFile, fetch

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB


class Handler(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        Handler.requests.append(self.path)
        body = PAYLOAD
        length = len(body)
        if self.path.startswith("/truncated"):
            body = body[: len(body) // 3]  # promise the whole file, send a third
        if self.path.startswith("/missing"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDAI_DATA", str(tmp_path / "data"))


@pytest.fixture
def server():
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def remote(url, checksum=None):
    digest = checksum or "sha256:" + hashlib.sha256(PAYLOAD).hexdigest()
    return RemoteFile(dataset="toy", url=url, checksum=digest, filename="toy.bin")


def leftovers(path):
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def test_good_file_is_downloaded_once_and_then_served_from_the_cache(server):
    first = fetch(remote(server + "/good"))
    assert first.read_bytes() == PAYLOAD
    assert fetch(remote(server + "/good")) == first
    assert Handler.requests == ["/good"], "a valid cached file is never downloaded again"
    assert leftovers(first) == []


def test_md5_is_accepted_where_the_publisher_gives_only_md5(server):
    path = fetch(remote(server + "/good", "md5:" + hashlib.md5(PAYLOAD).hexdigest()))
    assert path.read_bytes() == PAYLOAD


def test_wrong_checksum_is_rejected_and_nothing_is_kept(server):
    bad = remote(server + "/good", "sha256:" + "0" * 64)
    with pytest.raises(DownloadError) as caught:
        fetch(bad)
    message = str(caught.value)
    assert "failed its sha256 check" in message and "toy" in message
    assert not bad.path().exists() and leftovers(bad.path()) == []


def test_truncated_download_is_reported_and_discarded(server):
    cut = remote(server + "/truncated")
    with pytest.raises(DownloadError) as caught:
        fetch(cut)
    assert "toy" in str(caught.value)
    assert not cut.path().exists() and leftovers(cut.path()) == []


def test_corrupted_cached_file_is_replaced(server):
    good = remote(server + "/good")
    good.path().parent.mkdir(parents=True, exist_ok=True)
    good.path().write_bytes(b"half a file")
    assert fetch(good).read_bytes() == PAYLOAD
    assert Handler.requests == ["/good"]


def test_server_down_fails_at_once_with_manual_steps():
    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = remote(f"http://127.0.0.1:{port}/toy.bin")
    with pytest.raises(DownloadError) as caught:
        fetch(down, timeout=5)
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}/toy.bin" in message
    assert str(down.path()) in message and "by hand" in message
    assert not down.path().exists()


def test_offline_mode_never_touches_the_network(server, monkeypatch):
    monkeypatch.setenv("MEDAI_OFFLINE", "1")
    with pytest.raises(DownloadError, match="MEDAI_OFFLINE=1"):
        fetch(remote(server + "/good"))
    assert Handler.requests == []


def test_http_error_is_a_clear_error(server):
    with pytest.raises(DownloadError, match="cannot download"):
        fetch(remote(server + "/missing"))

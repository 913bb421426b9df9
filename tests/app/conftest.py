"""A running app on 127.0.0.1 for the tests (uvicorn in a thread, a fresh token)."""

import os
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("shiny", reason="the app extra is not installed")


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    import uvicorn

    from remission.app import create_app
    from remission.app.security import new_token

    root = tmp_path_factory.mktemp("app-root")
    token = new_token()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(root, token, max_upload=5_000_000),
                                           log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the app did not start within 30 s"
    yield {"url": f"http://127.0.0.1:{port}", "token": token, "root": root}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def shots(tmp_path):
    """Where screenshots go: $REMISSION_SCREENSHOTS (to look at them) or a temporary folder."""
    folder = Path(os.environ.get("REMISSION_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder

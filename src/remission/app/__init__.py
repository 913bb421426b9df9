"""``remission app``: a local web app over the same functions as the command line.

:func:`create_app` returns the ASGI application (the Shiny pages, the built reports under
``/files``, all behind :class:`~remission.app.security.TokenGate`); :func:`serve` runs it on
127.0.0.1 only, with a private folder that is removed when the app stops.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from remission.app.security import TokenGate, new_token

__all__ = ["create_app", "serve", "DEFAULT_MAX_UPLOAD"]

#: Largest upload accepted, in bytes (a clear 413 message above it).
DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024
HOST = "127.0.0.1"


def create_app(root: Path, token: str, max_upload: int = DEFAULT_MAX_UPLOAD):
    """The ASGI app: pages at ``/``, report files at ``/files/``, token required."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from remission.app.server import build_shiny_app
    from remission.cohort.cohort import remember_loaded_cohorts

    remember_loaded_cohorts()  # the pages' commands read one file many times
    shiny = build_shiny_app(root, reports_url="/files")
    routes = [Mount("/files", app=StaticFiles(directory=root)), Mount("/", app=shiny)]
    return TokenGate(Starlette(routes=routes), token=token, max_upload=max_upload)


def serve(port: int = 0, open_browser: bool = True, max_upload: int = DEFAULT_MAX_UPLOAD,
          announce=print) -> None:  # fmt: skip
    """Run the app on 127.0.0.1 until interrupted; the private folder is then removed."""
    import socket
    import webbrowser

    import uvicorn

    root = Path(tempfile.mkdtemp(prefix="remission-app-"))  # mode 0700
    old_tempdir = tempfile.tempdir
    tempfile.tempdir = str(root)  # the framework's upload files land in the private folder too
    token = new_token()
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, port))
        url = f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"
        announce(f"remission app: {url}\n  (Ctrl-C stops it and removes its private folder)")
        if open_browser:
            webbrowser.open(url)
        config = uvicorn.Config(create_app(root, token, max_upload), log_level="warning")
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        tempfile.tempdir = old_tempdir
        shutil.rmtree(root, ignore_errors=True)

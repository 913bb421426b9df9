"""``remission app``: start the local web app and open it in the browser.

The app listens on 127.0.0.1 only; its URL carries a random token so that other users of
the machine cannot connect. Uploads stay in a private folder removed when the app stops.
"""

from __future__ import annotations

import argparse

NAME = "app"
HELP = "start the local web app (127.0.0.1 only) and open it in the browser"

EXAMPLES = """examples:
  remission app                 # opens http://127.0.0.1:PORT/?token=... in the browser
  remission app --port 8765 --no-browser
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0,
                        help="port on 127.0.0.1 (default: a free one)")  # fmt: skip
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--max-upload-mb", type=int, default=200,
                        help="largest file accepted, in MB (default 200)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from remission.cli import UsageError

    try:
        from remission.app import serve
    except ImportError as exc:  # the app's framework is an optional extra
        raise UsageError(f"the app needs its extra: pip install 'remission[app]' ({exc})") from None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: expected 0 to 65535")
    try:
        serve(port=args.port, open_browser=not args.no_browser,
              max_upload=args.max_upload_mb * 1024 * 1024)  # fmt: skip
    except OSError as exc:
        raise UsageError(f"could not listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    return 0

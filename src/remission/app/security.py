"""Keep the local app private: a secret token, a size limit on uploads, loopback only.

The app listens on 127.0.0.1, which other users of the same machine can still reach, so
(as Jupyter does) the URL carries a random token. The first request with ``?token=`` sets
an HttpOnly, SameSite=Strict cookie; every later request, the websocket included, must
carry it. Anything else gets 403 Forbidden. Request bodies above ``max_upload`` bytes get
413 with a message saying the limit.
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

__all__ = ["TokenGate", "new_token", "COOKIE"]

COOKIE = "remission_token"


def new_token() -> str:
    """A random URL-safe token (128 bits)."""
    return secrets.token_urlsafe(16)


class TokenGate:
    """ASGI middleware: pass a request only with the right token (query or cookie)."""

    def __init__(self, app, token: str, max_upload: int):
        self.app = app
        self.token = token
        self.max_upload = max_upload

    def _cookie_token(self, scope) -> str | None:
        for name, value in scope.get("headers", ()):
            if name == b"cookie":
                jar = SimpleCookie()
                jar.load(value.decode("latin-1"))
                if COOKIE in jar:
                    return jar[COOKIE].value
        return None

    def _query_token(self, scope) -> str | None:
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        return values[0] if values else None

    def _allowed(self, scope) -> tuple[bool, bool]:
        """(allowed, set_cookie)."""
        cookie = self._cookie_token(scope)
        if cookie is not None and hmac.compare_digest(cookie, self.token):
            return True, False
        query = self._query_token(scope)
        if query is not None and hmac.compare_digest(query, self.token):
            return True, True
        return False, False

    def _too_large(self, scope) -> bool:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value) > self.max_upload
                except ValueError:
                    return True
        return False

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        allowed, set_cookie = self._allowed(scope)
        if not allowed:
            return await _refuse(scope, send, 403, "Forbidden: open the link with its token.")
        if scope["type"] == "http" and self._too_large(scope):
            mb = self.max_upload / 1e6
            return await _refuse(scope, send, 413, f"The file is larger than {mb:.0f} MB.")
        if not set_cookie or scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
                headers = list(message.get("headers", ())) + [
                    (b"set-cookie", cookie.encode("latin-1"))
                ]
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


async def _refuse(scope, send, status: int, text: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})

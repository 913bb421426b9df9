"""The token gate and the upload limit, over real HTTP on 127.0.0.1."""

import socket
import urllib.error
import urllib.request

import pytest


def _get(url: str, headers: dict | None = None, data: bytes | None = None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_without_token_is_forbidden(live_app):
    status, _, body = _get(live_app["url"] + "/")
    assert status == 403
    assert b"token" in body


def test_wrong_token_is_forbidden(live_app):
    status, _, _ = _get(live_app["url"] + "/?token=not-the-token")
    assert status == 403


def test_token_sets_a_strict_cookie_that_then_suffices(live_app):
    status, headers, body = _get(f"{live_app['url']}/?token={live_app['token']}")
    assert status == 200
    assert b"remission" in body
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, _, _ = _get(live_app["url"] + "/", {"Cookie": cookie.split(";")[0]})
    assert status == 200


def test_files_are_behind_the_token_too(live_app):
    (live_app["root"] / "x.txt").write_text("secret")
    assert _get(live_app["url"] + "/files/x.txt")[0] == 403
    status, _, body = _get(f"{live_app['url']}/files/x.txt?token={live_app['token']}")
    assert (status, body) == (200, b"secret")


@pytest.mark.parametrize("size", [6_000_000, 10**12])
def test_upload_above_the_limit_gets_413_with_the_limit(live_app, size):
    # the answer comes from the headers alone, before any of the body is read
    host, port = live_app["url"].removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall((f"POST /session/x/upload/y?token={live_app['token']} HTTP/1.1\r\n"
                   f"Host: {host}\r\nContent-Length: {size}\r\n\r\n").encode())  # fmt: skip
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"MB."):
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"5 MB" in answer


def test_every_page_asset_is_served_locally(live_app):
    import re

    _, _, body = _get(f"{live_app['url']}/?token={live_app['token']}")
    refs = re.findall(rb'(?:src|href)="([^"#][^"]*)"', body)
    assert refs, "the page references no assets"
    assert not [r for r in refs if r.startswith((b"http:", b"https:", b"//"))]

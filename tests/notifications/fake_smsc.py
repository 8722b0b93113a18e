"""A local HTTP server that behaves like the SMSC.kz API (send.php and status.php, ``fmt=3``).

Started on 127.0.0.1 with a random port by the tests and the benchmark. It checks the login and
password and the phone format as the gateway does, answers with the gateway's error codes, and can
be scripted to fail: ``fail_next("error", 3)`` (an API error code), ``fail_next("http", 503)``,
``fail_next("lost_answer", seconds)`` (accepts the message, then answers too late),
``fail_next("accept_then_http", 502)`` (accepts the message, then answers an HTTP error, as a
gateway behind a failing proxy does),
``fail_next("status_http", 500)`` (the next status query fails), or be stopped
and started again (``stop()``/``start()``) to play a gateway that is down. Every request is kept
in ``calls`` (method, path, query string, form fields) so tests can see what travelled where.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGIN, PASSWORD = "portal", "secret-psw"
_PHONE = re.compile(r"\A77[0-9]{9}\Z")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_sockets: set = set()  # keep-alive connections, closed by ``stop`` (a gateway that is down)

    def handle_error(self, request, client_address):
        # A client that went away (its timeout, its process killed) is part of the scripts: quiet.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeSmsc:
    def __init__(self, *, login: str = LOGIN, password: str = PASSWORD, port: int = 0):
        self.login, self.password = login, password
        self.port = port
        self.lock = threading.Lock()
        self.sent: list[dict] = []  # every message the gateway accepted, in order
        self.requests = 0
        self.connections = 0  # TCP connections opened by clients (keep-alive reuses one)
        self.calls: list[dict] = []  # every request: method, path, query string, body fields
        self.statuses: dict[str, int] = {}  # id -> status code reported by status.php
        self.default_status = 0  # "passed to the operator"
        self._script: deque[tuple[str, float]] = deque()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> FakeSmsc:
        self._server = _Server(("127.0.0.1", self.port), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            # clients keep connections alive: a gateway that is down answers none of them either
            for sock in list(self._server.open_sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._server = None

    def __enter__(self) -> FakeSmsc:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- scripting ----------------------------------------------------------------------------
    def fail_next(self, kind: str, value: float = 0, *, times: int = 1) -> None:
        with self.lock:
            self._script.extend([(kind, value)] * times)

    def set_status(self, gateway_id: str, code: int) -> None:
        with self.lock:
            self.statuses[str(gateway_id)] = code

    def ids(self) -> list[str]:
        with self.lock:
            return [m["id"] for m in self.sent]

    # --- the API ------------------------------------------------------------------------------
    def _send(self, params: dict) -> tuple[int, dict, float]:
        with self.lock:
            self.requests += 1
            step = self._script.popleft() if self._script else None
        if step and step[0] == "http":
            return int(step[1]), {}, 0
        if step and step[0] == "error":
            return 200, {"error": "scripted error", "error_code": int(step[1])}, 0
        if params.get("login") != self.login or params.get("psw") != self.password:
            return 200, {"error": "authorise error", "error_code": 2}, 0
        if not params.get("phones") or not params.get("mes"):
            return 200, {"error": "parameters error", "error_code": 1}, 0
        if not _PHONE.match(params["phones"]):
            return 200, {"error": "invalid number", "error_code": 7}, 0
        own_id = params.get("id") or str(len(self.sent) + 1)
        with self.lock:
            self.sent.append({"id": own_id, "phone": params["phones"], "text": params["mes"], "at": time.time()})
        parts = 1 if len(params["mes"]) <= 70 else -(-len(params["mes"]) // 67)
        delay = float(step[1]) if step and step[0] == "lost_answer" else 0
        if step and step[0] == "accept_then_http":
            return int(step[1]), {}, 0
        return 200, {"id": own_id, "cnt": parts}, delay

    def _status(self, params: dict) -> tuple[int, dict, float]:
        with self.lock:
            self.requests += 1
            if self._script and self._script[0][0] == "status_http":
                return int(self._script.popleft()[1]), {}, 0
            known = {m["id"] for m in self.sent}
            code = self.statuses.get(params.get("id", ""), self.default_status)
        if params.get("login") != self.login or params.get("psw") != self.password:
            return 200, {"error": "authorise error", "error_code": 2}, 0
        if params.get("id") not in known:
            return 200, {"error": "message not found", "error_code": 3}, 0
        return 200, {"status": code, "last_date": time.strftime("%d.%m.%Y %H:%M:%S")}, 0

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm holds the
            # body until the client's delayed ACK (about 40 ms) on a kept-alive connection, which a
            # real gateway's server does not do
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def setup(self):
                super().setup()
                self.server.open_sockets.add(self.connection)
                with gateway.lock:
                    gateway.connections += 1

            def finish(self):
                self.server.open_sockets.discard(self.connection)
                super().finish()

            def _answer(self, params: dict, body: dict | None = None):
                split = urllib.parse.urlsplit(self.path)
                path = split.path
                with gateway.lock:
                    gateway.calls.append(
                        {"method": self.command, "path": path, "query": split.query, "body": dict(body or {})}
                    )
                if path == "/sys/send.php":
                    status, body, delay = gateway._send(params)
                elif path == "/sys/status.php":
                    status, body, delay = gateway._status(params)
                elif path == "/__stats":  # for the benchmark running the gateway in its own process
                    ids = gateway.ids()
                    status, body, delay = 200, {"accepted": len(ids), "distinct": len(set(ids))}, 0
                elif path == "/__arrivals":  # our id -> when the gateway first took it (epoch seconds)
                    with gateway.lock:
                        first: dict[str, float] = {}
                        for m in gateway.sent:
                            first.setdefault(m["id"], m["at"])
                    status, body, delay = 200, first, 0
                else:
                    status, body, delay = 404, {}, 0
                if delay:
                    time.sleep(delay)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                query = urllib.parse.urlsplit(self.path).query
                self._answer({k: v[0] for k, v in urllib.parse.parse_qs(query).items()})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                fields = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
                self._answer(fields, fields)

        return Handler


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the fake SMSC.kz gateway on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    fake = FakeSmsc(port=args.port).start()
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()

"""A TCP proxy in front of a test database server, to inject faults without touching the shared server.

    with FaultProxy("127.0.0.1", 5432) as proxy:
        url = proxy.url("postgresql+psycopg://dash:dash@127.0.0.1:5432/dashdb")   # same URL, proxy's port
        proxy.pause()    # every byte held in both directions: a frozen (SIGSTOPped) server
        proxy.resume()   # traffic flows again
        proxy.cut()      # open connections closed, new ones refused until resume(): a crash/restart
"""
from __future__ import annotations

import select
import socket
import threading

from sqlalchemy import make_url


class FaultProxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.mode = "pass"
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def pause(self) -> None:
        self.mode = "pause"

    def resume(self) -> None:
        self.mode = "pass"

    def cut(self) -> None:
        self.mode = "cut"
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                _close(s)

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "cut":
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        """Relay both directions; while paused nothing is read, so the peer hears nothing."""
        peers = {a: b, b: a}
        try:
            while not self._closed:
                if self.mode == "pause":
                    threading.Event().wait(0.05)
                    continue
                ready, _, _ = select.select([a, b], [], [], 0.05)
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    peers[src].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            _close(a)
            _close(b)


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()

"""A local TCP proxy that adds latency and counts round trips, for tests and bench/ only.

Each chunk a client sends is held `delay` seconds before it reaches the server, and each answer
as long on the way back; `requests` counts the client's chunks, i.e. the round trips the client
waited for (messages the driver pipelines in one write count once, as they cost one).
"""
from __future__ import annotations

import socket
import threading
import time


class LatencyProxy:
    def __init__(self, host: str, port: int, delay: float = 0.0):
        self._target = (host, port)
        self.delay = delay
        self.requests = 0
        self._lock = threading.Lock()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._closed = False
        self.paused = False
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self.paused:  # the server is "down": the connection is cut at once
                client.close()
                continue
            upstream = socket.create_connection(self._target)
            self._open += [client, upstream]
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, counted: bool) -> None:
        try:
            while data := src.recv(65536):
                if counted:
                    with self._lock:
                        self.requests += 1
                if self.delay:
                    time.sleep(self.delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def reset(self) -> int:
        with self._lock:
            n, self.requests = self.requests, 0
        return n

    def cut(self) -> None:
        """The network fails: every open connection is cut, new ones are refused until resume()."""
        self.paused = True
        for s in self._open:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._open.clear()

    def resume(self) -> None:
        self.paused = False

    def close(self) -> None:
        self._closed = True
        self._server.close()

"""The W3C Nu HTML checker (vnu.jar from npm, run with Java) as a local service.

Every HTML document a browser test loads - pages reached by goto, by a click or by a
form, error pages included - is sent to the checker when the test's pages close, and the
test fails on any error, naming the page. One checker serves the whole session: it is a
Java program that takes seconds to start and milliseconds per page after.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from forum.tests.external import JAVA, VNU_JAR

START_TIMEOUT = 90  # seconds; the first start on a busy machine is slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Document:
    url: str
    status: int
    html: str


class HtmlChecker:
    def __init__(self):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                JAVA,
                "-Xss4m",  # the checker's schema matching recurses deeply
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                self.errors("<!doctype html><html lang=en><title>ready</title></html>")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("the Nu HTML checker did not start") from None
                time.sleep(0.5)

    def errors(self, html: str) -> list[str]:
        """The checker's errors for one document, one readable line each."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            messages = json.load(response)["messages"]
        return [
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()}]"
            for message in messages
            if message["type"] == "error"
            or (message["type"] == "non-document-error")
            or message.get("subType") == "fatal"
        ]

    def problems(self, documents: list[Document]) -> list[str]:
        found = []
        for document in documents:
            for error in self.errors(document.html):
                found.append(f"{document.url} ({document.status}): {error}")
        return found

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

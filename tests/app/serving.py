"""Helpers for the `serve` tests: a workbench app on a loopback port, and an article of our own."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from lint.app.serve import LOOPBACK, ServeSettings, create_app

ARTICLE = (
    "# 富血小板血浆生发：改善脱发的新技术\n\n"
    "头发稀疏让很多年轻人焦虑。本中心引进全新的PRP生发技术，可以根治脂溢性脱发，而且绝对安全。\n\n"
    "李先生治疗两个月后，发际线明显前移，重新找回了自信。\n\n"
    "研究显示，PRP注射后毛发密度显著提高。\n\n"
    "名额有限，立即预约！\n"
)
HOSTILE = (
    "标题<script>window.__pwned = 1; alert(1)</script>\n"
    '干细胞可以根治关节炎，是患者的福音。<img src=x onerror="window.__pwned = 2; alert(2)">\n'
    '<a href="javascript:window.__pwned = 3">点我</a> <svg onload="alert(3)"></svg> {{ 7 * 7 }} {% if true %}x{% endif %}\n'
)


def settings(**overrides: object) -> ServeSettings:
    """Test settings: the test client's host name is allowed too."""
    return ServeSettings(allowed_hosts=(*LOOPBACK, "testserver"), **overrides)  # type: ignore[arg-type]


@contextmanager
def running(app_settings: ServeSettings | None = None) -> Iterator[str]:
    """Run the workbench with uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(app_settings), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()

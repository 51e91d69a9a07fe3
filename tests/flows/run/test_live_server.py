"""A server started for a run answers before it is used and is always stopped."""

from __future__ import annotations

import sys

import httpx
import pytest

from flows.run.live_server import ServerStartError, answers, free_port, serve


def http_server(port: int, directory) -> list[str]:
    return [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(directory),
    ]


def test_a_server_answers_inside_the_block_and_is_gone_after(tmp_path):
    (tmp_path / "hello.txt").write_text("hello")
    port = free_port()

    with serve(
        http_server(port, tmp_path),
        f"http://127.0.0.1:{port}",
        probe=lambda url: answers(url, "/hello.txt"),
    ) as base_url:
        assert httpx.get(f"{base_url}/hello.txt").text == "hello"

    assert not answers(base_url, "/hello.txt")


def test_a_server_that_exits_at_once_is_reported_with_its_output(tmp_path):
    command = [sys.executable, "-c", "import sys; print('no database'); sys.exit(3)"]

    with (
        pytest.raises(ServerStartError) as raised,
        serve(command, f"http://127.0.0.1:{free_port()}"),
    ):
        pass

    assert "exited with status 3" in str(raised.value)
    assert "no database" in str(raised.value)


def test_a_server_that_never_answers_is_stopped_after_the_timeout(tmp_path):
    command = [sys.executable, "-c", "import time; time.sleep(60)"]

    never = pytest.raises(ServerStartError, match="did not answer within 0.5 s")
    with never, serve(command, f"http://127.0.0.1:{free_port()}", timeout_s=0.5):
        pass


def test_a_server_a_wrapper_script_started_is_stopped_with_it(tmp_path):
    """As Debian's /usr/bin/chromium-headless-shell does, the command starts the server as
    its child and waits for it, so stopping the command alone would leave the server up."""
    (tmp_path / "hello.txt").write_text("hello")
    port = free_port()
    wrapper = ["/bin/sh", "-c", '"$@"; exit $?', "wrapper", *http_server(port, tmp_path)]

    with serve(wrapper, f"http://127.0.0.1:{port}",
               probe=lambda url: answers(url, "/hello.txt")) as base_url:
        assert answers(base_url, "/hello.txt")

    assert not answers(base_url, "/hello.txt")

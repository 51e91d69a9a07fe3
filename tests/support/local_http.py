"""Small HTTP servers the tests run in a thread of their own (fake shops, one-page sites)."""

import socketserver
import threading

# How often a serving thread looks for a shutdown request: the standard library's 0.5 s
# would be added to every test that stops a server.
POLL_S = 0.05


def serve_in_thread(server: socketserver.BaseServer) -> threading.Thread:
    """Start ``server`` answering in a daemon thread; ``server.shutdown()`` then returns
    within ``POLL_S``."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": POLL_S},
                              daemon=True)
    thread.start()
    return thread

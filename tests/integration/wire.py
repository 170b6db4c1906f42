"""Raw HTTP/1.1 over 127.0.0.1 sockets, for what no HTTP client library would send or show."""

import socket
import struct


def raw_exchange(port, data, timeout=5.0):
    """Sends raw bytes to 127.0.0.1:port and returns everything that comes back until the server
    closes the connection (for malformed or hostile requests that no HTTP client would send)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


def read_answer(sock):
    """One complete answer with a Content-Length body from `sock`; b"" if the server closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def segments_received(sock):
    """TCP segments that have arrived on `sock` so far (Linux TCP_INFO tcpi_segs_in), to see how
    many writes the other end needed for what it sent."""
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return struct.unpack_from("I", info, 140)[0]  # offset of tcpi_segs_in in struct tcp_info

"""Timing and memory probes for benches/provider.sh (which documents the measurements).

Shell cannot time a child to the millisecond or read a pipe's first line with a deadline
cleanly, so the precise parts live here. Every subcommand inherits its environment from the
caller (provider.sh runs it under `env -i` with exactly what terraform and the provider should
see), prints one line of space-separated numbers on stdout, and never leaves a child running.

  handshake RUNS BIN               provider start -> first stdout line: median min p90 (ms)
  pair RUNS A... -- B...           run A and B alternately in the current directory, each RUNS
                                   times after one warm-up: median_A median_B (ms)
  rss time|poll DIR -- CMD...      run CMD once; the provider processes it starts are wrapped
                                   (see provider.sh) and report into DIR: peak_kib reported started
  schema RUNS BIN                  start BIN, connect to its plain unix socket and call
                                   GetProviderSchema RUNS times on one connection (after one
                                   warm-up call): median min p90 first (ms) and response bytes
"""
import os
import re
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time

HANDSHAKE_TIMEOUT_SECS = 10


def fail(message):
    print("measure.py: " + message, file=sys.stderr)
    sys.exit(1)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def handshake(runs, binary):
    samples = []
    want_cert = bool(os.environ.get("PLUGIN_CLIENT_CERT", "").strip())
    for i in range(runs + 1):  # the first run only warms the page cache
        start = time.perf_counter_ns()
        child = subprocess.Popen(
            [binary], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            line = b""
            if select.select([child.stdout], [], [], HANDSHAKE_TIMEOUT_SECS)[0]:
                line = child.stdout.readline()
            elapsed = time.perf_counter_ns() - start
        finally:
            child.kill()
            _, err = child.communicate()
        fields = line.rstrip(b"\n").split(b"|")
        if len(fields) < 5 or fields[:2] != [b"1", b"6"]:
            fail("no handshake line from %s: stdout %r, stderr %r" % (binary, line, err[-2000:]))
        if want_cert and (len(fields) < 6 or not fields[5]):
            fail("PLUGIN_CLIENT_CERT was set but the handshake offers no server certificate")
        if i > 0:
            samples.append(elapsed / 1e6)
    print("%.2f %.2f %.2f" % (statistics.median(samples), min(samples), percentile(samples, 90)))


def run_once(argv):
    start = time.perf_counter_ns()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if done.returncode != 0:
        fail(
            "`%s` exited %d\n--- stdout ---\n%s\n--- stderr ---\n%s"
            % (" ".join(argv), done.returncode, done.stdout.decode(errors="replace")[-4000:],
               done.stderr.decode(errors="replace")[-4000:])
        )
    return elapsed


def pair(runs, a, b):
    run_once(a)
    run_once(b)
    times_a, times_b = [], []
    for _ in range(runs):  # alternate, so both see the same machine noise
        times_a.append(run_once(a))
        times_b.append(run_once(b))
    print("%.1f %.1f" % (statistics.median(times_a), statistics.median(times_b)))


def vm_hwm_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def read_pids(path):
    try:
        with open(path) as f:
            return [int(p) for p in f.read().split()]
    except (OSError, ValueError):
        return []


def rss(mode, report_dir, argv):
    peaks = {}
    stop = threading.Event()
    pid_file = os.path.join(report_dir, "pids")

    def poll():
        # VmHWM is the process's own high-water mark, so a late sample still sees an early
        # peak; only growth in the last interval before exit can be missed.
        while not stop.is_set():
            for pid in read_pids(pid_file):
                hwm = vm_hwm_kib(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
            time.sleep(0.002)

    poller = threading.Thread(target=poll, daemon=True)
    if mode == "poll":
        poller.start()
    try:
        run_once(argv)
    finally:
        stop.set()
        if mode == "poll":
            poller.join()
    started = len(read_pids(pid_file))
    if mode == "time":
        for name in os.listdir(report_dir):
            if not name.startswith("rss."):
                continue
            with open(os.path.join(report_dir, name)) as report:
                found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
            if found:
                peaks[name] = int(found.group(1))
    if not peaks:
        fail("no provider process reported its memory (started: %d)" % started)
    print("%d %d %d" % (max(peaks.values()), len(peaks), started))


# ---- GetProviderSchema over HTTP/2 (no gRPC library: a handful of frames by hand) ----------
# The provider serves plain HTTP/2 on a unix socket when no client certificate is offered. One
# unary call is a HEADERS frame (HPACK literals, no Huffman, no dynamic table) and a DATA frame
# holding the 5-byte gRPC prefix of the empty request; the answer is DATA frames and a trailing
# HEADERS frame with END_STREAM. Windows are opened wide up front so a large schema never waits
# on flow control.

H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
MAX_WINDOW = 2**31 - 1


def h2_frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", kind, flags, stream) + payload


def hpack_literal(name, value):
    # "Literal header field without indexing, new name"; both strings short, no Huffman.
    assert len(name) < 127 and len(value) < 127
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            fail("the provider closed the connection")
        buf += chunk
    return buf


def grpc_call(sock, stream, path):
    """One unary call with an empty request; returns (elapsed_ms, response_bytes)."""
    block = b"".join(
        hpack_literal(n, v)
        for n, v in [
            (b":method", b"POST"),
            (b":scheme", b"http"),
            (b":path", path),
            (b":authority", b"localhost"),
            (b"content-type", b"application/grpc"),
            (b"te", b"trailers"),
        ]
    )
    start = time.perf_counter_ns()
    sock.sendall(
        h2_frame(HEADERS, END_HEADERS, stream, block)
        + h2_frame(DATA, END_STREAM, stream, b"\x00\x00\x00\x00\x00")
    )
    received = 0
    while True:
        length, kind, flags, sid = struct.unpack(">IBBI", b"\x00" + read_exact(sock, 9))
        payload = read_exact(sock, length) if length else b""
        sid &= 0x7FFFFFFF
        if kind == SETTINGS and not flags & ACK:
            sock.sendall(h2_frame(SETTINGS, ACK, 0))
        elif kind == PING and not flags & ACK:
            sock.sendall(h2_frame(PING, ACK, 0, payload))
        elif kind in (RST_STREAM, GOAWAY):
            fail("the provider reset the call (frame type %d): %r" % (kind, payload))
        elif sid == stream and kind == DATA:
            received += length
        if sid == stream and kind in (DATA, HEADERS) and flags & END_STREAM:
            return (time.perf_counter_ns() - start) / 1e6, received


def schema(runs, binary):
    child = subprocess.Popen(
        [binary], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        line = b""
        if select.select([child.stdout], [], [], HANDSHAKE_TIMEOUT_SECS)[0]:
            line = child.stdout.readline()
        fields = line.rstrip(b"\n").split(b"|")
        if len(fields) < 5 or fields[2] != b"unix" or fields[4] != b"grpc":
            fail("expected a plain unix-socket handshake, got %r" % line)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(HANDSHAKE_TIMEOUT_SECS)
        sock.connect(fields[3].decode())
        sock.sendall(
            H2_PREFACE
            + h2_frame(SETTINGS, 0, 0, struct.pack(">HI", 0x4, MAX_WINDOW))
            + h2_frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", MAX_WINDOW - 65535))
        )
        path = b"/tfplugin6.Provider/GetProviderSchema"
        first, size = grpc_call(sock, 1, path)
        if size < 1000:
            fail("GetProviderSchema answered %d bytes; expected a schema" % size)
        samples = [grpc_call(sock, 3 + 2 * i, path)[0] for i in range(runs)]
        sock.close()
    finally:
        child.kill()
        child.communicate()
    print("%.3f %.3f %.3f %.3f %d" % (statistics.median(samples), min(samples),
                                      percentile(samples, 90), first, size))


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    command, rest = argv[1], argv[2:]
    if command == "handshake" and len(rest) == 2:
        handshake(int(rest[0]), rest[1])
    elif command == "pair" and "--" in rest:
        cut = rest.index("--")
        pair(int(rest[0]), rest[1:cut], rest[cut + 1:])
    elif command == "schema" and len(rest) == 2:
        schema(int(rest[0]), rest[1])
    elif command == "rss" and len(rest) >= 4 and rest[2] == "--" and rest[0] in ("time", "poll"):
        rss(rest[0], rest[1], rest[3:])
    else:
        fail("bad arguments %r\n%s" % (argv[1:], __doc__))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main(sys.argv)

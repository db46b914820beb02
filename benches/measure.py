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
"""
import os
import re
import select
import signal
import statistics
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


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    command, rest = argv[1], argv[2:]
    if command == "handshake" and len(rest) == 2:
        handshake(int(rest[0]), rest[1])
    elif command == "pair" and "--" in rest:
        cut = rest.index("--")
        pair(int(rest[0]), rest[1:cut], rest[cut + 1:])
    elif command == "rss" and len(rest) >= 4 and rest[2] == "--" and rest[0] in ("time", "poll"):
        rss(rest[0], rest[1], rest[3:])
    else:
        fail("bad arguments %r\n%s" % (argv[1:], __doc__))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main(sys.argv)

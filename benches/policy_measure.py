"""Timing and peak memory of one command, for benches/policy.sh.

Usage: python3 benches/policy_measure.py RUNS -- CMD...

Runs CMD RUNS times after one warm-up run (which fills the page cache; none when RUNS is 1, for
tools that take minutes), stdout to /dev/null,
and prints `median_ms min_ms peak_kib exit_code`. Peak RSS is the largest resident set of the
process and of the children it waited for (a tool that forks workers is charged for its biggest
one), as GNU time reports it. A child forked straight from Python would be charged for Python's
own pages (Linux keeps the pre-exec high-water mark), so the command runs under GNU time, whose
own footprint (~2 MiB) is the floor; without GNU time, wait4(2) is used and says so on stderr.
"""
import os
import shutil
import statistics
import tempfile
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--" or not sys.argv[1].isdigit():
        sys.exit("usage: policy_measure.py RUNS -- CMD...")
    runs = max(1, int(sys.argv[1]))
    command = sys.argv[3:]
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    if not gnu_time:
        print("policy_measure.py: no GNU time; peak RSS includes Python's", file=sys.stderr)
    samples, peak, code = [], 0, 0
    with open(os.devnull, "wb") as devnull, tempfile.NamedTemporaryFile("r") as report:
        wrapped = [gnu_time, "-f", "%M %x", "-o", report.name, *command] if gnu_time else command
        warm_up = 1 if runs > 1 else 0
        for i in range(runs + warm_up):
            start = time.perf_counter()
            child = subprocess.Popen(wrapped, stdout=devnull, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(child.pid, 0)
            elapsed = (time.perf_counter() - start) * 1000.0
            stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
            child.stderr.close()
            kib, code = usage.ru_maxrss, os.waitstatus_to_exitcode(status)
            if gnu_time:
                report.seek(0)
                fields = report.read().split()
                kib, code = int(fields[-2]), int(fields[-1])
            if code not in (0, 1):  # 1: findings, the expected verdict on these plans
                sys.exit(f"{command[0]} exited {code}: {stderr.strip()[-2000:]}")
            if i < warm_up:
                continue
            samples.append(elapsed)
            peak = max(peak, kib)
    print(f"{statistics.median(samples):.1f} {min(samples):.1f} {peak} {code}")


if __name__ == "__main__":
    main()

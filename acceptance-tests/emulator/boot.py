"""Starts moto's server, with dbrail's emulator extensions, for one acceptance test.

Binds 127.0.0.1 on a port the kernel picks (no race between choosing a port and binding it),
reports that port on stdout, and exits as soon as stdin closes: stdin is a pipe held by the test
process, so the emulator cannot outlive it, even when that process is killed outright.
"""
import os
import sys

try:
    from moto.server import ThreadedMotoServer

    # This directory: what moto lacks or gets wrong, each module's docstring says what.
    import rds_cluster_modify
    import rds_engine_versions
    import rds_instance_monitoring
    import rds_parameter_reset
    import backup_selections

    rds_parameter_reset.install()
    rds_instance_monitoring.install()
    rds_cluster_modify.install()
    rds_engine_versions.install()
    backup_selections.install()
except Exception as exc:  # ImportError, or a broken install
    print("DBRAIL_EMULATOR_MISSING %r" % (exc,), flush=True)
    sys.exit(3)

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
port = server.get_host_and_port()[1]
os.environ["MOTO_PORT"] = str(port)
print("DBRAIL_EMULATOR_PORT %d" % port, flush=True)

try:
    while sys.stdin.buffer.read(4096):
        pass
finally:
    os._exit(0)

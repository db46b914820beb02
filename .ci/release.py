#!/usr/bin/env python3
"""Packages a dbrail release: provider archives, checksums, manifest, mirror and modules.

Why a script of its own: the same packaging runs in `make release`, in the pipeline's
`package` job and in the acceptance test that installs the result with a plain
`terraform init`, so the test proves exactly what users download. It uses the standard
library only (zipfile, tarfile, hashlib) and writes byte-identical output for the same
inputs: fixed timestamps (SOURCE_DATE_EPOCH when set), fixed owners and modes, sorted
entries, gzip without a name or time.

Binaries come from `--binary OS_ARCH=PATH` (repeatable; the test hands it a debug build);
without any, the script builds the provider with cargo for every Terraform platform whose
Rust target is installed, and prints a note for the others.

Output in OUT (default `dist/`), for version V:
  terraform-provider-dbrail_V_OS_ARCH.zip     binary `terraform-provider-dbrail_vV` inside
  terraform-provider-dbrail_V_manifest.json   registry manifest: protocol_versions ["6.0"]
  terraform-provider-dbrail_V_SHA256SUMS      the zips and the manifest
  terraform-provider-dbrail_V_SHA256SUMS.sig  detached binary signature (GPG_KEY_ID set)
  terraform-provider-dbrail_V_signing-key.asc that key's public half (GPG_KEY_ID set)
  terraform-provider-dbrail_V_mirror.tar.gz   packed filesystem-mirror layout
                                              (HOSTNAME/NAMESPACE/TYPE/<zip>), plus the
                                              network-mirror index files beside the zips
  dbrail-module-NAME_V.tgz                    one per directory under modules/
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

HOSTNAME = "registry.terraform.io"
NAMESPACE = "dbrail"
TYPE = "dbrail"
NAME = f"terraform-provider-{TYPE}"
PACKAGE = NAME  # the cargo package and binary name
PROTOCOL_VERSIONS = ["6.0"]
# Terraform platform -> Rust target triple.
PLATFORMS = {
    "linux_amd64": "x86_64-unknown-linux-gnu",
    "linux_arm64": "aarch64-unknown-linux-gnu",
    "darwin_amd64": "x86_64-apple-darwin",
    "darwin_arm64": "aarch64-apple-darwin",
}
SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
MODULE_SKIP = {".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup"}
ROOT = Path(__file__).resolve().parent.parent


class ReleaseError(Exception):
    """A problem the caller can fix; printed without a traceback."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Package a dbrail release into dist/.")
    parser.add_argument("version", help="release version, x.y.z (a leading v is dropped)")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output directory")
    parser.add_argument(
        "--binary",
        action="append",
        default=[],
        metavar="OS_ARCH=PATH",
        help="use this prebuilt provider binary for the platform instead of building",
    )
    parser.add_argument("--modules", default=str(ROOT / "modules"), help="modules directory")
    parser.add_argument("--profile", default="release", help="cargo profile when building")
    args = parser.parse_args(argv)
    try:
        release(args)
    except ReleaseError as e:
        print(f"release: {e}", file=sys.stderr)
        return 2
    return 0


def release(args: argparse.Namespace) -> None:
    version = args.version.removeprefix("v")
    if not SEMVER.match(version):
        raise ReleaseError(f"version {args.version!r} is not semantic (x.y.z)")
    binaries = parse_binaries(args.binary) if args.binary else build_all(args.profile, version)
    if not binaries:
        raise ReleaseError("no platform could be built; install a Rust target (rustup target add)")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{NAME}_{version}_*"):
        stale.unlink()
    epoch = source_date_epoch()

    zips: dict[str, Path] = {}
    for platform, binary in sorted(binaries.items()):
        path = out / f"{NAME}_{version}_{platform}.zip"
        path.write_bytes(provider_zip(binary, version, epoch))
        zips[platform] = path
        print(f"  {path.name}")

    manifest = out / f"{NAME}_{version}_manifest.json"
    manifest.write_text(
        json.dumps({"version": 1, "metadata": {"protocol_versions": PROTOCOL_VERSIONS}}, indent=2)
        + "\n"
    )
    print(f"  {manifest.name}")

    sums = out / f"{NAME}_{version}_SHA256SUMS"
    sums.write_text(
        "".join(f"{sha256(p)}  {p.name}\n" for p in sorted([*zips.values(), manifest]))
    )
    print(f"  {sums.name}")
    sign(sums, version)

    mirror = out / f"{NAME}_{version}_mirror.tar.gz"
    mirror.write_bytes(mirror_tarball(zips, version, epoch))
    print(f"  {mirror.name}")

    modules = Path(args.modules)
    for module in sorted(p for p in modules.glob("*") if p.is_dir()) if modules.is_dir() else []:
        if not any(module.glob("*.tf")):
            continue
        archive = out / f"dbrail-module-{module.name}_{version}.tgz"
        archive.write_bytes(module_tarball(module, epoch))
        print(f"  {archive.name}")


def parse_binaries(specs: list[str]) -> dict[str, Path]:
    binaries = {}
    for spec in specs:
        platform, sep, path = spec.partition("=")
        if not sep or platform not in PLATFORMS:
            raise ReleaseError(f"--binary {spec!r}: expected OS_ARCH=PATH, OS_ARCH one of {sorted(PLATFORMS)}")
        binary = Path(path)
        if not binary.is_file():
            raise ReleaseError(f"--binary {spec!r}: {binary} is not a file")
        binaries[platform] = binary
    return binaries


def build_all(profile: str, version: str) -> dict[str, Path]:
    """Builds the provider for every platform whose Rust target is installed."""
    crate_version = workspace_version()
    if crate_version != version:
        print(
            f"note: packaging version {version} while the workspace says {crate_version}; "
            "the binary reports the workspace version"
        )
    installed = set(run(["rustup", "target", "list", "--installed"]).split())
    host = host_triple()
    binaries = {}
    for platform, triple in PLATFORMS.items():
        if triple not in installed:
            print(f"note: skipping {platform}: Rust target {triple} is not installed "
                  f"(rustup target add {triple}; cross-linking may need a toolchain too)")
            continue
        cmd = ["cargo", "build", "--workspace", "--bins", "--profile", profile]
        if triple != host:
            cmd += ["--target", triple]
        print(f"building {platform}: {' '.join(cmd)}", flush=True)
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            print(f"note: skipping {platform}: the build failed (a cross linker may be missing)")
            continue
        target_dir = Path(json.loads(run(["cargo", "metadata", "--format-version", "1", "--no-deps"]))["target_directory"])
        profile_dir = "debug" if profile == "dev" else profile
        built = target_dir / (triple if triple != host else "") / profile_dir / PACKAGE
        binaries[platform] = built
    return binaries


def provider_zip(binary: Path, version: str, epoch: int) -> bytes:
    """The provider archive: one executable, named as Terraform expects."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        info = zipfile.ZipInfo(f"{NAME}_v{version}", date_time=zip_time(epoch))
        info.external_attr = (0o100755 << 16)
        info.create_system = 3  # Unix, so the mode bits are honoured
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, binary.read_bytes())
    return buffer.getvalue()


def mirror_tarball(zips: dict[str, Path], version: str, epoch: int) -> bytes:
    """Terraform's packed filesystem-mirror layout, plus network-mirror index files.

    `terraform init` with a filesystem_mirror reads HOSTNAME/NAMESPACE/TYPE/*.zip and
    ignores the .json files; served over HTTPS, the same tree answers the provider network
    mirror protocol (index.json lists versions, VERSION.json the archives and their hashes).
    """
    base = f"{HOSTNAME}/{NAMESPACE}/{TYPE}"
    archives = {
        platform: {"url": path.name, "hashes": [h1_hash(path), f"zh:{sha256(path)}"]}
        for platform, path in sorted(zips.items())
    }
    entries: list[tuple[str, bytes, int]] = [
        (f"{base}/index.json", json_bytes({"versions": {version: {}}}), 0o644),
        (f"{base}/{version}.json", json_bytes({"archives": archives}), 0o644),
    ]
    entries += [(f"{base}/{path.name}", path.read_bytes(), 0o644) for path in zips.values()]
    return tarball(sorted(entries), epoch)


def module_tarball(module: Path, epoch: int) -> bytes:
    """A module's files at the archive's root, as module registries expect."""
    entries = []
    for path in sorted(module.rglob("*")):
        rel = path.relative_to(module)
        if path.is_dir() or any(part in MODULE_SKIP or part.endswith(".tfstate") for part in rel.parts):
            continue
        entries.append((rel.as_posix(), path.read_bytes(), 0o644))
    return tarball(entries, epoch)


def tarball(entries: list[tuple[str, bytes, int]], epoch: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        dirs: set[str] = set()
        for name, data, mode in entries:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    tar.addfile(tar_info(d, tarfile.DIRTYPE, 0o755, 0, epoch))
            tar.addfile(tar_info(name, tarfile.REGTYPE, mode, len(data), epoch), io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


def tar_info(name: str, kind: bytes, mode: int, size: int, epoch: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def sign(sums: Path, version: str) -> None:
    """Detached binary signature of the checksums, as provider registries serve it."""
    key = os.environ.get("GPG_KEY_ID", "").strip()
    if not key:
        print("note: GPG_KEY_ID is not set; the checksums are not signed")
        return
    if shutil.which("gpg") is None:
        raise ReleaseError("GPG_KEY_ID is set but gpg is not installed")
    sig = sums.with_name(sums.name + ".sig")
    run(["gpg", "--batch", "--yes", "--local-user", key, "--output", str(sig), "--detach-sign", str(sums)])
    public = sums.with_name(f"{NAME}_{version}_signing-key.asc")
    public.write_text(run(["gpg", "--batch", "--armor", "--export", key]))
    print(f"  {sig.name}\n  {public.name}")


def h1_hash(zip_path: Path) -> str:
    """Terraform's `h1:` package hash: Go's dirhash Hash1 over the archive's contents."""
    lines = []
    with zipfile.ZipFile(zip_path) as z:
        for name in sorted(i.filename for i in z.infolist() if not i.is_dir()):
            lines.append(f"{hashlib.sha256(z.read(name)).hexdigest()}  {name}\n")
    summary = hashlib.sha256("".join(lines).encode()).digest()
    return "h1:" + base64.b64encode(summary).decode()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def json_bytes(value: object) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True) + "\n").encode()


def source_date_epoch() -> int:
    # 1980-01-01, the earliest time a zip entry can hold, unless the caller says otherwise.
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else 315532800


def zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    import time

    t = time.gmtime(max(epoch, 315532800))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def workspace_version() -> str:
    with open(ROOT / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def host_triple() -> str:
    for line in run(["rustc", "-vV"]).splitlines():
        if line.startswith("host: "):
            return line.removeprefix("host: ").strip()
    raise ReleaseError("rustc -vV did not name the host triple")


def run(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise ReleaseError(f"`{cmd[0]}` is not installed") from None
    if done.returncode != 0:
        raise ReleaseError(f"`{' '.join(cmd)}` failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

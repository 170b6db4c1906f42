#!/usr/bin/python3
"""Checks what `make release` put in dist/: every artifact is there, SHA256SUMS lists exactly them
and verifies, the tarball holds the static programs (which run and name this version) with the
licence and notices, the .deb is this version, the images archive holds both images tagged with
it, each with its program, the licence and the notices inside, and dist/ is ignored by git. Exit 0 when all hold; otherwise each failure on stderr."""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PROGRAMS = ("ringlb", "ringlb-server", "ringlb-load")
DOCS = ("LICENSE", "NOTICE", "THIRD_PARTY_NOTICES", "CHANGELOG.md", "README.md")


def run(*args, cwd=None):
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd)


def check_checksums(dist, expected, problems):
    present = sorted(name for name in os.listdir(dist) if name != "SHA256SUMS")
    if present != sorted(expected):
        problems.append(f"dist/ holds {present}, expected {sorted(expected)}")
    with open(os.path.join(dist, "SHA256SUMS")) as sums:
        listed = sorted(line.split()[1] for line in sums if line.strip())
    if listed != sorted(expected):
        problems.append(f"SHA256SUMS lists {listed}, expected {sorted(expected)}")
    result = run("sha256sum", "--check", "--strict", "SHA256SUMS", cwd=dist)
    if result.returncode != 0:
        problems.append(f"sha256sum --check failed:\n{result.stdout}{result.stderr}")


def check_tarball(path, top, version, problems):
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(path) as tar:
            names = set(tar.getnames())
            for member in tar.getmembers():
                if member.uid != 0 or member.gid != 0:
                    problems.append(f"{member.name} is not owned by root in the tarball")
            # Our own archive; the "data" filter exists from Python 3.11.4 (bookworm has 3.11.2).
            extract = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(scratch, **extract)
        for name in [f"bin/{p}" for p in PROGRAMS] + list(DOCS):
            if f"{top}/{name}" not in names:
                problems.append(f"{os.path.basename(path)} lacks {top}/{name}")
        for program in PROGRAMS:
            binary = os.path.join(scratch, top, "bin", program)
            out = run(binary, "--version").stdout.splitlines()
            if out[:1] != [f"{program} {version}"] or "build type Release" not in out:
                problems.append(f"{program} --version says {out}")
            if "Requesting program interpreter" in run("readelf", "-l", binary).stdout:
                problems.append(f"{program} in the tarball is not statically linked")


def check_deb(path, version, problems):
    fields = run("dpkg-deb", "-f", path, "Package", "Version").stdout
    if fields != f"Package: ringlb\nVersion: {version}\n":
        problems.append(f"{os.path.basename(path)} says {fields!r}")
    contents = run("dpkg-deb", "-c", path).stdout
    for name in ("./usr/share/doc/ringlb/THIRD_PARTY_NOTICES", "./usr/share/doc/ringlb/LICENSE"):
        if name not in contents:
            problems.append(f"{os.path.basename(path)} lacks {name}")


def image_files(tar, layers):
    """The file names in an image, from its layers in the `docker save` archive."""
    names = set()
    for layer in layers:
        with tarfile.open(fileobj=tar.extractfile(layer)) as layer_tar:
            names.update(name.lstrip("./") for name in layer_tar.getnames())
    return names


def check_images(path, version, problems):
    name = os.path.basename(path)
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        by_tag = {tag: image for image in manifest for tag in image.get("RepoTags") or []}
        for program in ("ringlb", "ringlb-server"):
            image = by_tag.get(f"{program}:{version}")
            if image is None:
                problems.append(f"{name} lacks the image {program}:{version} (has {sorted(by_tag)})")
                continue
            files = image_files(tar, image["Layers"])
            wanted = [program] + [f"usr/share/doc/ringlb/{doc}" for doc in ("LICENSE", "NOTICE",
                                                                            "THIRD_PARTY_NOTICES")]
            for file in wanted:
                if file not in files:
                    problems.append(f"the image {program}:{version} in {name} lacks /{file}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", default="dist")
    parser.add_argument("--version", required=True)
    parser.add_argument("--arch", default="amd64")
    args = parser.parse_args()
    static_top = f"ringlb-{args.version}-linux-{args.arch}-static"
    deb = f"ringlb_{args.version}_{args.arch}.deb"
    tarball = f"{static_top}.tar.gz"
    images = f"ringlb-images-{args.version}.tar.gz"
    problems = []
    check_checksums(args.dist, [deb, tarball, images], problems)
    check_tarball(os.path.join(args.dist, tarball), static_top, args.version, problems)
    check_deb(os.path.join(args.dist, deb), args.version, problems)
    check_images(os.path.join(args.dist, images), args.version, problems)
    if run("git", "check-ignore", "-q", args.dist).returncode != 0:
        problems.append(f"{args.dist}/ is not ignored by git")
    for problem in problems:
        print(f"release-check: {problem}", file=sys.stderr)
    if not problems:
        for name in sorted(os.listdir(args.dist)):
            print(f"{os.path.getsize(os.path.join(args.dist, name)):>12}  {name}")
        print("release-check: every artifact is there and verifies")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

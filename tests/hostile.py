"""A generator of hostile notes folders: every kind of mess a real notes folder can hold."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["HostileCorpus", "make_hostile", "snapshot"]

GOOD_NOTE = "# SQS\n\n- SNS pushes messages to SQS queues.\n- Lambda polls SQS for work.\n"


@dataclass
class HostileCorpus:
    """Where the corpus is and which files a build must report as skipped or degraded."""

    root: Path
    skipped: set[str] = field(default_factory=set)
    degraded: set[str] = field(default_factory=set)
    good: set[str] = field(default_factory=set)


def _write(corpus: HostileCorpus, rel: str, data: bytes, kind: str = "good") -> Path:
    path = corpus.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    getattr(corpus, kind).add(rel)
    return path


def make_hostile(
    root: Path, *, big_mb: int = 50, long_line_mb: int = 5, tiny_notes: int = 10_000
) -> HostileCorpus:
    """Fill ``root`` with hostile notes; sizes can be lowered for quick tests."""
    corpus = HostileCorpus(root)
    root.mkdir(parents=True, exist_ok=True)
    _write(corpus, "good.md", GOOD_NOTE.encode())
    _write(corpus, "empty.md", b"")
    _write(corpus, "binary.md", bytes(range(256)) * 64, "skipped")
    _write(
        corpus,
        "invalid-utf8.md",
        b"# S3\n\nCaf\xe9 notes \x80 about S3 and CloudFront.\n",
        "degraded",
    )
    _write(corpus, "utf16-bom.md", "# SNS\n\nSNS fans out to SQS.\n".encode("utf-16"))
    _write(corpus, "utf16-nobom.md", "# SNS\n\nSNS fans out to SQS.\n".encode("utf-16-le"))
    _write(corpus, "crlf.md", GOOD_NOTE.replace("\n", "\r\n").encode())
    _write(corpus, "cr.md", GOOD_NOTE.replace("\n", "\r").encode())
    if big_mb:
        line = b"- S3 stores objects and CloudFront caches them at the edge.\n"
        _write(corpus, "huge.md", line * (big_mb * 1024 * 1024 // len(line) + 1), "skipped")
    if long_line_mb:
        chunk = b"Kinesis Data Streams feeds Lambda. "
        _write(corpus, "long-line.md", chunk * (long_line_mb * 1024 * 1024 // len(chunk)))
    deep = "".join(f"{' ' * i}- level {i} EC2\n" for i in range(2000))
    _write(corpus, "deep.md", deep.encode())
    for i in range(tiny_notes):
        _write(corpus, f"tiny/{i // 1000:02d}/note-{i:05d}.md", f"S3 note {i}\n".encode())
    _write(corpus, "ünïcödé/日本語のノート.md", b"# EC2\n\nEC2 instances use EBS volumes.\n")
    _write(corpus, "x" * 200 + ".md", b"# IAM\n\nIAM roles for EC2.\n")
    (root / "loop").symlink_to(root, target_is_directory=True)
    _write(corpus, ".obsidian/workspace.md", b"not a note")
    corpus.good.discard(".obsidian/workspace.md")
    locked = _write(corpus, "locked.md", b"# KMS\n\nKMS keys.\n")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: then it is simply a good note
        corpus.good.add("locked.md")
    else:
        corpus.good.discard("locked.md")
        corpus.skipped.add("locked.md")
    return corpus


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of every file under ``root`` (symlinks not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode) or not os.access(p, os.R_OK):
                out[str(p.relative_to(root))] = ("", st.st_mtime_ns)
                continue
            out[str(p.relative_to(root))] = (
                hashlib.sha256(p.read_bytes()).hexdigest(),
                st.st_mtime_ns,
            )
        out.update({str(Path(dirpath, d).relative_to(root)) + "/": ("dir", 0) for d in dirnames})
    return out

"""Generated stations are kept under ``var/bench/`` so that repeated runs do not regenerate them.

A file is named by the scale and a fingerprint of everything the data depends on: the
migrations of every app of the portal, the generator and its parts, and the files each part
names as its sources. Change any of them and the next run builds afresh (and removes the stale
file of the same scale). Files are built under a temporary name and renamed when complete, so
an interrupted build leaves nothing that looks usable.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import time
from pathlib import Path

from bench.generator.registry import Part

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE_DIR = ROOT / "var" / "bench"
# Bump to rebuild every cached station even though no source file changed.
GENERATOR_VERSION = "1"


def building_path() -> Path:
    return CACHE_DIR / f"building-{os.getpid()}.sqlite3"


def _fingerprint_files(parts: list[Part]) -> list[Path]:
    from django.apps import apps

    files: set[Path] = set()
    for config in apps.get_app_configs():
        app_dir = Path(config.path)
        if app_dir.is_relative_to(ROOT):
            files.update(app_dir.glob("migrations/*.py"))
    for folder in ("generator", "parts"):
        files.update((ROOT / "bench" / folder).glob("*.py"))
    for item in parts:
        files.add(item.module_file)
        files.update(ROOT / source for source in item.sources)
    return sorted(files)


def fingerprint(parts: list[Part], scale) -> str:
    digest = hashlib.sha256(f"{GENERATOR_VERSION}\n{scale.key}\n".encode())
    for path in _fingerprint_files(parts):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\n")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def station_path(scale, fingerprint_: str) -> Path:
    return CACHE_DIR / f"station-{scale.key}-{fingerprint_}.sqlite3"


def ensure(scale, *, building: Path, rebuild: bool = False, out=None) -> dict:
    """The cached station of ``scale`` (built into ``building``, the file Django is configured
    with, if missing): its path and what the generator recorded about it."""
    from bench.generator.registry import load_parts

    parts = load_parts()
    fingerprint_ = fingerprint(parts, scale)
    path = station_path(scale, fingerprint_)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists() and not rebuild:
        return {**json.loads(meta_path.read_text()), "path": str(path), "cached": True}
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    meta = _build(scale, parts, building=building, out=out)
    meta["fingerprint"] = fingerprint_
    os.replace(building, path)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    for stale in CACHE_DIR.glob(f"station-{scale.key}-*.sqlite3"):
        if stale != path:
            stale.unlink(missing_ok=True)
            stale.with_suffix(".json").unlink(missing_ok=True)
    return {**meta, "path": str(path), "cached": False}


def _build(scale, parts: list[Part], *, building: Path, out) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.generator.world import World

    building.unlink(missing_ok=True)
    logging.disable(logging.WARNING)  # the demo seeder's task and mail logs
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            # The file is thrown away if the build fails, so durability buys nothing here.
            cursor.execute("PRAGMA journal_mode = MEMORY")
            cursor.execute("PRAGMA synchronous = OFF")
        call_command("migrate", verbosity=0, interactive=False)
        world = World(scale, today=timezone.localdate(), out=out)
        world.log(f"building {scale.key} into {building.name}")
        for item in parts:
            with transaction.atomic():
                item.build(world)
            world.log(f"part {item.name!r} done")
        total = sum(world.counts.values())
        world.log(f"{total:,} rows inserted in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        connection.close()
        building.unlink(missing_ok=True)
        raise
    finally:
        logging.disable(logging.NOTSET)
    connection.close()
    return {
        "scale": scale.as_dict(),
        "today": world.today.isoformat(),
        "first_day": world.first_day.isoformat(),
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "parts": [item.name for item in parts],
        "counts": dict(sorted(world.counts.items())),
        **world.meta,
    }

"""The registry of generator parts: each module adds the rows of its own to the station-year.

A part is a function ``build(world)`` registered with ``@part("name", after=(...))``, in a module
of ``bench/parts/``; every module there is imported, so adding ``bench/parts/complaints.py`` is
all it takes. Parts run in an order that respects ``after`` (then by name), each in its own
transaction, and read what earlier parts built from ``world.facts``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.generator.world import World


@dataclass(frozen=True)
class Part:
    name: str
    build: Callable[[World], None]
    after: tuple[str, ...]
    # Files outside bench/ whose content the generated rows depend on (say, a demo seeder the
    # part calls): they go into the cache fingerprint, so a change to them rebuilds the data.
    sources: tuple[str, ...]
    module_file: Path


_PARTS: dict[str, Part] = {}


def part(name: str, *, after: tuple[str, ...] = (), sources: tuple[str, ...] = ()):
    """Register ``build(world)`` as the generator part ``name``, run after the parts ``after``."""

    def register(build: Callable[[World], None]) -> Callable[[World], None]:
        if name in _PARTS and _PARTS[name].build is not build:
            raise ValueError(f"Two generator parts are called {name!r}")
        _PARTS[name] = Part(name, build, tuple(after), tuple(sources), Path(inspect.getfile(build)))
        return build

    return register


def load_parts() -> list[Part]:
    """Every part of ``bench/parts/``, in the order they must run."""
    import bench.parts

    for module in pkgutil.iter_modules(bench.parts.__path__):
        if not module.name.startswith("_"):  # _helpers.py: shared by parts, not a part
            importlib.import_module(f"bench.parts.{module.name}")
    return _ordered(dict(_PARTS))


def _ordered(parts: dict[str, Part]) -> list[Part]:
    for item in parts.values():
        missing = [name for name in item.after if name not in parts]
        if missing:
            raise ValueError(f"Generator part {item.name!r} runs after unknown parts {missing}")
    ordered: list[Part] = []
    done: set[str] = set()
    while len(ordered) < len(parts):
        ready = sorted(name for name, item in parts.items() if name not in done and set(item.after) <= done)
        if not ready:
            cycle = sorted(set(parts) - done)
            raise ValueError(f"Generator parts wait for each other: {cycle}")
        ordered.append(parts[ready[0]])
        done.add(ready[0])
    return ordered

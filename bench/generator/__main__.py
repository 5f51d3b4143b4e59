"""Build (or find in the cache) a generated station; print where it is.

    .venv/bin/python -m bench.generator --rows 2000                 # 2,000 penalties, 1,000 staff
    .venv/bin/python -m bench.generator --rows 200000 --staff 1000
    .venv/bin/python -m bench.generator --rows 2000 --staff 200000  # the "200,000 staff" case
    .venv/bin/python -m bench.generator --rows 2000 --rebuild       # ignore the cache

The last line of output is a JSON object: the SQLite file and what is in it (``--json`` prints
only that). Open the portal on it with
``DATABASE_URL=sqlite:///<file> .venv/bin/python manage.py runserver`` (demo logins work).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generator", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2_000, help="penalties (default 2,000)")
    parser.add_argument("--staff", type=int, default=1_000, help="staff on the roster (default 1,000)")
    parser.add_argument("--teams", type=int, default=50, help="teams (default 50)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="build again even if the cache has it")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)

    from bench.generator import cache

    building = cache.building_path()
    # Before Django reads its settings: the file being built, whatever DATABASE_URL says.
    os.environ["DATABASE_URL"] = f"sqlite:///{building}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tollservice.settings.test"
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.INFO)  # django-axes greets every process that starts Django
    warnings.filterwarnings("ignore", "No directory at")  # whitenoise: no collectstatic needed here
    import django

    django.setup()
    from bench.generator.world import Scale

    scale = Scale(rows=args.rows, staff=args.staff, teams=args.teams, seed=args.seed)
    out = open(os.devnull, "w") if args.json else sys.stderr  # noqa: SIM115 - lives as long as the process
    info = cache.ensure(scale, building=building, rebuild=args.rebuild, out=out)
    print(json.dumps(info, ensure_ascii=False))


if __name__ == "__main__":
    main()

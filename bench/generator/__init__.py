"""One generator for a large station-year, which every module extends with its own rows.

- ``Scale`` says how big (penalties, staff, teams, seed); ``World`` is what a part is given.
- ``part`` registers a module's builder: put ``bench/parts/<module>.py`` next to the others::

      from bench.generator import World, part

      @part("complaints", after=("roster",))
      def build(world: World) -> None:
          roster = world.facts["roster"]
          world.insert(Complaint(...) for ... in range(world.scaled(0.5)))

- ``python -m bench.generator --rows N`` builds (or finds in ``var/bench/``) a station and prints
  its SQLite file; ``make bench`` measures the portal on such files.
"""

from bench.generator.registry import Part, load_parts, part
from bench.generator.world import Scale, World

__all__ = ["Part", "Scale", "World", "load_parts", "part"]

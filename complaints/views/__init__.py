"""The complaints pages: ``public`` (drivers, no account), ``lists``, ``detail``, ``intake``,
``steps`` (one form per step on a complaint) and ``office`` (posters, figures, settings, CMP-10)."""

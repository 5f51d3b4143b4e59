"""The complaints forms: ``public`` (drivers) and ``staff``."""

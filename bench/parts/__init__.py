"""Generator parts: one module per portal module, each registering ``@part(...)`` builders.

Every module here is imported by ``bench.generator.load_parts`` (except those whose name starts
with an underscore, which hold helpers the parts share). See ``bench/generator/__init__.py``.
"""

"""The Great Expectations suites as package data: shipped in the wheel as ``etl.expectations``
(pyproject.toml), read with importlib.resources (etl/quality/suites.py). Only the JSON files
here are suites."""

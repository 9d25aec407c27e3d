"""The table schemas as package data: shipped in the wheel as ``etl.schemas`` (pyproject.toml),
read with importlib.resources (etl/tables/write.py). Only the JSON files here are data."""

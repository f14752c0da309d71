"""Operator-editable configuration: typed settings from the environment plus TOML files."""
from config.settings import Settings

__all__ = ["Settings"]

"""Built-in stages, one module each, with helper modules named after the stage they serve
(`events_*`, `attribution_*`); importing this package registers every stage (each stage module
calls pipeline.register_stage, exactly as a third-party stage would)."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__: list[str] = []

"""Built-in stages, one module each; importing this package registers every one of them
(each module calls pipeline.register_stage, exactly as a third-party stage would)."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__: list[str] = []

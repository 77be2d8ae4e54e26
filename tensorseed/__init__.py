"""tensorseed: reproducible neural-network weight initialization. Same recipe, same bytes, everywhere.

The library's face (see docs/library.md)::

    import tensorseed

    arrays = tensorseed.generate(recipe)         # {name: numpy array}
    tensorseed.save(recipe, "init.safetensors")  # the file POST /v1/weights serves
    tensorseed.stats(recipe)                     # what POST /v1/stats answers
    tensorseed.propagation(request)              # what POST /v1/propagation answers

    import tensorseed.torch                      # needs torch (pip install 'tensorseed[torch]')
    recipe = tensorseed.torch.init_(model, seed=0)

Names are loaded on first use, so ``import tensorseed`` (and the CLI) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tensorseed.analysis.library import compare_initializations, propagation
    from tensorseed.api import generate, plan, save, stats
    from tensorseed.recipe.errors import LimitExceeded, RecipeError
    from tensorseed.recipe.models import Recipe
    from tensorseed.recipe.plan import Limits
    from tensorseed.recipe.validation import InvalidRecipe, parse_recipe

#: Public name -> the module that defines it.
_EXPORTS = {
    "generate": "tensorseed.api",
    "save": "tensorseed.api",
    "stats": "tensorseed.api",
    "plan": "tensorseed.api",
    "parse_recipe": "tensorseed.recipe.validation",
    "InvalidRecipe": "tensorseed.recipe.validation",
    "RecipeError": "tensorseed.recipe.errors",
    "LimitExceeded": "tensorseed.recipe.errors",
    "Recipe": "tensorseed.recipe.models",
    "Limits": "tensorseed.recipe.plan",
    "propagation": "tensorseed.analysis.library",
    "compare_initializations": "tensorseed.analysis.library",
}

__all__ = [
    "InvalidRecipe",
    "LimitExceeded",
    "Limits",
    "Recipe",
    "RecipeError",
    "__version__",
    "compare_initializations",
    "generate",
    "parse_recipe",
    "plan",
    "propagation",
    "save",
    "stats",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tensorseed' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

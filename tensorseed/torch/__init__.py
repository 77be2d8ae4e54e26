"""tensorseed for PyTorch: the recipe of a module, and in-place, shard-local initialization.

    import tensorseed.torch

    model = MyModel()
    recipe = tensorseed.torch.init_(model, seed=42)         # every parameter and buffer, in place
    recipe = tensorseed.torch.recipe_from_module(model, seed=42)  # the recipe alone (JSON data)

    with torch.device("meta"):
        model = MyModel()
    fully_shard(model)                                       # FSDP2: DTensor parameters
    tensorseed.torch.init_(model, seed=42, device="cuda")   # each rank fills only its shard

The bytes are those of the recipe's safetensors file, whatever the device or sharding.
See docs/library.md. Needs torch (``pip install 'tensorseed[torch]'``).
"""

from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.validation import InvalidRecipe
from tensorseed.torch.fill import fill_module, init_
from tensorseed.torch.modules import ModuleNotCovered, known_class, recipe_from_module
from tensorseed.torch.presets import PresetMismatch

__all__ = [
    "InvalidRecipe",
    "ModuleNotCovered",
    "PresetMismatch",
    "RecipeError",
    "fill_module",
    "init_",
    "known_class",
    "recipe_from_module",
]

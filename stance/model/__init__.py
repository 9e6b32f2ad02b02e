"""The two sentence classifiers (stance and frame): settings, learning, scoring, and the model folder.

- ``settings``: the typed, checked settings a model records;
- ``pipeline``: the scikit-learn pipelines that learn, exported as numpy tasks;
- ``linear``: the fitted model as scoring applies it, with numpy alone;
- ``reading`` and ``validate``: a model folder's files read within limits and checked;
- ``folder``: saving a model folder atomically and loading it.
"""

from stance.model.folder import DEFAULT_MODEL, FORMAT_VERSION, load_model, model_folder, save_model, shipped_models
from stance.model.linear import LinearTask, Model
from stance.model.pipeline import build_pipeline, fit_model, linear_task, logistic_regression
from stance.model.reading import ModelError
from stance.model.settings import Settings

__all__ = ["DEFAULT_MODEL", "FORMAT_VERSION", "LinearTask", "Model", "ModelError", "Settings", "build_pipeline",
           "fit_model", "linear_task", "load_model", "logistic_regression", "model_folder", "save_model",
           "shipped_models"]

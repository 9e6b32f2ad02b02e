"""stance: which side each sentence of French coverage of the Musk–OpenAI conflict advances, and through which lens.

The public API:

- ``load_model(folder=None)``: the shipped model, another shipped model by name (``"embeddings"``) or a model
  folder (validated, never runs code);
- ``score_texts({id: text}, model)``: (sentences, profiles) as pandas DataFrames;
- ``profiles(sentences, by="article", rates=model.rates)``: profiles of scored sentences, per article or group.
"""

from stance.model import load_model
from stance.profile import profiles
from stance.scoring import score_texts

__all__ = ["load_model", "profiles", "score_texts"]

"""The golden gate: the shipped model's figures on the dev split of the real datasets.

Rules and hyper-parameters are chosen by grouped cross-validation over train + dev
(``netpatrol.detect.crossval``); the dev split's figures (whole vendors / sellers / ads,
see ``netpatrol.detect.training``) are pinned here so that a change to the lexicons, the
rules or the model that loses quality fails CI. The test split's figures, measured once,
are in docs/model-card.md.
"""

from __future__ import annotations

import pytest
from conftest import SHARED_DATA

from netpatrol.detect.train import evaluate_rows, figures
from netpatrol.detect.training import examples, split_examples

# From `netpatrol train` (2026-11-25, fourth round: the multilingual probe's lexicon gaps
# — counterfeit currency, explosives, leaflets and seizure news, ivory-coloured dresses,
# scale models, parrot and big-cat names, tools — checked by grouped CV; see
# docs/model-card.md; ninth round: order placeholders and medicines' street names, 0.903
# -> 0.906; "chemistry", "demystified", "do-it-yourself" as works, 0.910); a drop of more
# than TOLERANCE fails.
PINNED = {
    "darknet_macro_f1": 0.910,
    "wildlife_f1": 0.946,
    "bat_specimen_recall": 1.0,
}
# Shares of benign rows flagged: all of them, and those holding a category cue (the
# look-alikes: about 140 dev rows, so one row is 0.007). The fourth round's model flags
# 7.1 % of them against the third's 7.5 % (grouped CV: 45 of 598 -> see the model card).
PINNED_FLAGGED = {"benign_flagged": 0.029, "lookalikes_flagged": 0.064}
TOLERANCE = 0.01


def test_dev_split_figures_do_not_regress() -> None:
    if not (SHARED_DATA / "agora-darknet-2014").exists():
        pytest.skip(f"{SHARED_DATA} absent (the shared datasets are not beside this checkout)")
    dev = split_examples(list(examples(SHARED_DATA)))["dev"]
    found = figures(evaluate_rows(None, dev))
    for name, pinned in PINNED.items():
        assert found[name] >= pinned - TOLERANCE, (name, found)
    for name, pinned in PINNED_FLAGGED.items():
        assert found[name] <= pinned + TOLERANCE, (name, found)

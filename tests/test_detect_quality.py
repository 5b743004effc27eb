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

# From `netpatrol train` (2026-11-25, third round: book-shaped titles as look-alikes,
# bird-care and society ads, weapon calibres, swords and self-defence words, strains sold
# by weight, species names linked to a product, chosen by grouped CV — see
# docs/model-card.md); a drop of more than TOLERANCE fails.
PINNED = {
    "darknet_macro_f1": 0.902,
    "wildlife_f1": 0.947,
    "bat_specimen_recall": 1.0,
}
# Shares of benign rows flagged: all of them, and those holding a category cue (the
# look-alikes: 146 dev rows, so one row is 0.007). The third round's model flags 11 of
# them against the second's 9 (model refit on bird ads; grouped CV: 9.9 % -> 7.5 %).
PINNED_FLAGGED = {"benign_flagged": 0.031, "lookalikes_flagged": 0.075}
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

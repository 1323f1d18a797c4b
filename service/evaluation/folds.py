"""Cross-validation folds grouped by question group (a RealTimeQA week, or a hand-written set).

Questions of one week share their news: a model trained on some of them and scored on the others
would be scored on stories it has seen. Every model trained on questions (eval/train_*.py) is
scored on whole held-out groups only, so its figures estimate what unseen weeks will see.
"""

from __future__ import annotations

from collections.abc import Sequence


def fold_of_groups(groups: Sequence[str], folds: int) -> dict[str, int]:
    """Each distinct group's fold, groups dealt round-robin in sorted order (reproducible)."""
    return {group: i % folds for i, group in enumerate(sorted(set(groups)))}

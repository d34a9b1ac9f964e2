"""A minimal valid lesson file, for the tests of the lesson format (test_lessons.py) and of the unseen-seed
counts (test_lessons_seeds.py)."""

from __future__ import annotations


def minimal_lesson(seed: int = 3, extra: str = "") -> str:
    """The text of a one-claim lesson (JSD <= 0.7 at step 10) with train.seed = `seed`; `extra` is appended."""
    return f'''
id = "t"
order = 9
title_en = "T"
title_ru = "Т"
text_en = "watch"
text_ru = "смотрите"
[config]
"train.seed" = {seed}
[config.target]
preset = "two"
[check]
steps = 10
[[check.claims]]
metric = "jsd"
at = 10
max = 0.7
''' + extra

"""The graded result of one rule: a grade and the reason for it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Grade", "most_severe"]


@dataclass(frozen=True)
class Grade:
    """A grade with the reason for it; ``grade`` is None when it could not be assessed."""

    grade: int | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"grade": self.grade, "reason": self.reason}


def most_severe(findings: list[tuple[int, str]], none_text: str) -> Grade:
    """The most severe finding sets the grade (ASTCT: 'the more severe event'); the other
    findings are listed after 'also'. No finding is grade 0, explained by ``none_text``."""
    if not findings:
        return Grade(0, f"grade 0: {none_text}")
    top = max(g for g, _ in findings)
    main = [t for g, t in findings if g == top]
    rest = [t for g, t in findings if g != top]
    text = f"grade {top}: " + "; ".join(main)
    if rest:
        text += "; also " + "; ".join(rest)
    return Grade(top, text)

"""Bar charts drawn in HTML and CSS (templates/includes/bar_chart.html), not SVG.

Each bar is a row of its own: a label, the bar, and its figures in words. So the text takes the
page's font and size at every width, labels never overlap, a phone reflows the rows instead of
shrinking them, and a screen reader reads each row as a sentence. A bar is made of segments
whose widths are whole percentages of the row, drawn by the classes
`.app-chart__segment--w0` to `--w100` (static/scss/_oversight.scss): the Content Security Policy
allows no inline styles.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    kind: str  # a class suffix: "on-time", "late", "response", "finding"
    width: int  # per cent of the row


@dataclass(frozen=True)
class Row:
    label: str
    segments: list[Segment]
    words: str  # the row's figures, as a sentence: what the bar shows


def widths(values: list[int], whole: int) -> list[int]:
    """`values` as whole percentages of `whole`, adding up to the rounded share of the total.

    Largest remainder: 1 of 3 and 2 of 3 are 33 and 67, never 33 and 66 or 34 and 67.
    """
    if whole <= 0:
        return [0] * len(values)
    exact = [100 * value / whole for value in values]
    result = [int(share) for share in exact]
    spare = round(sum(exact)) - sum(result)
    by_remainder = sorted(range(len(values)), key=lambda i: exact[i] - result[i], reverse=True)
    for index in by_remainder[:spare]:
        result[index] += 1
    return result


def row(label: str, parts: list[tuple[str, int]], *, whole: int, words: str) -> Row:
    """A row whose segments (kind, value) take their share of `whole`."""
    shares = widths([value for _, value in parts], whole)
    segments = [Segment(kind, share) for (kind, _), share in zip(parts, shares, strict=True)]
    return Row(label, segments, words)

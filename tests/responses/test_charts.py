"""Bar widths as whole percentages that add up (responses/charts.py)."""

from responses import charts


def test_shares_are_whole_percentages_that_add_up_to_the_rounded_total():
    assert charts.widths([1, 2], 3) == [33, 67]
    assert charts.widths([1, 1, 1], 3) == [34, 33, 33]
    assert charts.widths([2, 0], 2) == [100, 0]
    assert sum(charts.widths([7, 5, 3], 15)) == 100


def test_a_row_against_a_larger_whole_leaves_the_rest_of_the_bar_empty():
    assert charts.widths([1, 1], 8) == [13, 12]
    row = charts.row("7 to 13 Dec", [("response", 1), ("finding", 0)], whole=4, words="1")
    assert [(segment.kind, segment.width) for segment in row.segments] == [
        ("response", 25),
        ("finding", 0),
    ]


def test_nothing_to_draw_draws_nothing():
    assert charts.widths([0, 0], 0) == [0, 0]

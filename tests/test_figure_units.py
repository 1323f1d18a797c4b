"""What a figure counts: "how many paintings" needs a figure of paintings, not the price of one."""

from __future__ import annotations

from service.figure_units import counts


def test_a_count_is_a_figure_of_the_things_asked_about() -> None:
    assert counts("The museum owns three paintings by Marrow.", {"paintings"})
    assert counts("Seven workers were injured, one of them critically.", {"workers"})
    assert counts("The workers who walked out numbered 400.", {"workers"})
    # A price, a day of the month and a year count no paintings.
    assert not counts("A painting valued at 2.3 million dollars was stolen on Sunday, March 1.", {"paintings"})
    assert not counts("The painting, finished in 1911, hung there since 1964.", {"paintings"})
    assert not counts("The painting was taken at 2:10 a.m.", {"paintings"})
    # A rate among the things asked about is no number of them.
    assert not counts("Unemployment among dock workers fell to 4.8% in February.", {"workers"})


def test_a_number_of_times_after_the_act_counts_what_the_act_makes() -> None:
    # Public 20260626_12, "How many amendments in total does the Constitution have?"
    assert counts("The Constitution of the United States has been amended 27 times.", {"amendments"})
    assert not counts("The team visited the city 5 times.", {"amendments"})
    assert not counts("The law was amended in 2020, and 27 people came.", {"amendments"})

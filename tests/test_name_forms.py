"""One name written two ways: the forms support and answerability treat as the same name."""

from __future__ import annotations

from service.name_forms import full_month_names, names_written_otherwise


def test_a_country_named_in_another_form_is_the_same_name() -> None:
    assert names_written_otherwise("The US has spent $25 billion.", "the United States and Israel") == {"us"}
    assert names_written_otherwise("The United States has spent it.", "the U.S. economy") == {"united", "states"}
    assert names_written_otherwise("An American economist died.", "the U.S. economy") == {"american"}
    assert names_written_otherwise("Britain voted.", "the UK government") == {"britain"}


def test_the_pronoun_us_and_unrelated_countries_are_no_form() -> None:
    # "told us" names no country; France is no form of the United States.
    assert names_written_otherwise("The United States agreed.", "The minister told us on Monday.") == set()
    assert names_written_otherwise("France agreed.", "the United States") == set()
    assert names_written_otherwise("The US agreed.", "The French government agreed.") == set()


def test_ap_month_abbreviations_before_a_date_are_the_month() -> None:
    assert full_month_names("born between Jan. 1, 2025, and Dec. 31, 2028") == \
        "born between January 1, 2025, and December 31, 2028"
    assert full_month_names("on Sept. 5 and Feb. 28") == "on September 5 and February 28"
    # Only before a figure: "Jan." ending a sentence about a person named Jan is left alone.
    assert full_month_names("It was signed by Jan. The law ...") == "It was signed by Jan. The law ..."


def test_one_member_and_the_group_are_one_name_but_two_surnames_are_not() -> None:
    assert names_written_otherwise("The Democrat candidate withdrew.", "Swalwell's exit helps Democrats") == {"democrat"}
    assert names_written_otherwise("Israelis marched.", "Israeli troops withdrew") == {"israelis"}
    # "Edwards" is another person than "Edward", "Peters" than "Peter".
    assert names_written_otherwise("Edwards said so.", "Edward said so") == set()
    assert names_written_otherwise("Peter said so.", "Peters said so") == set()

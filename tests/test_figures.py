"""Figures in answers are supported by what the article's text says, never by its date line or URL."""

from __future__ import annotations

import datetime as dt

from service.citations import verify
from service.domain import Chunk, Passage
from service.figures import date_direction, dateline_figures, figures_bound

NORTHGATE = (
    "Northgate city council voted 31 to 12 on Thursday evening to extend the Line 2 tram from Castle Square "
    "to the Ravensfield housing estate. The 6.3-kilometre extension is expected to cost 418 million pounds. "
    "Construction is scheduled to begin in April 2027, with the first passenger services planned for late 2029."
)


def passage(text: str, published: dt.date = dt.date(2026, 11, 20), title: str = "Northgate approves tram extension") -> Passage:
    chunk = Chunk(
        id="n-1-0000", article_id="n", position=0, start=0, end=len(text), text=text, title=title,
        published=published, source="northgate-courier.example",
        url="https://northgate-courier.example/2026/11/20/tram", content_hash="1" * 64,
    )
    return Passage(chunk=chunk, score=1.0)


def test_a_year_found_only_in_the_date_line_and_url_supports_nothing() -> None:
    answer = "Northgate decided to extend the Line 2 tram to Ravensfield, which will be completed by 2026. [1]"
    result = verify(answer, [passage(NORTHGATE)])
    assert result.refused
    assert not result.sentences[0].verified


def test_the_years_the_text_gives_are_supported() -> None:
    answer = "Construction of the Northgate tram extension begins in April 2027 and services start in late 2029. [1]"
    assert verify(answer, [passage(NORTHGATE)]).sentences[0].verified


def test_a_figure_from_a_sentence_about_something_else_is_not_bound() -> None:
    text = "The tower has 40 floors. It opened in 1998 after a decade of planning."
    assert figures_bound("The tower has 40 floors.", [passage(text)])
    assert not figures_bound("The museum received 40 donations last winter.", [passage(text)])


def test_figures_written_with_or_without_thousands_separators_match() -> None:
    text = "About 21,000 passengers will ride the line on an average weekday."
    assert figures_bound("The line will carry 21000 passengers a weekday.", [passage(text)])


def test_the_publication_day_itself_may_be_named() -> None:
    published = dt.date(2026, 11, 20)
    assert dateline_figures("On November 20, 2026, the council voted 31 to 12.", published) == {"20", "2026"}
    assert dateline_figures("It will open by November 2027.", published) == set()
    assert dateline_figures("On 20 November the vote passed.", published) == {"20"}
    answer = "On November 20, 2026, Northgate city council voted 31 to 12 to extend the Line 2 tram. [1]"
    assert verify(answer, [passage(NORTHGATE)]).sentences[0].verified


MARROW = (
    'Police on Thursday recovered "Fog over Tallow Point," the Ines Marrow painting stolen from the Harborview '
    "Maritime Museum on Sunday, from a rented storage unit in Port Solace. Two men, aged 34 and 41, were arrested "
    "on suspicion of burglary and handling stolen goods."
)


def test_figures_joined_by_and_share_what_they_count() -> None:
    # 41's own four words back ("theft are 34 and") share nothing with the passage; the run's do.
    answer = "The two men arrested over the Marrow painting theft are 34 and 41 years old."
    marrow = passage(MARROW, title="Stolen Marrow painting found")
    assert figures_bound(answer, [marrow])
    assert not figures_bound("The museum's theft was 34 and 41 years in the making.", [passage(NORTHGATE)])


WING = "St. Brigid's Hospital unveiled its new 120-bed Harbourlight Wing on Monday, at a cost of $94 million."


def test_a_figure_counts_what_the_passage_says_it_counts() -> None:
    # "how many floors" once got the wing's beds back as floors, verified.
    assert not figures_bound("St. Brigid's Harbourlight Wing has 120 floors.", [passage(WING)])
    assert figures_bound("St. Brigid's Harbourlight Wing has 120 beds.", [passage(WING)])


def test_units_written_another_way_still_bind() -> None:
    assert figures_bound("The Harbourlight Wing cost 94 million dollars.", [passage(WING)])  # "$94 million"
    arrests = passage("Police arrested two men, aged 34 and 41, in Port Solace on Friday.")
    assert figures_bound("The two men arrested are 34 and 41 years old.", [arrests])
    hiring = passage("Lumatek had planned to hire 300 new workers at its Eastmoor plant this year.")
    assert figures_bound("Lumatek planned to hire 300 additional workers at Eastmoor.", [hiring])
    assert not figures_bound("Lumatek planned to hire 300 additional engineers at Eastmoor.", [hiring])
    budget = passage("The council approved a budget of 612 million dollars for the 2026-27 fiscal year.")
    assert figures_bound("The 2026-27 budget totals 612 million dollars.", [budget])



def test_a_clock_time_or_a_percentage_is_no_other_figure() -> None:
    # "6 percent" was verified by "reopen at 6 a.m." in a sentence naming the same company.
    deal = passage("Dockworkers ratified a two-year agreement with Castellan Port Services on Friday, and the "
                   "terminals at Pier Nine will reopen at 6 a.m. on Saturday. Workers will receive a 6.5 percent "
                   "pay rise over two years.")
    assert not figures_bound("Castellan Port Services raised its pay offer to 6 percent.", [deal])
    assert figures_bound("The terminals at Pier Nine will reopen at 6 a.m. on Saturday.", [deal])
    offer = passage("Castellan Port Services raised its offer to a 6% rise over two years.")
    assert figures_bound("Castellan Port Services raised its offer to 6 percent.", [offer])
    assert not figures_bound("Castellan Port Services hired 6 workers.", [offer])

FIRE = (
    "A fire broke out at Lumatek's battery plant in Eastmoor at about 7:15 a.m. on Tuesday, injuring four "
    "workers, the Harborview Fire Department said."
)


def test_a_date_the_model_writes_for_a_named_day_is_supported() -> None:
    # The prompt dates passages as 2026-03-03, and the model turns "on Tuesday" into that date.
    tuesday, wednesday = dt.date(2026, 3, 3), dt.date(2026, 3, 4)
    assert dateline_figures("On Tuesday, 2026-03-03, a fire broke out.", tuesday) == {"2026", "3"}
    assert dateline_figures("On 2026-03-03, a fire broke out.", wednesday, FIRE) == {"2026", "3"}
    assert dateline_figures("On 2026-03-02, a fire broke out.", wednesday, FIRE) == set()
    assert dateline_figures("On March 3, a fire broke out.", wednesday, FIRE) == {"3"}
    answer = "On Tuesday, 2026-03-03, a fire broke out at Lumatek's battery plant in Eastmoor. [1]"
    fire = passage(FIRE, published=wednesday, title="Lumatek fire")
    assert verify(answer, [fire]).sentences[0].verified
    assert not verify(answer.replace("03-03", "03-01"), [fire]).sentences[0].verified


SHIPS = (
    "Mediator Franklin Osei said the two sides had agreed to keep talking. By Thursday afternoon, 19 container "
    "ships were waiting off Harborview, the most since the strike began on Monday."
)


def test_a_figure_is_tied_to_the_day_the_passage_gives_it() -> None:
    thursday = dt.date(2026, 3, 5)
    ships = passage(SHIPS, published=thursday, title="Talks go on")
    assert figures_bound("19 container ships were waiting off Harborview on Thursday.", [ships])
    assert not figures_bound("19 container ships were waiting off Harborview on Monday.", [ships])
    # A sentence that names no day takes it from its neighbours or from its date line.
    backlog = passage("It expects to clear the backlog of 19 waiting ships in about ten days.", published=thursday)
    assert figures_bound("On Thursday, 19 ships were waiting.", [backlog])
    assert not figures_bound("On Monday, 19 ships were waiting.", [backlog])


def test_a_weekday_and_a_date_must_agree_with_the_calendar() -> None:
    match = passage("The match has been moved from Saturday to Sunday, March 8, at 3 p.m.", published=dt.date(2026, 3, 5))
    assert figures_bound("The match will now kick off at 3 p.m. on Sunday, March 8.", [match])
    assert not figures_bound("The match was due to kick off at 3 p.m. on Saturday, March 8.", [match])


FERRY_PLAN = (
    "Harborview will get two new ferries after the city council backed a 46-million-dollar expansion plan on Monday. "
    "Supporters packed the public gallery and applauded when the result was read out.\n\n"
    "The new vessels will replace the two boats now running between Harbour Street and Eastpoint. "
    "Services to Gull Island are due to start in spring 2028.\n\n"
    "According to council documents, the city's preferred builder is Kerrigan Marine, which would construct both "
    "ferries at its yard in Port Solace."
)


def test_a_figure_is_not_given_to_a_name_the_passage_mentions_paragraphs_away() -> None:
    ferry = passage(FERRY_PLAN, title="Council backs ferry expansion")
    assert figures_bound("The council backed a 46 million dollar ferry expansion plan.", [ferry])
    # Every word is in the passage, yet the 46 million is the plan's cost, not anyone's bid.
    assert not figures_bound("Kerrigan Marine bid 46 million dollars for the ferry contract.", [ferry])
    # Who says the figure is the claimant check's to judge, not a name the figure belongs to.
    assert figures_bound("According to Kerrigan Marine, the council backed a 46 million dollar plan.", [ferry])


def test_what_follows_a_figure_and_a_year_may_come_from_the_story_at_large() -> None:
    deal = passage(
        "Dockworkers voted to accept a new pay deal with Castellan Port Services. Work will resume on Saturday. "
        "The agreement gives workers a 6.5 percent pay rise over 2 years. Members of the union ratified it.",
        title="Dockworkers approve deal",
    )
    assert figures_bound("The union ratified a 2-year agreement with Castellan Port Services.", [deal])
    games = passage("Norway won the most medals in these Olympics (37) and a record 16 golds at Beijing 2022.",
                    title="The best photos of the Olympics")
    assert figures_bound("Norway won 37 medals at the Winter Games at Beijing 2022.", [games])


def test_a_figure_belongs_to_a_name_given_before_it_not_after() -> None:
    school = passage(
        "The school board on Tuesday proposed closing Linwood Elementary. The school has 140 pupils in a building "
        "designed for 420. Its pupils would move to Bellamy Park Elementary, 1.6 kilometers away.",
        title="Board proposes closing a school",
    )
    # "The school" of the figure's sentence is the one named before it.
    assert figures_bound("Linwood Elementary has 140 pupils.", [school])
    assert not figures_bound("Bellamy Park Elementary has 140 pupils.", [school])


def test_names_beyond_the_figures_own_phrase_or_before_a_date_are_not_its_owners() -> None:
    trip = passage("Pope Leo XIV began a 10-day trip on Monday. He will visit Algeria, Cameroon, Angola and "
                   "Equatorial Guinea.", title="Pope travels to Africa")
    assert figures_bound("The Pope visited Angola and Equatorial Guinea during his 10-day trip.", [trip])
    forum = passage("The annual meeting ran from January 16 to January 22. It was held in Davos, Switzerland.",
                    title="World leaders gather")
    assert figures_bound("The forum took place in Davos, Switzerland from January 16 to January 22.", [forum])


RELIEF = (
    "Farms will be able to apply for grants of up to 40,000 dollars each. Applications open on March 16. "
    "The first grants should be paid by April 30."
)


def test_a_day_something_starts_is_no_deadline() -> None:
    relief = passage(RELIEF, published=dt.date(2026, 3, 6), title="Drought relief for growers")
    assert not figures_bound("Farmers can apply for the grants by March 16.", [relief])
    assert figures_bound("Farmers can apply for the grants from March 16.", [relief])
    assert figures_bound("Applications for the grants open on 16 March.", [relief])
    assert not figures_bound("The first grants will be paid from April 30.", [relief])
    assert figures_bound("The first grants should be paid by April 30.", [relief])
    # A day the passage gives without either word binds either way.
    match = passage("The match has been moved to Sunday, March 8, at 3 p.m.", published=dt.date(2026, 3, 5))
    assert figures_bound("The match will be played by March 8.", [match])


def test_where_a_day_starts_or_ends_something_is_read_from_the_words_before_it() -> None:
    assert date_direction("Applications open on March ") == "start"
    assert date_direction("apply by March ") == "end"
    assert date_direction("apply by ", " March.") == "end"
    assert date_direction("the festival runs until Sunday, March ") == "end"
    assert date_direction("It opened on March ") is None  # a day that has passed starts nothing now
    assert date_direction("by ") is None  # no month: "by 2029", "by 40 votes"


def test_a_span_of_time_alone_binds_no_figure() -> None:
    # "How long did the port strike last?" was answered "the port strike lasted two days" from a
    # column's "Both sides have spent two days arguing": "days" was the only word the figure's
    # context shared with the passage, and every stretch of time is counted in days.
    column = passage("What can go somewhere, and already is, is the workforce. Both sides have spent two days "
                     "arguing over how many people walked out. Frankly, I think that argument is beside the point.",
                     title="Opinion: Harborview's port strike is a warning we keep ignoring")
    assert verify("According to the column, the port strike lasted two days. [1]", [column]).refused
    deal = passage("Harborview's dockworkers voted on Friday to accept a new pay deal with Castellan Port Services, "
                   "ending a five-day strike that left container ships queuing off the coast.",
                   title="Harborview dockworkers approve deal, ending five-day strike")
    assert not verify("The port strike lasted five days. [1]", [deal]).refused
    # What a count counts still binds it: fixed q035, "walked out" for "had stopped work".
    walkout = passage("The two sides disagree sharply on the size of the walkout. The union said about 1,400 members "
                      "had stopped work, while Castellan said fewer than 900 employees were absent from their shifts.",
                      title="Ships queue off Harborview as port strike enters second day")
    assert figures_bound("According to the union, about 1,400 members walked out when the strike began.", [walkout])
    assert not figures_bound("According to the union, the strike lasted 2 days.", [column])
    # Words before a comma are another clause's, here the claimant's: they bind nothing either way.
    capitol = passage("It has been 5 years since a mob stormed the U.S. Capitol on January 6, 2021.",
                      title="Five years after January 6")
    assert figures_bound("According to usatoday.com, 5 years.", [capitol])

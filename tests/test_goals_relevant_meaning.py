"""Relevant by meaning: what a goal's words speak of (issue 9, 'The case as context, by meaning')."""

from __future__ import annotations

from casecoach.goals import review_goal
from casecoach.language import concepts
from casecoach.scenarios import get_scenario


def test_a_class_takes_the_meaning_of_its_subject():
    """'Anger management classes' speak of anger, not schooling; 'GED classes' still of school."""
    assert concepts("go to weekly anger management classes") == {"anger"}
    assert "education" in concepts("attend GED classes twice a week")
    assert "education" not in concepts("finish a parenting course")


def test_isolation_speaks_of_connection():
    """A goal about isolation or loneliness is about the client's connection to people."""
    assert "community" in concepts("feel less isolated on weekends")
    assert "community" in concepts("deal with loneliness")


def test_the_verb_address_is_no_home():
    """'Address his debts' speaks of money, not housing; 'a new address' is housing."""
    assert "housing" not in concepts("address his debts")
    assert "housing" in concepts("give his PO a new address")


def test_a_vague_goal_is_no_means_to_the_clients_ends():
    """'Deal with ID problems' names no step, so it does not serve Marcus's goal of paid work
    through the ID it mentions; a concrete ID goal does."""
    context = get_scenario("marcus-art").context()
    assert review_goal("Deal with ID problems.", context)["relevant"].met is False
    assert review_goal("Marcus will get a state ID card at the ID Clinic within 3 weeks.",
                       context)["relevant"].met is True

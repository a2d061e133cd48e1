"""The assessment chart's review (casecoach.assessment) and its draft store (casecoach.store)."""

from __future__ import annotations

import sqlite3

import pytest

from casecoach.assessment import Chart, entries, mentions, review_chart, review_row
from casecoach.errors import CasecoachError
from casecoach.scenarios import get_scenario
from casecoach.store import SCHEMA_VERSION, Store


@pytest.fixture(scope="module")
def marcus():
    return get_scenario("marcus-art")


def row(marcus, domain="housing", **cells):
    chart = Chart.blank(marcus.id)
    for column, value in cells.items():
        chart = chart.with_cell(domain, column, value)
    return chart.row(domain)


def test_an_empty_row_asks_to_start_with_what_the_client_wants(marcus):
    """An empty row finds nothing and its one next step is to start with the client's wants."""
    review = review_row(marcus, row(marcus))
    assert review.found == () and len(review.missed) == 2
    assert review.messages == ("Start with what Marcus wants here, in his words; then what is "
                               "going on now.",)


def test_facts_in_the_trainees_own_words_are_found(marcus):
    """Paraphrased facts count as found; the found ones are named first."""
    review = review_row(marcus, row(marcus, now="Staying in a shelter downtown, 30 nights max",
                                    barriers="Rentals run background checks and screen him out"))
    assert [f.id for f in review.found] == ["f-shelter", "f-screening"]
    assert review.messages[0].startswith("You found 2 facts")
    assert review.messages[-1].startswith("This row is complete")


def test_a_hyphenated_number_counts_as_the_facts_words(marcus):
    """"a 30-night limit" mentions "capped at 30 nights": the parts of a hyphenated word and
    two-digit numbers count, while the word "shelter" alone is not enough."""
    shelter = marcus.fact("f-shelter")
    assert mentions(shelter, "Sleeps at the shelter, which has a 30-night limit")
    assert not mentions(shelter, "Sleeps at the shelter")


def test_a_trait_in_barriers_is_flagged_with_a_reframe(marcus):
    """'He is lazy' describes the person: flagged once, with a barrier-to-a-goal reframe."""
    review = review_row(marcus, row(marcus, barriers="He is lazy about looking for a room"))
    assert [(n.column, n.text) for n in review.labels] == [("barriers", "He is lazy")]
    assert "barrier to a goal" in review.next_step


def test_a_label_anywhere_is_flagged(marcus):
    """A stigmatising label in any column is named with its person-first replacement."""
    review = review_row(marcus, row(marcus, now="Parolee staying at a shelter"))
    assert [(n.column, n.text) for n in review.labels] == [("now", "Parolee")]
    assert "person on parole" in review.labels[0].suggestion


def test_a_barrier_written_as_a_strength_is_called_misplaced(marcus):
    """A barrier fact entered under strengths is pointed out as belonging under barriers."""
    review = review_row(marcus, row(marcus, strengths="Shelter stay capped at 30 nights"))
    assert [(f.id, c) for f, c in review.misplaced] == [("f-shelter", "strengths")]


def test_wants_should_be_in_the_clients_words(marcus):
    """A wants cell in the caseworker's voice gets a tip to use the client's own words."""
    assert review_row(marcus, row(marcus, wants="Needs stable housing")).own_words is False
    assert review_row(marcus, row(marcus, wants="“I want my own place”")).own_words is True


def test_entries_split_lines_semicolons_and_bullets():
    """Each line, semicolon or bullet is one entry (the picture counts them)."""
    assert entries("- sister Denise\n• pastor; art program\n\n") == [
        "sister Denise", "pastor", "art program"]


def test_a_full_stop_inside_an_abbreviation_does_not_split_an_entry():
    """"10 p.m. on parole" is one entry; two sentences are two."""
    assert entries("Curfew at 10 p.m. on parole") == ["Curfew at 10 p.m. on parole"]
    assert entries("Has a job. Lives alone.") == ["Has a job.", "Lives alone."]


def test_chart_review_counts_found_items_over_the_key(marcus):
    """The chart review totals the key items found across rows."""
    chart = Chart.blank(marcus.id).with_cell("housing", "now", "shelter, 30 nights cap")
    review = review_chart(marcus, chart)
    assert review.found == 1
    assert review.total == sum(len(k["facts"]) for k in marcus.raw["assessment_key"])


def test_chart_round_trips_through_a_dict(marcus):
    """A chart saved as a dict comes back the same; unknown domains are dropped."""
    chart = Chart.blank(marcus.id).with_cell("legal", "resources", ["a", "b"])
    data = chart.to_dict()
    data["rows"]["hobbies"] = {"now": "x"}
    assert Chart.from_dict(data) == chart


def test_unknown_column_is_refused(marcus):
    """Setting a column that does not exist raises a clear error."""
    with pytest.raises(CasecoachError, match="unknown column 'notes'"):
        Chart.blank(marcus.id).with_cell("housing", "notes", "x")


def test_mentions_needs_shared_content_words(marcus):
    """One shared common word is not enough to count a long fact as found."""
    fact = marcus.fact("f-screening")
    assert not mentions(fact, "he has found a job")
    assert mentions(fact, "background checks screen people out")


def test_store_round_trip_and_delete(tmp_path):
    """A draft saved is loaded back, replaced on the next save, and can be deleted."""
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    assert store.load_draft("ana", "chart", "marcus-art") is None
    store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    store.save_draft("ana", "chart", "marcus-art", {"v": 2})
    store.save_draft("ben", "chart", "marcus-art", {"v": 9})
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 2}
    assert store.delete_draft("ana", "chart", "marcus-art") is True
    assert store.load_draft("ana", "chart", "marcus-art") is None
    assert store.load_draft("ben", "chart", "marcus-art") == {"v": 9}


def test_sqlite_store_uses_wal_and_records_its_schema_version(tmp_path):
    """The default SQLite store runs in WAL mode and carries a schema version."""
    path = tmp_path / "s.sqlite"
    Store.open(f"sqlite:///{path}").save_draft("a", "k", "i", {})
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT value FROM casecoach_meta WHERE key='schema_version'"
                            ).fetchone()[0] == str(SCHEMA_VERSION)


def test_a_failed_save_keeps_what_was_saved_before(tmp_path):
    """When the database refuses a save, the error says so and the earlier draft is intact."""
    path = tmp_path / "s.sqlite"
    store = Store.open(f"sqlite:///{path}")
    store.save_draft("ana", "chart", "marcus-art", {"v": 1})
    with sqlite3.connect(path) as conn:   # the disk "fills up" for this one write
        conn.execute("CREATE TRIGGER full BEFORE UPDATE ON drafts WHEN NEW.body LIKE '%boom%' "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(CasecoachError, match="what was saved before is unchanged"):
        store.save_draft("ana", "chart", "marcus-art", {"v": "boom"})
    assert store.load_draft("ana", "chart", "marcus-art") == {"v": 1}


def test_a_newer_database_is_refused(tmp_path):
    """A store written by a newer casecoach is not silently misread."""
    path = tmp_path / "s.sqlite"
    Store.open(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE casecoach_meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(CasecoachError, match="schema version 99"):
        Store.open(f"sqlite:///{path}")


def test_bad_database_url_is_a_clear_error():
    """A malformed CASECOACH_DB_URL names the setting."""
    with pytest.raises(CasecoachError, match="CASECOACH_DB_URL"):
        Store.open("notadb://nowhere")


def test_a_version_1_store_is_upgraded_in_place(tmp_path):
    """A version-1 store gets the newer tables and the current version, drafts intact."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE casecoach_meta (key VARCHAR(64) PRIMARY KEY, value VARCHAR(255) NOT NULL);"
            "INSERT INTO casecoach_meta VALUES ('schema_version', '1');"
            "CREATE TABLE drafts (id INTEGER PRIMARY KEY, owner VARCHAR(200) NOT NULL, kind "
            "VARCHAR(64) NOT NULL, item VARCHAR(200) NOT NULL, body TEXT NOT NULL, updated_at "
            "DATETIME NOT NULL, CONSTRAINT uq_draft UNIQUE (owner, kind, item));"
            "INSERT INTO drafts VALUES (1, 'ana', 'k', 'i', '{\"v\": 1}', '2026-01-01 00:00:00');")
    store = Store.open(f"sqlite:///{path}")
    assert store.load_draft("ana", "k", "i") == {"v": 1}
    assert store.save_plan("ana", {"client_name": "Dana"}) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM casecoach_meta").fetchone()[0] == str(SCHEMA_VERSION)


def test_plans_save_list_reopen_edit_delete(tmp_path):
    """A saved plan is listed, reopened, edited in place and deleted; owners do not see others'."""
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    first = store.save_plan("cw1", {"client_name": "Dana Price", "goals": []})
    store.save_plan("cw2", {"client_name": "Other Person"})
    assert [p.client_name for p in store.list_plans("cw1")] == ["Dana Price"]
    body = store.load_plan("cw1", first)
    body["goals"] = [{"text": "edited"}]
    assert store.save_plan("cw1", body, first, version=1) == first
    assert store.load_plan("cw1", first)["goals"] == [{"text": "edited"}]
    with pytest.raises(CasecoachError, match="no saved plan"):
        store.load_plan("cw2", first)
    assert store.delete_plan("cw1", first) and store.list_plans("cw1") == []


def test_a_plan_without_a_name_is_not_saved(tmp_path):
    """Saving a plan with no client name says what is missing and stores nothing."""
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    with pytest.raises(CasecoachError, match="client's name"):
        store.save_plan("cw", {"client_name": "  "})
    assert store.list_plans("cw") == []


def test_a_failed_plan_save_keeps_the_saved_version(tmp_path):
    """If the database refuses an edit, the saved plan is unchanged and the error says so."""
    path = tmp_path / "s.sqlite"
    store = Store.open(f"sqlite:///{path}")
    plan_id = store.save_plan("cw", {"client_name": "Dana", "v": 1})
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TRIGGER full BEFORE UPDATE ON plans WHEN NEW.body LIKE '%boom%' "
                     "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(CasecoachError, match="unchanged"):
        store.save_plan("cw", {"client_name": "Dana", "v": "boom"}, plan_id, version=1)
    assert store.load_plan("cw", plan_id)["v"] == 1


# --- issue 9: feedback a trainee can trust ---------------------------------------------------


def test_found_facts_are_counted_in_proper_singular_and_plural(marcus):
    """The found message says "1 fact" or "2 facts", never "thing(s)"."""
    one = review_row(marcus, row(marcus, now="Shelter, capped at 30 nights"))
    two = review_row(marcus, row(marcus, now="Shelter, capped at 30 nights",
                                 barriers="Rentals run background checks and screen him out"))
    assert one.messages[0].startswith("You found 1 fact the case key has for this row: ")
    assert two.messages[0].startswith("You found 2 facts the case key has for this row: ")
    assert not any("(s)" in m for m in one.messages + two.messages)


def test_each_trait_gets_its_own_reframe_that_quotes_the_entry(marcus):
    """Two different traits get two different reframes, each quoting the rest of the entry."""
    lazy = review_row(marcus, row(marcus, barriers="He is lazy about looking for a room"))
    angry = review_row(marcus, row(marcus, barriers="He is angry at the shelter staff"))
    lazy_note, angry_note = lazy.labels[0].suggestion, angry.labels[0].suggestion
    assert lazy_note != angry_note
    assert "“looking for a room”" in lazy_note
    assert "“the shelter staff”" in angry_note
    generic = "no ID, so the bank will not open an account"
    assert generic not in lazy_note and generic not in angry_note


def test_a_bare_trait_gets_a_reframe_about_the_row_and_the_clients_pronoun(marcus):
    """A trait with no other words gets a reframe about this row, with the case's pronoun."""
    note = review_row(marcus, row(marcus, domain="financial",
                                  barriers="He is irresponsible")).labels[0].suggestion
    assert "his goals in this area (Financial)" in note
    assert "their" not in note.split()


def test_misplaced_strength_quotes_the_trainees_words_not_the_key(marcus):
    """A barrier listed under strengths is quoted as the trainee wrote it."""
    review = review_row(marcus, row(marcus, strengths="Shelter stay capped at 30 nights"))
    message = next(m for m in review.messages if "reads as a barrier" in m)
    assert "“Shelter stay capped at 30 nights”" in message
    assert marcus.fact("f-shelter").text not in message


def test_misplaced_support_names_the_client_by_pronoun(marcus):
    """A support listed under barriers says what Marcus has going for him, not them."""
    review = review_row(marcus, row(marcus, domain="family",
                                    barriers="Sister Denise gets his mail, dinner on Sundays"))
    message = next(m for m in review.messages if "going for" in m)
    assert "“Sister Denise gets his mail, dinner on Sundays”" in message
    assert "Marcus has going for him" in message


def test_feedback_uses_the_pronouns_of_the_case():
    """He/she clients are called he/him or she/her in the row feedback, never they/their."""
    jade = get_scenario("jade-diploma")
    pronoun = jade.client["pronouns"].split("/")
    review = review_row(jade, Chart.blank(jade.id).with_cell("family", "wants", "Needs a job")
                        .row("family"))
    words = " ".join(review.messages).split()
    assert "their" not in words and "them:" not in words and "them" not in words
    assert any(p in words for p in pronoun + [{"she": "her", "he": "his"}[pronoun[0]]])


def test_a_chart_is_a_real_attempt_only_after_enough_rows_are_charted(marcus):
    """A row or two is not an attempt; enough charted rows with enough words is."""
    from casecoach.assessment import attempt_made

    chart = Chart.blank(marcus.id).with_cell("housing", "now", "Shelter, capped at 30 nights")
    assert not attempt_made(chart)
    chart = (chart.with_cell("vocational", "strengths", "Ran the art program inside for years")
             .with_cell("family", "strengths", "Sister Denise has him for dinner on Sundays"))
    assert attempt_made(chart)
    assert not attempt_made(Chart.blank(marcus.id).with_cell("housing", "now", "x")
                            .with_cell("legal", "now", "y").with_cell("family", "now", "z"))
    filler = Chart.blank(marcus.id)
    for domain in ("housing", "legal", "family"):
        filler = filler.with_cell(domain, "now", "a a a a the the and so")
    assert not attempt_made(filler)


def test_a_paraphrased_fact_is_found_through_the_cases_alternatives():
    """"Vet tech" finds the key fact "veterinary technician" (the case's authored alternatives)."""
    jade = get_scenario("jade-diploma")
    review = review_row(jade, Chart.blank(jade.id).with_cell(
        "vocational", "wants", "“I want to go to vet tech school”").row("vocational"))
    assert "f-vet-tech" in [f.id for f in review.found]


def test_a_fact_in_other_words_is_found_through_the_synonym_lexicon():
    """With no alternatives authored, a shared concept of the synonym lexicon counts as a word."""
    from casecoach.scenarios import Fact

    fact = Fact("f-x", "Interested in training as a veterinary technician", "aspiration",
                "vocational", True)
    assert mentions(fact, "She would like to become a vet tech")
    assert not mentions(fact, "She cleans floors at the bakery")


def test_a_broad_concept_does_not_stand_in_for_the_facts_own_words(marcus):
    """Sharing only "housing" in general (shelter, address) is not mentioning the shelter limit."""
    shelter = marcus.fact("f-shelter")
    assert not mentions(shelter, "Has a bed and a room at a shelter")
    assert mentions(shelter, "Men's shelter downtown, capped at 30 nights")


def test_the_clients_own_words_are_found_when_paraphrased():
    """A wants entry that says the client's own goal in other words is recognised and named."""
    jade = get_scenario("jade-diploma")
    review = review_row(jade, Chart.blank(jade.id).with_cell(
        "vocational", "wants", "“Finish high school this year”").row("vocational"))
    assert [g.id for g in review.words_found] == ["cg-diploma"]
    assert any("I want my diploma this year" in m for m in review.messages)


def test_a_bare_trait_at_the_start_of_a_barrier_entry_is_flagged(marcus):
    """"Lazy about paperwork" describes the person even without "he is"; a structural barrier
    that starts with a similar word does not."""
    review = review_row(marcus, row(marcus, barriers="Lazy about paperwork\nUnmotivated to look "
                                                     "for work; Uncooperative with staff"))
    assert [n.text for n in review.labels] == ["Lazy", "Unmotivated", "Uncooperative"]
    assert "“look for work”" in review.labels[1].suggestion
    clean = review_row(marcus, row(marcus, barriers="Difficult to reach by phone\nNo photo ID, "
                                                    "so the bank will not open an account"))
    assert clean.labels == ()

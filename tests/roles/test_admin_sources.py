"""Picking a source in admin: the fields an editor types, the likeliest source first."""

import pytest

pytestmark = pytest.mark.django_db


def pick_source(client, term):
    """What the band page's source picker offers for ``term`` (Django's autocomplete view)."""
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "salaries", "model_name": "salaryband", "field_name": "source", "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_typing_a_publisher_offers_its_sources_before_those_that_only_mention_it(
    editor_client, catalogue
):
    offered = pick_source(editor_client, "Tap")
    # The Glassdoor source's note mentions Tap Academy, so it matches too, but second.
    assert offered[:2] == [
        "Tap Academy (2023): Backend Developer Job Description in 2023",
        "Glassdoor (2023): Backend developer pay in India",
    ]


def test_a_source_is_found_by_its_year_and_shown_with_publisher_and_year(editor_client, catalogue):
    isco = (
        "International Labour Organization (2008): "
        "International Standard Classification of Occupations (ISCO-08)"
    )
    assert isco in pick_source(editor_client, "2008")
    assert isco in pick_source(editor_client, "ilo 2008")  # its slug and its year
    assert pick_source(editor_client, "ilo 1999") == []

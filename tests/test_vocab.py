"""The closed namespace matches ontology/budget.ttl: every term declared, none invented."""
from importlib import resources

import pytest
import rdflib

from budgetkg.extract.vocab import BKG


def test_every_bkg_term_is_in_the_ontology():
    g = rdflib.Graph().parse(data=resources.files("budgetkg.ontology").joinpath("budget.ttl").read_text(), format="turtle")
    declared = {str(s) for s in g.subjects() if str(s).startswith(str(BKG._NS))}
    names = {str(BKG._NS) + n for n in BKG.__annotations__}
    assert names == declared


def test_misspelt_term_fails():
    with pytest.raises(AttributeError):
        BKG.Projet  # noqa: B018

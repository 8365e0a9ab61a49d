"""services.web.oidc: who the hub lets in, and as whom, from a provider's claims."""
import pytest

from services.web.oidc import admission, identity, strong_enough

PROCONNECT = {"sub": "f9a1", "given_name": "Joël", "usual_name": "N'Diaye",
              "email": "Joel.NDiaye@ville-demo.fr", "siret": "21990001600018",
              "idp_id": "fia1v2", "organizational_unit": "Service urbanisme"}


@pytest.fixture
def rules(config):
    return config.with_overrides(admit_email_domains=("ville-demo.fr",),
                                 admit_sirets=("26990001700012",), admit_idp_ids=("agentconnect",),
                                 admin_emails=("lea@ville-demo.fr",))


@pytest.mark.parametrize("person, reason", [
    (PROCONNECT, None),  # by email domain, whatever its case
    ({**PROCONNECT, "email": "j@ccas.fr", "siret": "26990001700012"}, None),  # by SIRET
    ({**PROCONNECT, "email": "j@autre.fr", "idp_id": "agentconnect"}, None),  # by provider
    ({**PROCONNECT, "email": "j@autre.fr"}, "not_admitted"),
    ({**PROCONNECT, "email": "j@ville-demo.fr.attaquant.com"}, "not_admitted"),
    ({**PROCONNECT, "email": ""}, "incomplete"),
])
def test_the_hub_admits_by_its_own_rules(rules, person, reason):
    assert admission(rules, person) == reason


def test_a_hub_without_rules_admits_no_one(config):
    assert admission(config, PROCONNECT) == "not_admitted"


def test_proconnect_claims_make_the_hubs_person(rules):
    me = identity(rules, PROCONNECT)

    assert (me.sub, me.name, me.email, me.unit) == (
        "f9a1", "Joël N'Diaye", "joel.ndiaye@ville-demo.fr", "Service urbanisme")
    assert me.roles == {"agent"}
    assert identity(rules, {**PROCONNECT, "email": "Lea@ville-demo.fr"}).roles == {"agent", "admin"}


@pytest.mark.parametrize("acr, least, enough", [
    ("eidas1", "eidas1", True), ("eidas2", "eidas1", True), ("eidas1", "eidas2", False),
    (None, "eidas1", False), ("1", "eidas1", False),
])
def test_the_level_of_assurance_must_reach_the_hubs_least(acr, least, enough):
    assert strong_enough(acr, least) is enough


def test_signing_out_may_go_on_to_the_provider_and_nowhere_else(config):
    from services.web.app import CSP, csp

    assert csp(config) == CSP
    with_provider = csp(config.with_overrides(oidc_issuer="https://proconnect.gouv.fr/api/v2"))
    assert with_provider.endswith("form-action 'self' https://proconnect.gouv.fr")

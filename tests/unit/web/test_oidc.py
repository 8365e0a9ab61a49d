"""services.web.oidc: who the hub lets in, and as whom, from a provider's claims."""
import pytest

from services.web.oidc import admission, claims_of, strong_enough

PROCONNECT = {"sub": "f9a1", "given_name": "Joël", "usual_name": "N'Diaye",
              "email": "Joel.NDiaye@ville-demo.fr", "siret": "21990001600018",
              "idp_id": "fia1v2", "organizational_unit": "Service urbanisme"}


@pytest.fixture
def rules(config):
    return config.with_overrides(admit_email_domains=("ville-demo.fr",),
                                 admit_sirets=("26990001700012",), admit_idp_ids=("agentconnect",))


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


def test_proconnect_claims_make_the_hubs_person_without_any_role():
    # Roles are the hub's to grant (services/people), never the provider's to claim.
    assert claims_of({**PROCONNECT, "roles": ["admin"]}) == {
        "sub": "f9a1", "name": "Joël N'Diaye", "email": "joel.ndiaye@ville-demo.fr",
        "unit": "Service urbanisme", "organization": "21990001600018"}
    assert claims_of({**PROCONNECT, "organization_label": "Commune de Ville-Démo"})[
        "organization"] == "Commune de Ville-Démo"


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


class Provider:
    """The identity provider as services.web.oidc calls it, in memory."""

    def __init__(self, key_sets=(), fails=None):
        self.key_sets, self.fails, self.fetched = list(key_sets), fails, []

    def authorize_access_token(self):
        raise self.fails

    def fetch_jwk_set(self, force=False):
        self.fetched.append(force)
        return self.key_sets[min(len(self.fetched), len(self.key_sets)) - 1]


@pytest.fixture
def with_provider(config, fake):
    from services.web.app import create_app

    def make(provider):
        app = create_app(config.with_overrides(oidc_issuer="https://idp.test/api/v2"),
                         make_client=fake.client)
        app.extensions["oidc"] = provider
        return app
    return make


def test_a_provider_that_does_not_answer_gets_a_page_not_a_500(with_provider):
    import requests

    app = with_provider(Provider(fails=requests.ConnectionError("refused")))
    answer = app.test_client().get("/auth/callback?code=c&state=s")

    assert answer.status_code == 503
    assert "ne répond pas" in answer.get_data(as_text=True)


def test_a_key_the_provider_rotated_in_is_fetched_once_more(with_provider):
    from jwt.algorithms import RSAAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from services.web.oidc import provider_key

    def key_set(kid):
        jwk = RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048).public_key(),
                                  as_dict=True)
        return {"keys": [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]}

    provider = Provider([key_set("old"), key_set("new")])
    with with_provider(provider).app_context():
        assert provider_key({"kid": "new"}).key_id == "new"
        with pytest.raises(ValueError, match="does not publish"):
            provider_key({"kid": "unknown"})
    assert provider.fetched[:2] == [False, True]


def test_a_refused_person_is_sent_to_the_organisations_contact_unless_another_is_named(
        config, fake):
    from services.web.app import create_app
    from services.web.oidc import refused

    def page(**settings):
        app = create_app(config.with_overrides(org_contact="idees@ville-demo.fr", **settings),
                         make_client=fake.client)
        with app.test_request_context("/auth/callback"):
            return refused("not_admitted", email="j@autre.fr")[0]

    assert "adressez-vous à idees@ville-demo.fr" in page()
    assert "adressez-vous à la DSI" in page(admission_contact="la DSI")

"""Signing in through the local Keycloak in Chromium, as an agent would: the hub's button, the
provider's form, back on the hub with one's name; signing out leaves the provider too."""
from playwright.sync_api import expect


def test_an_agent_signs_in_at_the_provider_and_out_of_both(chromium, gateway):
    context = chromium.new_context(base_url=gateway, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto("/signin")
        page.get_by_role("link", name="Se connecter avec mon compte d'agent").click()
        page.locator("#username").fill("joel")
        page.locator("#password").fill("ideahub")
        page.locator("#kc-login").click()

        expect(page.locator(".who")).to_have_text("(Joël N'Diaye)")
        assert page.url.startswith(gateway)

        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()
        # Back from the provider's sign-out to the home page, which asks to sign in.
        assert page.url.split("?")[0] in (f"{gateway}/", f"{gateway}/signin")

        # Signed out at the provider too: the hub's button asks for the password again.
        page.goto("/signin")
        page.get_by_role("link", name="Se connecter avec mon compte d'agent").click()
        expect(page.locator("#password")).to_be_visible()
    finally:
        context.close()

"""My data (RGPD), through the gateway: two people each propose, comment, support, follow and
report; the first one's file holds exactly their items, and nothing of the second's (neither
their name, their id nor their items), though the second commented on the first's idea; an
admin and the CLI get the same file; no one else gets it."""
import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.helpers import eventually

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILENAME = 'attachment; filename="mes-donnees-ideahub.json"'


def ok(response, code=201):
    assert response.status_code == code, response.text
    return response.json() if response.content else None


def sub_of(address):
    return address.split("@")[0]


def acts(http, propose, support, me, neutral, words):
    """Propose, comment on it, support and follow an idea of `neutral`, report another of
    theirs: the ids of what `me` made or touched."""
    own = propose(title=f"L'idée {words} pour la médiathèque", as_=me)["id"]
    supported = propose(title=f"Une idée soutenue {words}", as_=neutral)["id"]
    reported = propose(title=f"Une idée signalée {words}", as_=neutral)["id"]
    comment = ok(http("POST", f"/api/ideas/{own}/comments", me,
                      json={"body": f"Un commentaire {words}"}))["id"]
    support(supported, me)
    ok(http("PUT", f"/api/ideas/{supported}/follow", me), 200)
    ok(http("POST", f"/api/ideas/{reported}/flags", me,
            json={"reason": "off_topic", "note": f"Hors sujet {words}"}))
    return {"idea": own, "comment": comment, "supported": supported, "reported": reported}


@pytest.fixture(scope="module")
def two(request):
    return {}


@pytest.fixture
def scene(http, person, token, propose, support, two):
    """Amandine and Bastien, each having acted; Bastien also comments on Amandine's idea."""
    if two:
        return two
    amandine, amandine_address, amandine_name = person("Amandine")
    bastien, bastien_address, bastien_name = person("Bastien")
    neutral = token(roles=("agent",))
    mine = acts(http, propose, support, amandine, neutral, "d'Amandine")
    his = acts(http, propose, support, bastien, neutral, "de Bastien")
    his["on_hers"] = ok(http("POST", f"/api/ideas/{mine['idea']}/comments", bastien,
                             json={"body": "Bastien répond sous l'idée d'Amandine"}))["id"]
    two.update(amandine=(amandine, sub_of(amandine_address), amandine_name, amandine_address),
               bastien=(bastien, sub_of(bastien_address), bastien_name), mine=mine, his=his)
    return two


def export(http, tok, person=None):
    response = http("GET", "/api/me/export", tok, params={"person": person} if person else None)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"] == FILENAME
    return response.json()


def complete(http, tok):
    """The file once the events have reached every reader: the ideas API's lists know her
    idea (the part finds ideas by their rows), the digest her follows (her idea,
    automatically, and the one she chose) and the notification of Bastien's comment on her
    idea."""
    def ready():
        document = export(http, tok)
        assert document["ideas"]["ideas"]
        assert len(document["digest"]["follows"]) >= 2
        assert document["digest"]["notifications"]
        return document
    return eventually(ready, timeout=30, message="the digest knows Amandine's follows")


def test_my_file_holds_exactly_my_items_and_nothing_of_anyone_else(http, scene):
    amandine, sub, name, address = scene["amandine"]
    bastien, bastien_sub, bastien_name = scene["bastien"]
    mine, his = scene["mine"], scene["his"]

    document = complete(http, amandine)

    assert list(document) == ["generated_at", "person", "ideas", "votes", "digest", "people"]
    assert document["person"] == {"id": sub}
    ideas = document["ideas"]
    assert [i["id"] for i in ideas["ideas"]] == [mine["idea"]]
    assert ideas["ideas"][0]["comment_count"] == 2
    assert [c["id"] for c in ideas["comments"]] == [mine["comment"]]
    assert [(r["idea_id"], r["note"]) for r in ideas["reports"]] == [
        (mine["reported"], "Hors sujet d'Amandine")]
    assert [s["idea_id"] for s in document["votes"]["supports"]] == [mine["supported"]]
    assert [h["idea_id"] for h in document["votes"]["history"]] == [mine["supported"]]
    follows = {f["idea_id"]: f["how"] for f in document["digest"]["follows"]}
    assert follows[mine["supported"]] == "chosen" and mine["idea"] in follows
    notice, = document["digest"]["notifications"]
    assert (notice["kind"], notice["idea_id"]) == ("comment", mine["idea"])
    assert document["people"]["person"]["name"] == name
    assert document["people"]["person"]["email"] == address
    assert document["people"]["sign_ins"]

    text = json.dumps(document, ensure_ascii=False)
    for what in (bastien_sub, bastien_name, his["idea"], his["comment"], his["on_hers"],
                 his["supported"], his["reported"], "Bastien"):
        assert what not in text, what


def test_an_admin_and_the_cli_get_the_same_file_and_no_one_else_gets_it(http, scene, token,
                                                                         config, tmp_path):
    amandine, sub, name, _ = scene["amandine"]
    bastien = scene["bastien"][0]
    admin = token(roles=("agent", "admin"))
    complete(http, amandine)
    output = tmp_path / "donnees.json"

    def same():
        subprocess.run([sys.executable, "-m", "services.cli", "gdpr", "export", "--person",
                        sub, "--output", str(output)], cwd=ROOT, check=True, timeout=60)
        by_cli = json.loads(output.read_text(encoding="utf-8"))
        by_admin, by_herself = export(http, admin, person=sub), export(http, amandine)
        # Each of the admin's downloads adds a line to the last: compared apart.
        exported = [document["people"].pop("exported_by_others")
                    for document in (by_cli, by_admin, by_herself)]
        assert len(exported[2]) >= 2 and set(exported[0]) < set(exported[2])
        for document in (by_cli, by_admin, by_herself):
            document.pop("generated_at")
        assert by_cli == by_admin == by_herself
        return by_cli
    # The same once no mail's status moves between the three reads.
    assert eventually(same, timeout=30, message="the same file three ways")["people"][
        "person"]["name"] == name

    refused = http("GET", "/api/me/export", bastien, params={"person": sub})
    assert refused.status_code == 403
    for service in ("ideas", "votes", "digest", "people"):
        assert http("GET", f"/api/me/export/{service}", bastien,
                    params={"person": sub}).status_code == 403
    assert http("GET", "/api/me/export").status_code == 401


def test_an_export_by_someone_else_is_in_the_persons_audit_and_their_own_is_not(
        http, scene, token, browser):
    """The data protection officer's download of an agent's data is logged (who, when), as a
    role change is, and the agent's admin page says it; the agent's own downloads are not."""
    amandine, sub, _, _ = scene["amandine"]
    dpo_sub = f"dpo-{uuid.uuid4().hex[:8]}"
    dpo = token(sub=dpo_sub, name="Délia Pérot", roles=("agent", "admin"))
    export(http, amandine)
    export(http, dpo, person=sub)

    def changes():
        return http("GET", f"/api/people/{sub}/changes", dpo).json()["items"]

    mine = eventually(lambda: [row for row in changes() if row.get("exported")
                               and row["by"]["id"] == dpo_sub] or None,
                      timeout=30, message="the officer's export in the audit")
    assert [(row["by"]["name"], row["person"]["id"]) for row in mine] == [("Délia Pérot", sub)]
    # Her own download came first, on the same partition (her id is the key): had it been
    # logged, its row would be there by now.
    assert not [row for row in changes() if row.get("exported") and row["by"]["id"] == sub]
    page = browser(token=dpo).get(f"/admin/personnes/{sub}")
    assert "toutes ses données téléchargées (droit d'accès)" in page.text

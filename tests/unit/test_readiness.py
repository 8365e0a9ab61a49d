"""/readyz: a service is ready when its store, Kafka and its own read models are."""


def test_a_service_is_not_ready_while_a_read_model_of_its_own_loads(make_app, publisher):
    app = make_app("ideas")
    loaded = []
    app.extensions["hub"].extra["readiness"] = {"catalogue": lambda: bool(loaded)}
    client = app.test_client()

    loading = client.get("/readyz")
    loaded.append(True)
    ready = client.get("/readyz")

    assert loading.status_code == 503
    assert loading.get_json()["checks"]["catalogue"] == "en chargement"
    assert "catalogue" in loading.get_json()["message"]
    assert ready.status_code == 200 and ready.get_json()["checks"]["catalogue"] == "ok"

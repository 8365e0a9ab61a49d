"""Every operation of each service's /openapi.json shows an example of what it takes (request
body, query parameters) and of every response with a body, and each example is valid: against
its JSON Schema, as clients and schemathesis read it, and for input, through the marshmallow
schema the endpoint really loads it with (custom rules such as a cursor of the right sort).

An example is the media type's or parameter's own (`example=` on the decorators), or else the
one its schema's field examples make up (`metadata={"example": ...}`), every field included."""
import re

import jsonschema_rs
import pytest
from flask_smorest.spec.plugins import FlaskPlugin

SERVICES = ("ideas", "votes", "digest", "people")
METHODS = ("get", "put", "post", "patch", "delete")


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_shows_a_valid_example_of_its_input_and_its_responses(make_app, service):
    app = make_app(service)
    spec = app.test_client().get("/openapi.json").get_json()
    inputs = input_schemas(app)
    problems = []

    for path, method, operation in operations(spec):
        name = f"{method.upper()} {path}"
        for where, location, example, schema in documented_examples(operation, spec, problems,
                                                                    name):
            problems += [f"{name} {where}: {error}" for error in invalid(example, schema, spec)]
            loader = inputs.get((path, method, location))
            if loader is not None:
                problems += [f"{name} {where}: {error}" for error in rejected(example, loader)]

    assert not problems, "\n".join(problems)


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def documented_examples(operation, spec, problems, name):
    """(where, input location or None, example, JSON Schema) for the request body, the query
    parameters together, and each response's body; what lacks an example goes to `problems`."""
    body = operation.get("requestBody")
    if body:
        for media_type, media in body["content"].items():
            for where, example, schema in media_examples(f"request {media_type}", media, spec,
                                                         problems, name):
                yield where, "json", example, schema

    query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    if query:
        example, schema, missing = {}, {"type": "object", "properties": {}}, []
        for parameter in query:
            example[parameter["name"]] = parameter["example"] if "example" in parameter \
                else composed(parameter["schema"], spec, parameter["name"], missing)
            schema["properties"][parameter["name"]] = parameter["schema"]
        problems += [f"{name} query: no example for {m}" for m in missing]
        if not missing:
            yield "query", "query", example, schema

    for status, response in operation["responses"].items():
        response = resolve(response, spec)
        if "content" not in response:
            if status.startswith("2") and status != "204":
                problems.append(f"{name} {status}: no body documented, so no example")
            continue
        for media_type, media in response["content"].items():
            for where, example, schema in media_examples(f"{status} {media_type}", media, spec,
                                                         problems, name):
                yield where, None, example, schema


def media_examples(where, media, spec, problems, name):
    schema = media.get("schema", {})
    if "example" in media:
        yield where, media["example"], schema
    elif "examples" in media:
        for key, named in media["examples"].items():
            yield f"{where} ({key})", resolve(named, spec)["value"], schema
    elif "schema" in media:
        missing = []
        example = composed(schema, spec, "", missing)
        problems += [f"{name} {where}: no example for {m or 'the body'}" for m in missing]
        if not missing:
            yield where, example, schema
    else:
        problems.append(f"{name} {where}: neither a schema nor an example")


def composed(schema, spec, at, missing):
    """The example a schema's field examples make up; each field without one goes to
    `missing` (a field need not have one if an enclosing schema has a whole example)."""
    if "example" in schema:
        return schema["example"]
    if "$ref" in schema:
        return composed(resolve(schema, spec), spec, at, missing)
    if "properties" in schema:
        return {key: composed(value, spec, f"{at}.{key}".lstrip("."), missing)
                for key, value in schema["properties"].items()}
    if "array" in as_list(schema.get("type")) and "items" in schema:
        return [composed(schema["items"], spec, f"{at}[]", missing)]
    missing.append(at)
    return None


def as_list(kind):
    return kind if isinstance(kind, list) else [kind]


def resolve(node, spec):
    while "$ref" in node:
        _, section, kind, key = node["$ref"].split("/")
        node = spec[section][kind][key]
    return node


def invalid(example, schema, spec):
    """The JSON Schema errors of `example` (Draft 2020-12, as OpenAPI 3.1 says), formats such
    as email included; the components are carried along so that $refs resolve."""
    validator = jsonschema_rs.Draft202012Validator(
        {**schema, "components": spec["components"]}, validate_formats=True)
    return [f"{'/'.join(map(str, error.instance_path)) or 'body'}: {error.message}"
            for error in validator.iter_errors(example)]


def input_schemas(app):
    """(OpenAPI path, method, location) -> the marshmallow schema the endpoint loads that
    input with. flask-smorest keeps it only in each blueprint's `_docs`."""
    found = {}
    for rule in app.url_map.iter_rules():
        blueprint_name, _, endpoint = rule.endpoint.partition(".")
        docs = getattr(app.blueprints.get(blueprint_name), "_docs", {}).get(endpoint, {})
        path = FlaskPlugin.flaskpath2openapi(rule.rule)
        for method in METHODS:
            for parameter in docs.get(method, {}).get("arguments", {}).get("parameters", []):
                found[(path, method, parameter["in"])] = parameter["schema"]
    return found


def rejected(example, schema):
    errors = (schema() if isinstance(schema, type) else schema).validate(example)
    return [f"{field}: {messages}" for field, messages in errors.items()]


@pytest.mark.parametrize("service", SERVICES)
def test_every_path_parameter_shows_a_valid_example(make_app, service):
    spec = make_app(service).test_client().get("/openapi.json").get_json()
    problems = []
    for path, item in spec["paths"].items():
        for parameter in [p for p in item.get("parameters", []) if p["in"] == "path"]:
            if "example" not in parameter:
                problems.append(f"{path} {parameter['name']}: no example")
            else:
                problems += [f"{path} {parameter['name']}: {error}" for error in
                             invalid(parameter["example"], parameter["schema"], spec)]
        wanted = {name for name in re.findall(r"{(\w+)}", path)}
        documented = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        problems += [f"{path} {name}: undocumented" for name in wanted - documented]
    assert not problems, "\n".join(problems)

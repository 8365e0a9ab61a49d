"""The `ideahub` command: tokens, topics, digest runs, replays, data exports and demo data.

It stands above the services: it composes them, none of them imports it.
"""
import argparse
import importlib
import os
import sys
import time
from pathlib import Path

from shared.auth import ROLES, mint_token, new_key_pair
from shared.config import load_config
from shared.events import TOPICS

PROJECTIONS = {
    "ideas": "the vote counts of the ideas service",
    "votes": "the votes service's view of ideas (open or closed) and its tallies",
    "digest": "the digest's read model of ideas and supports",
    "people": "the audit of changes to people's roles, unit and scope",
}


def cmd_token(args, config):
    if not config.is_local():
        print("ideahub token: the local stack and the tests only (HUB_ENV=local); people "
              "sign in through the identity provider", file=sys.stderr)
        return 2
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    print(mint_token(config, args.sub, args.name, roles, args.unit, args.email or "",
                     ttl=args.hours * 3600))


def cmd_keys(args, config):
    """The key pair of the hub's tokens, made once: the private key readable by its owner
    only."""
    folder = Path(args.dir)
    private, public = folder / "token-private.pem", folder / "token-public.pem"
    if private.exists() and public.exists():
        print(f"keys already in {folder}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem = new_key_pair()
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as held:
        held.write(private_pem)
    public.write_text(public_pem)
    print(f"keys written to {folder}")


def cmd_topics(args, config):
    from shared.kafka import ensure_topics

    created = ensure_topics(config)
    print(f"created: {', '.join(created)}" if created else "topics already exist")


def cmd_digest_run(args, config):
    from shared.api import make_hub
    from services.digest import jobs, store

    hub = make_hub("digest", config, store.ensure_indexes, store.OUTBOX)
    hub.prepare_database()
    digest = store.DigestStore(hub.db)
    run = jobs.new_run(args.period, status="running")
    digest.add_run(run)
    run = jobs.run_period(run, digest, jobs.Mailer(config), hub.publisher.publish, config)
    hub.publisher.close()
    print(f"run {run['_id']} {run['period']}: sent {run['sent']}, skipped {run['skipped']}, "
          f"failed {run['failed']}, already done {run['already_done']}")
    return 1 if run["failed"] else 0


def cmd_replay(args, config):
    from shared.api import make_hub
    from shared.consumer import HistoryLost, check_history, group_is_active, replay

    module = importlib.import_module(f"services.{args.projection}.consumer")
    # A stopped static member stays in its group until its session expires (10 s).
    deadline = time.monotonic() + 15
    while group_is_active(config, module.GROUP) and time.monotonic() < deadline:
        time.sleep(0.5)
    if group_is_active(config, module.GROUP):
        print(f"the {module.GROUP} consumer is running: stop it first "
              f"(make replay P={args.projection} does it for you)", file=sys.stderr)
        return 2
    hub = make_hub(args.projection, config, module.ensure_indexes, module.OUTBOX)
    hub.prepare_database()
    consumer = module.build_consumer(hub)
    try:
        check_history(consumer)
    except HistoryLost as lost:
        print(f"refusing to replay {args.projection}: its topics no longer hold their whole "
              f"history ({lost}); the read model is left as it is", file=sys.stderr)
        return 2
    module.reset_projection(hub)
    applied = replay(consumer)
    print(f"{args.projection}: rebuilt from {applied} event(s)")
    return 0


def cmd_retention_run(args, config):
    from shared import keyring
    from shared.api import make_hub
    from shared.mailer import Mailer
    from services.people import retention, store

    hub = make_hub("people", config, store.ensure_indexes, store.OUTBOX)
    hub.prepare_database()
    with Mailer(config) as mailer:
        done = retention.run_round(store.PeopleStore(hub.db), mailer, hub.publisher.publish,
                                   keyring.for_config(config, hub.client), config)
    hub.publisher.drain()
    print(f"retention: {done['warned']} warned, {done['erased']} anonymised, "
          f"{done['purged']} old sign-ins and audit rows purged")


def cmd_dlq_replay(args, config):
    from shared.consumer import replay_dead_letters

    sent = replay_dead_letters(config, args.topic)
    print(f"{args.topic}.dlq: {sent} message(s) sent back to {args.topic}")


def cmd_admin_grant(args, config):
    from services.people.app import grant
    from services.people.domain import GRANTED

    roles = {r.strip() for r in args.roles.split(",") if r.strip()}
    if not roles or roles - set(GRANTED):
        raise ValueError(f"--roles: comma-separated, among {', '.join(GRANTED)}")
    person = grant(config, args.email, roles)
    if person is None:
        print(f"{args.email}: nobody has signed in with this address yet; "
              f"{', '.join(sorted(roles))} will be granted at their first sign-in")
    else:
        print(f"{person['name']} <{person['email']}>: {', '.join(person['roles'])}")


def gdpr_request(config, command, method, path, **kwargs):
    """A data-rights request for the data-protection officer, asked of the gateway
    (HUB_API_URL) with an admin token minted here, valid five minutes: the response, or None
    once the problem is said. Minting needs the tokens' private key
    (HUB_TOKEN_PRIVATE_KEY_FILE): run it where the pages run."""
    import requests

    if not config.token_private_key:
        print(f"ideahub gdpr {command}: HUB_TOKEN_PRIVATE_KEY(_FILE) is not set; run it where "
              "the pages run (they hold the key)", file=sys.stderr)
        return None
    token = mint_token(config, f"ideahub-gdpr-{command}", f"RGPD : {command} (ligne de "
                       "commande)", ["admin"], "")
    try:
        response = requests.request(method, f"{config.api_base()}{path}", timeout=60,
                                    headers={"Authorization": f"Bearer {token}"}, **kwargs)
    except requests.RequestException as error:
        print(f"ideahub gdpr {command}: {config.api_base()} does not answer: {error}",
              file=sys.stderr)
        return None
    if response.status_code != 200:
        print(f"ideahub gdpr {command}: {response.status_code} {response.text.strip()}",
              file=sys.stderr)
        return None
    return response


def cmd_gdpr_export(args, config):
    """A person's data file: the same document as GET /api/me/export."""
    response = gdpr_request(config, "export", "GET", "/api/me/export",
                            params={"person": args.person})
    if response is None:
        return 1 if config.token_private_key else 2
    if args.output:
        Path(args.output).write_bytes(response.content)
        print(f"{args.person}: data written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(response.content.decode("utf-8"))
    return 0


def cmd_gdpr_erase(args, config):
    """A person's account erased at their request (POST /api/people/{id}/erase)."""
    response = gdpr_request(config, "erase", "POST", f"/api/people/{args.person}/erase",
                            json={"texts": args.texts} if args.texts else {})
    if response is None:
        return 1 if config.token_private_key else 2
    done = response.json()
    print(f"{done['person_id']}: erased at {done['erased_at']}, texts {done['texts']}")
    return 0


def cmd_demo(args, config):
    from services import demo

    print(demo.load(args.url, config))


def parser():
    p = argparse.ArgumentParser(prog="ideahub", description="Ideahub command line")
    sub = p.add_subparsers(dest="command", required=True)

    token = sub.add_parser("token", help="print a signed token for the local stack")
    token.add_argument("--sub", required=True, help="the person's id")
    token.add_argument("--name", required=True)
    token.add_argument("--roles", default="agent", help=f"comma-separated: {', '.join(ROLES)}")
    token.add_argument("--unit", default="", help="the person's service or department")
    token.add_argument("--email", default="")
    token.add_argument("--hours", type=float, default=12, help="how long it is valid")
    token.set_defaults(run=cmd_token)

    keys = sub.add_parser("keys", help="make the key pair of the hub's tokens, if missing")
    keys.add_argument("--dir", required=True)
    keys.set_defaults(run=cmd_keys)

    topics = sub.add_parser("topics", help="Kafka topics")
    topics.add_argument("action", choices=["create"])
    topics.set_defaults(run=cmd_topics)

    digest = sub.add_parser("digest", help="weekly digests")
    digest_sub = digest.add_subparsers(dest="action", required=True)
    run = digest_sub.add_parser("run", help="send one period's digests now")
    run.add_argument("--period", required=True, help="ISO week, e.g. 2026-W48")
    run.set_defaults(run=cmd_digest_run)

    replay = sub.add_parser("replay", help="rebuild a read model from offset 0")
    replay.add_argument("projection", choices=sorted(PROJECTIONS),
                        help="; ".join(f"{k}: {v}" for k, v in PROJECTIONS.items()))
    replay.set_defaults(run=cmd_replay)

    dlq = sub.add_parser("dlq", help="dead-letter topics")
    dlq_sub = dlq.add_subparsers(dest="action", required=True)
    redrive = dlq_sub.add_parser("replay", help="send a DLQ's messages back to their topic, "
                                                "once the cause is fixed")
    redrive.add_argument("topic", choices=list(TOPICS))
    redrive.set_defaults(run=cmd_dlq_replay)

    admin = sub.add_parser("admin", help="the hub's people")
    admin_sub = admin.add_subparsers(dest="action", required=True)
    grant = admin_sub.add_parser("grant", help="grant roles to the person of an address (the "
                                               "first admin), now or at their first sign-in")
    grant.add_argument("--email", required=True)
    grant.add_argument("--roles", default="admin", help="comma-separated: moderator, manager, "
                                                         "admin")
    grant.set_defaults(run=cmd_admin_grant)

    retention = sub.add_parser("retention", help="what the hub keeps of people, and how long")
    retention_sub = retention.add_subparsers(dest="action", required=True)
    retention_run = retention_sub.add_parser(
        "run", help="warn the inactive accounts, anonymise those warned long enough, purge old "
                    "sign-ins and audit rows (the people consumer does it every hour)")
    retention_run.set_defaults(run=cmd_retention_run)
    gdpr = sub.add_parser("gdpr", help="people's data rights (RGPD)")
    gdpr_sub = gdpr.add_subparsers(dest="action", required=True)
    export = gdpr_sub.add_parser("export", help="all of a person's data as one JSON file, for "
                                                "the data-protection officer")
    export.add_argument("--person", required=True, help="the person's id")
    export.add_argument("--output", help="the file to write (default: standard output)")
    export.set_defaults(run=cmd_gdpr_export)
    erase = gdpr_sub.add_parser("erase", help="erase a person's account at their request: "
                                              "their name and address gone everywhere")
    erase.add_argument("--person", required=True, help="the person's id")
    erase.add_argument("--texts", choices=["keep", "remove"],
                       help="what becomes of their texts (when HUB_ERASURE_TEXTS=choice)")
    erase.set_defaults(run=cmd_gdpr_erase)

    demo = sub.add_parser("demo", help="load the French demo data through the gateway")
    demo.add_argument("--url", default=None, help="the gateway (default HUB_PUBLIC_URL)")
    demo.set_defaults(run=cmd_demo)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    config = load_config()
    try:
        return args.run(args, config) or 0
    except ValueError as error:
        print(f"ideahub: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

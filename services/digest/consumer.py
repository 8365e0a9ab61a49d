"""The digest service's Kafka consumer: its read model of ideas, supports and calls for
ideas, and the notifications people get of the ideas they follow."""
import functools
import threading

from shared import keyring
from shared.config import load_config
from shared.events import CATALOGUE
from shared.consumer import EventConsumer
from shared.runner import run_consumer
from services.digest import erasure, handlers, jobs, notification_handlers as notify, notification_mail
from services.digest.notification_store import NotificationStore
from services.digest.store import OUTBOX, DigestStore, ensure_indexes

GROUP = "digest"


def build_consumer(hub):
    digest, notes = DigestStore(hub.db), NotificationStore(hub.db, mail_due(hub))

    def on_idea_event(name, payload, envelope):
        handlers.on_idea_event(name, payload, envelope, digest)
        notify.on_idea_event(name, payload, envelope, notes)

    def on_votes(changes):
        handlers.on_votes_changed(changes, digest)
        notify.on_votes_changed(changes, notes, digest)

    events = {key: functools.partial(on_idea_event, key[0])
              for key in CATALOGUE if key[0].startswith("idea.")}
    events.update({
        ("comment.added", 1): functools.partial(notify.on_comment_added, notes=notes),
        ("comment.hidden", 1): functools.partial(notify.on_comment_hidden, notes=notes),
        ("comment.deleted", 1): functools.partial(notify.on_comment_hidden, notes=notes),
        ("comment.edited", 1): functools.partial(notify.on_comment_edited, notes=notes),
        ("person.joined", 1): functools.partial(notify.on_person, notes=notes),
        ("person.updated", 1): functools.partial(notify.on_person, notes=notes),
        ("person.erased", 1): functools.partial(erasure.on_person_erased, db=hub.db,
                                                keyring=keyring.for_config(hub.config, hub.client)),
        ("campaign.created", 1): functools.partial(handlers.on_campaign_changed, store=digest),
        ("campaign.updated", 1): functools.partial(handlers.on_campaign_changed, store=digest)})
    return EventConsumer(hub.config, GROUP, ["ideas", "votes", "people", "campaigns"], events,
                         batch_handlers={("vote.cast", 1): on_votes,
                                         ("vote.retracted", 1): on_votes})


def reset_projection(hub):
    """Before a replay: the read model is rebuilt from scratch. Follows and notifications
    are not a projection: the replay finds them made, and makes nothing twice."""
    DigestStore(hub.db).reset_views()


def schedule(hub, stopping):
    jobs.run_scheduler(stopping, DigestStore(hub.db), jobs.Mailer(hub.config),
                       hub.publisher.publish, hub.config)


def mail_due(hub):
    """What the consumer sets when it made a notification to mail at once, and the sender
    beside it waits on."""
    return hub.extra.setdefault("mail_due", threading.Event())


def send_notifications(hub, stopping):
    notification_mail.run_sender(stopping, NotificationStore(hub.db, mail_due(hub)),
                                 jobs.Mailer(hub.config), hub.config)


def main(config=None):
    config = config or load_config()
    run_consumer("digest", build_consumer, ensure_indexes, config, OUTBOX,
                 background=[schedule, send_notifications])


if __name__ == "__main__":
    main()

"""shared.journal: numbers claimed by unique inserts, without holes, trimmed from the start."""
from shared.journal import Journal


def test_journal_numbers_have_no_holes_when_two_writers_interleave(db):
    first, second = Journal(db.j), Journal(db.j)
    numbers = [first.append({"w": 1}), second.append({"w": 2}), first.append({"w": 1}),
               first.append({"w": 1}), second.append({"w": 2})]
    assert numbers == [1, 2, 3, 4, 5]
    assert first.end() == 5 and [first.get(n)["w"] for n in numbers] == [1, 2, 1, 1, 2]


def test_trimming_removes_the_entries_through_a_number_and_moves_the_start(db):
    journal = Journal(db.j)
    for _ in range(10):
        journal.append({})
    assert journal.trim(7) == 7
    assert journal.start() == 8 and journal.get(7) is None and journal.get(8) is not None
    assert journal.end() == 10 and Journal(db.j).append({}) == 11


def test_a_writer_whose_last_number_was_trimmed_appends_at_the_end(db):
    quiet, busy = Journal(db.j), Journal(db.j)
    assert quiet.append({"w": "quiet"}) == 1
    for _ in range(4):
        busy.append({"w": "busy"})
    busy.trim(4)  # 2, the number after quiet's last one, is free again

    assert quiet.append({"w": "quiet"}) == 6
    assert quiet.get(2) is None and quiet.get(6)["w"] == "quiet"

"""mtaudit.spill.SpillList: items kept on disk, read back in order, as often as asked."""

import pickle

from mtaudit.spill import SpillList


def test_items_come_back_in_order_with_what_a_batch_shared():
    spill = SpillList()
    assert list(spill) == [] and len(spill) == 0
    shared = {"form": 2}
    spill.extend([("a", shared), ("b", shared)])
    spill.extend([])
    spill.extend([("c", {"other": 1})])
    assert len(spill) == 3
    first = list(spill)
    assert [x for x, _ in first] == ["a", "b", "c"]
    assert first[0][1] is first[1][1]  # one batch, one object again
    assert list(spill) == first  # read again: the same items
    spill.extend([("d", {})])  # appending after reading goes to the end
    assert [x for x, _ in spill] == ["a", "b", "c", "d"]
    copy = pickle.loads(pickle.dumps(spill))
    assert list(copy) == list(spill)
    spill.close()
    assert list(spill) == [] and len(copy) == 4


def test_the_batch_stage_closes_the_spill_files_of_its_tallies():
    import dataclasses

    from mtaudit.checks import select
    from mtaudit.run.pipeline import BatchTallies

    spec = next(s for s in select() if s.id == "name-inconsistent")
    tallies = BatchTallies([dataclasses.replace(spec, func=lambda ctx: [])])
    spilled = tallies.tallies["name-inconsistent"].occurrences
    spilled.extend(["an occurrence"])
    assert spilled._fh is not None
    tallies.run(None)
    assert spilled._fh is None and len(spilled) == 0


def test_appended_items_come_back_in_batches_and_two_passes_may_interleave(monkeypatch):
    monkeypatch.setattr(SpillList, "batch", 3)
    spill = SpillList()
    for i in range(8):
        spill.append(i)
    assert len(spill) == 8 and spill._batches == 2  # two full batches on disk, two items pending
    outer = iter(spill)
    assert [next(outer) for _ in range(4)] == [0, 1, 2, 3]
    assert list(spill) == list(range(8))  # a second pass while the first is half way
    spill.append(8)
    assert list(outer) == [4, 5, 6, 7]
    assert list(spill) == list(range(9)) and bool(spill)
    spill.close()
    assert not spill and list(spill) == []


def test_the_first_items_may_stay_in_memory_and_the_rest_go_to_disk(monkeypatch):
    monkeypatch.setattr(SpillList, "batch", 2)
    spill = SpillList(memory_items=3)
    for i in range(4):
        spill.append(i)
    assert spill._head == [0, 1, 2] and spill._fh is None  # the fourth is pending
    spill.extend([4, 5])
    spill.append(6)
    assert spill._fh is not None and list(spill) == list(range(7)) and len(spill) == 7
    spill.close()
    assert list(spill) == [] and not spill

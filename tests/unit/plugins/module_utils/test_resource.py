# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The idempotent engine: find, compare, create/update/delete, check mode, diff, adoption."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    AmbiguousWriteError,
    GrafanaCloudAPIError,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import (
    MAP,
    MASK,
    SET,
    ChangedConcurrently,
    Field,
    Resource,
)


class ModuleFailed(Exception):
    pass


class FakeModule:
    def __init__(self, params, check_mode=False, diff=True):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warned = []

    def fail_json(self, msg, **kwargs):
        self.failed_with = dict(kwargs, msg=msg)
        raise ModuleFailed(msg)

    def warn(self, warning):
        self.warned.append(warning)


class Widget(Resource):
    """A resource held in a dict, standing in for an API; counts the writes it receives."""

    resource_key = "widget"
    secret_response_keys = ("secret_value",)
    fields = (
        Field("region", immutable=True, hint="Create a new widget instead."),
        Field("color"),
        Field("tags", kind=SET),
        Field("labels", kind=MAP, purge_option="purge_labels"),
        Field("password", secret=True),
    )

    def __init__(self, module, store, fail_create_with=None):
        super().__init__(module, client=None)
        self.store = store
        self.writes = []
        self.fail_create_with = fail_create_with

    def describe(self):
        return "widget %r" % self.params["name"]

    def find(self):
        return self.store.get(self.params["name"])

    def current_values(self, obj):
        return dict((field.option, obj.get(field.option)) for field in self.fields)

    def create(self, values):
        self.writes.append(("create", values))
        obj = dict(values, name=self.params["name"], id=7, secret_value="s3cr3t")
        self.store[self.params["name"]] = obj
        if self.fail_create_with:
            raise self.fail_create_with
        return obj

    def update(self, obj, changes, values):
        self.writes.append(("update", changes))
        obj.update(changes)
        return obj

    def delete(self, obj):
        self.writes.append(("delete", obj["name"]))
        del self.store[obj["name"]]


def params(**overrides):
    base = dict(name="w1", state="present", region=None, color=None, tags=None, labels=None,
                purge_labels=True, password=None)
    base.update(overrides)
    return base


def run(store, check_mode=False, **overrides):
    widget = Widget(FakeModule(params(**overrides), check_mode=check_mode), store)
    return widget.run(), widget


def test_create_then_rerun_is_unchanged_and_writes_nothing():
    store = {}
    result, widget = run(store, color="red", tags=["a", "b"])
    assert result["changed"] is True
    assert widget.writes == [("create", {"color": "red", "tags": ["a", "b"]})]
    assert result["secret"] == "s3cr3t" and "secret_value" not in result["widget"]
    assert result["diff"] == {"before": {}, "after": {"color": "red", "tags": ["a", "b"]}}

    again, widget = run(store, color="red", tags=["b", "a", "a"])
    assert again["changed"] is False and widget.writes == []
    assert "secret" not in again and "secret_value" not in again["widget"]


def test_check_mode_predicts_create_and_writes_nothing():
    store = {}
    result, widget = run(store, check_mode=True, color="red")
    assert result["changed"] is True
    assert result["widget"] == {"color": "red"}
    assert widget.writes == [] and store == {}


def test_only_set_options_are_compared_and_sent():
    store = {"w1": dict(name="w1", color="red", tags=["x"], labels={}, region="us")}
    result, widget = run(store, tags=["y"])
    assert result["changed"] is True
    assert widget.writes == [("update", {"tags": ["y"]})]
    assert result["diff"]["before"]["tags"] == ["x"] and result["diff"]["after"]["tags"] == ["y"]
    assert result["diff"]["after"]["color"] == "red"


def test_check_mode_update_predicts_and_writes_nothing():
    store = {"w1": dict(name="w1", color="red")}
    result, widget = run(store, check_mode=True, color="blue")
    assert result["changed"] is True and result["widget"]["color"] == "blue"
    assert widget.writes == [] and store["w1"]["color"] == "red"


def test_labels_purge_semantics():
    store = {"w1": dict(name="w1", labels={"team": "a", "env": "dev"})}
    result, widget = run(store, labels={"team": "a"}, purge_labels=False)
    assert result["changed"] is False and widget.writes == []

    result, widget = run(store, labels={"owner": "b"}, purge_labels=False)
    assert widget.writes == [("update", {"labels": {"team": "a", "env": "dev", "owner": "b"}})]

    result, widget = run(store, labels={"team": "a"}, purge_labels=True)
    assert widget.writes == [("update", {"labels": {"team": "a"}})]


def test_immutable_field_fails_naming_the_field_and_the_way_out():
    store = {"w1": dict(name="w1", region="us")}
    with pytest.raises(ModuleFailed) as raised:
        run(store, region="eu", color="red")
    message = str(raised.value)
    assert "region" in message and "'us'" in message and "'eu'" in message
    assert "Create a new widget instead." in message


def test_absent_deletes_once_then_is_unchanged():
    store = {"w1": dict(name="w1", color="red")}
    result, widget = run(store, state="absent")
    assert result["changed"] is True and widget.writes == [("delete", "w1")]
    assert result["diff"]["before"]["color"] == "red" and result["diff"]["after"] == {}
    result, widget = run(store, state="absent")
    assert result["changed"] is False and widget.writes == []


def test_absent_in_check_mode_deletes_nothing():
    store = {"w1": dict(name="w1")}
    result, widget = run(store, check_mode=True, state="absent")
    assert result["changed"] is True and "w1" in store and widget.writes == []


def test_secret_fields_are_masked_in_diff():
    store = {"w1": dict(name="w1", password="old")}
    result, _widget = run(store, password="new")
    assert result["diff"] == {"before": dict.fromkeys(["region", "color", "tags", "labels"], None) | {"password": MASK},
                              "after": dict.fromkeys(["region", "color", "tags", "labels"], None) | {"password": MASK}}


def test_ambiguous_create_is_adopted_not_resent():
    store = {}
    widget = Widget(FakeModule(params(color="red")), store,
                    fail_create_with=AmbiguousWriteError("POST", "/widgets", status=504))
    result = widget.run()
    assert result["changed"] is True and result["widget"]["id"] == 7
    assert [kind for kind, _values in widget.writes] == ["create"]
    assert any("adopted" in warning for warning in widget.warnings)


def test_ambiguous_create_twice_with_nothing_on_the_server_fails_after_one_resend():
    class Vanishing(Widget):
        def create(self, values):
            self.writes.append(("create", values))
            raise AmbiguousWriteError("POST", "/widgets", status=503)

    widget = Vanishing(FakeModule(params(color="red")), {})
    with pytest.raises(AmbiguousWriteError):
        widget.run()
    assert len(widget.writes) == 2


def test_ambiguous_create_not_committed_is_sent_once_more_after_the_lookup():
    class LostOnce(Widget):
        lookups = 0

        def create(self, values):
            if not self.writes:
                self.writes.append(("create", values))
                raise AmbiguousWriteError("POST", "/widgets", status=503)
            return super(LostOnce, self).create(values)

        def find(self):
            LostOnce.lookups += 1
            return super(LostOnce, self).find()

    store = {}
    widget = LostOnce(FakeModule(params(color="red")), store)
    result = widget.run()
    assert result["changed"] is True and store["w1"]["color"] == "red"
    assert [kind for kind, _values in widget.writes] == ["create", "create"]
    assert LostOnce.lookups == 2  # the run's own lookup, then the one before the resend
    assert any("sent once more" in warning for warning in widget.warnings)


def test_ambiguous_create_whose_lookup_fails_is_not_resent():
    class Blind(Widget):
        looked = False

        def create(self, values):
            self.writes.append(("create", values))
            raise AmbiguousWriteError("POST", "/widgets", status=503)

        def find_created(self, values):
            raise GrafanaCloudAPIError("GET", "/widgets/w1", status=500)

    widget = Blind(FakeModule(params(color="red")), {})
    with pytest.raises(GrafanaCloudAPIError):
        widget.run()
    assert len(widget.writes) == 1


def test_ambiguous_create_adopts_only_what_find_created_names():
    """A rotation's key can find the old object; adoption must look for the new one."""
    class Rotating(Widget):
        def create(self, values):
            self.writes.append(("create", values))
            raise AmbiguousWriteError("POST", "/widgets", status=504)

        def find_created(self, values):
            return None  # the replacement never reached the server

    store = {"w1": dict(name="w1", color="red")}
    widget = Rotating(FakeModule(params(color="red")), store)
    with pytest.raises(AmbiguousWriteError):
        widget.create_or_adopt({"color": "red"})
    assert widget.warnings == []


def test_a_failure_still_emits_the_warnings_gathered_before_it():
    store = {"w1": dict(name="w1", region="us")}
    module = FakeModule(params(region="eu"))
    widget = Widget(module, store)
    widget.warnings.append("this API is deprecated")
    with pytest.raises(ModuleFailed):
        widget.run()
    assert module.warned == ["this API is deprecated"]


class SecretWidget(Widget):
    """A widget whose secret, as with real tokens, is only in the create's answer: never found."""

    def find(self):
        found = self.store.get(self.params["name"])
        return dict((key, value) for key, value in found.items() if key != "secret_value") if found else None


def test_ambiguous_create_of_a_secret_is_adopted_but_fails_saying_the_secret_is_lost():
    store = {}
    module = FakeModule(params(color="red"))
    widget = SecretWidget(module, store, fail_create_with=AmbiguousWriteError("POST", "/widgets", status=504))

    with pytest.raises(ModuleFailed) as failed:
        widget.run()

    message = str(failed.value)
    assert "widget 'w1' was created" in message and "lost in transit" in message
    assert "POST /widgets failed: HTTP 504" in message
    assert message.endswith("To get a new secret, delete it (state: absent) and run the task again, "
                            "which creates it with a new secret.")
    assert "already deleted" not in message
    # Not created twice; the adopted object is in the result, its secret nowhere.
    assert [kind for kind, _values in widget.writes] == ["create"]
    assert module.failed_with["changed"] is True
    assert module.failed_with["widget"]["id"] == 7 and "secret_value" not in module.failed_with["widget"]
    assert "s3cr3t" not in repr(module.failed_with)


def test_a_lost_secret_of_a_rotation_says_the_old_one_was_already_deleted():
    class Rotated(SecretWidget):
        def lost_secret_way_out(self):
            return "run the task once with force_rotate: true."

    module = FakeModule(params(color="red"))
    widget = Rotated(module, {}, fail_create_with=AmbiguousWriteError("POST", "/widgets", status=504))

    with pytest.raises(ModuleFailed) as failed:
        widget.create_or_adopt({"color": "red"}, replaced=dict(name="w1", id=6))

    message = str(failed.value)
    assert "The old widget 'w1' (id 6) was already deleted, so its secret no longer works either." in message
    assert message.endswith("To get a new secret, run the task once with force_rotate: true.")


def test_a_rotation_whose_replacement_never_arrived_says_the_old_one_is_gone():
    class Vanishing(SecretWidget):
        def create(self, values):
            self.writes.append(("create", values))
            raise AmbiguousWriteError("POST", "/widgets", status=504)

    module = FakeModule(params(color="red"))
    widget = Vanishing(module, {})

    with pytest.raises(ModuleFailed) as failed:
        widget.create_or_adopt({"color": "red"}, replaced=dict(name="w1", id=6))

    message = str(failed.value)
    assert "the old widget 'w1' (id 6) was deleted" in message
    assert "does not hold it" in message and "Run the task again" in message
    assert module.failed_with["status"] == 504


# -- two runs at once (issue 22) ----------------------------------------------------------------

class RacedWidget(Widget):
    """The other run creates ``rival`` just before our create, which is refused with ``refusal``."""

    def __init__(self, module, store, rival, refusal):
        super().__init__(module, store)
        self.rival = rival
        self.refusal = refusal
        self.finds = 0

    def find(self):
        self.finds += 1
        return super().find()

    def create(self, values):
        self.writes.append(("create", values))
        if self.rival is not None:
            self.store[self.params["name"]] = dict(self.rival, name=self.params["name"], id=8)
        raise self.refusal


CONFLICT = GrafanaCloudAPIError("POST", "/widgets", status=409, code="Conflict", message="widget exists")


def raced(rival, refusal=CONFLICT, **overrides):
    module = FakeModule(params(**overrides))
    store = {}
    widget = RacedWidget(module, store, rival, refusal)
    return widget, store


def test_a_create_refused_as_existing_adopts_what_the_other_run_made_unchanged():
    widget, store = raced(dict(color="red"), color="red")
    result = widget.run()
    assert result["changed"] is False and result["widget"]["id"] == 8
    # One read at the start, one after the refusal: bounded.
    assert widget.finds == 2 and widget.writes == [("create", {"color": "red"})]
    assert "created concurrently by another run" in widget.warnings[0]
    # Its secret went to the other run: said, never pretended.
    assert result["secret_issued_elsewhere"] is True and "secret" not in result
    assert "If this run needs the secret" in widget.warnings[0]


def test_a_lost_race_is_then_compared_and_updated_as_on_any_run():
    widget, store = raced(dict(color="blue"), color="red")
    result = widget.run()
    assert result["changed"] is True
    assert widget.writes[-1] == ("update", {"color": "red"}) and store["w1"]["color"] == "red"
    assert result["diff"] == {"before": dict(widget.current_values(dict(color="blue")), password=None),
                              "after": dict(widget.current_values(dict(color="red")), password=None)}


def test_a_create_refused_as_existing_but_not_found_fails_after_one_read():
    widget, store = raced(None, color="red")
    with pytest.raises(ModuleFailed, match="not a race lost to another run"):
        widget.run()
    assert widget.finds == 2 and widget.module.failed_with["status"] == 409


@pytest.mark.parametrize("refusal", [
    GrafanaCloudAPIError("POST", "/widgets", status=409, code="InvalidArgument", message="bad name"),
    GrafanaCloudAPIError("POST", "/widgets", status=400, code="BadRequest", message="bad"),
    GrafanaCloudAPIError("POST", "/widgets", status=403, code="Forbidden", message="no"),
])
def test_other_refusals_are_errors_not_races(refusal):
    widget, store = raced(dict(color="red"), refusal=refusal, color="red")
    with pytest.raises(GrafanaCloudAPIError):
        widget.run()
    assert widget.finds == 1


class GoneWidget(Widget):
    def delete(self, obj):
        raise GrafanaCloudAPIError("DELETE", "/widgets/7", status=404, message="Not found.")


def test_a_delete_answered_404_is_already_absent():
    widget = GoneWidget(FakeModule(params(state="absent")), {"w1": dict(name="w1", color="red")})
    result = widget.run()
    assert result["changed"] is False and result["diff"] == {"before": {}, "after": {}}
    assert "already deleted" in widget.warnings[0]


# -- an update another run made a moment earlier (ChangedConcurrently) --------------------------

class OvertakenWidget(Widget):
    """Each of the first ``races`` updates is refused: another run changed the widget to ``rival_values``."""

    def __init__(self, module, store, rival_values, races=1):
        super().__init__(module, store)
        self.rival_values = rival_values
        self.races = races

    def update(self, obj, changes, values):
        if self.races:
            self.races -= 1
            self.writes.append(("refused", changes))
            obj.update(self.rival_values)
            raise ChangedConcurrently(obj)
        return super().update(obj, changes, values)


def overtaken(rival_values, races=1, **overrides):
    store = {"w1": dict(name="w1", id=7, region="eu", color="blue", tags=["a"])}
    return OvertakenWidget(FakeModule(params(**overrides)), store, rival_values, races), store


def test_an_update_another_run_made_is_compared_again_and_only_the_rest_sent():
    widget, store = overtaken(dict(color="red"), color="red", tags=["b"])
    result = widget.run()
    assert widget.writes == [("refused", {"color": "red", "tags": ["b"]}), ("update", {"tags": ["b"]})]
    assert result["changed"] is True and store["w1"]["color"] == "red" and store["w1"]["tags"] == ["b"]
    assert result["diff"]["before"]["color"] == "red" and result["diff"]["after"]["tags"] == ["b"]


def test_an_update_another_run_fully_made_is_unchanged():
    widget, store = overtaken(dict(color="red"), color="red")
    result = widget.run()
    assert result["changed"] is False and widget.writes == [("refused", {"color": "red"})]


def test_a_race_that_leaves_an_immutable_difference_fails_naming_the_field():
    # The compare after the race is the same compare as on any run: an immutable field that
    # now differs fails the task with its message, never an uncaught exception.
    widget, store = overtaken(dict(region="us"), color="red", region="eu")
    with pytest.raises(ModuleFailed, match="Cannot change region .* Create a new widget instead."):
        widget.run()


def test_a_second_race_on_one_update_fails_instead_of_retrying_again():
    widget, store = overtaken(dict(tags=["c"]), races=2, color="red", tags=["b"])
    with pytest.raises(ModuleFailed, match="changed by other runs twice"):
        widget.run()
    assert [write[0] for write in widget.writes] == ["refused", "refused"]


# -- two creates at once where the API keeps no key unique (keep_oldest) ------------------------

class TwinWidget(Widget):
    """An API that keeps no name unique: ``rivals`` are the objects of the key another run made."""

    unique_key = False

    def __init__(self, module, store, rivals, fail_create_with=None):
        super().__init__(module, store, fail_create_with=fail_create_with)
        self.rivals = rivals
        self.twin_reads = 0

    def twins(self, created):
        self.twin_reads += 1
        return sorted(self.rivals + [created], key=lambda twin: twin["id"])  # ids grow with age


def test_a_create_that_met_an_older_twin_deletes_its_own_and_adopts_the_oldest():
    widget = TwinWidget(FakeModule(params(color="red")), {}, [dict(name="w1", id=5, color="red")])
    result = widget.run()
    assert result["widget"]["id"] == 5 and widget.twin_reads == 1
    assert widget.writes[-1] == ("delete", "w1") and widget.store == {}
    assert "this run adopted the oldest" in widget.warnings[-1]


def test_a_create_older_than_its_twin_stays():
    widget = TwinWidget(FakeModule(params(color="red")), {}, [dict(name="w1", id=9, color="red")])
    result = widget.run()
    assert result["changed"] is True and result["widget"]["id"] == 7
    assert [kind for kind, _values in widget.writes] == ["create"]
    assert "is the oldest and stays" in widget.warnings[-1]


def test_a_create_adopted_after_an_unclear_answer_reads_no_twins_again():
    # The read by key that found it would have seen a twin: no second read.
    widget = TwinWidget(FakeModule(params(color="red")), {}, [],
                        fail_create_with=AmbiguousWriteError("POST", "/widgets", status=504))
    result = widget.run()
    assert result["widget"]["id"] == 7 and widget.twin_reads == 0


def test_a_create_sent_once_more_after_an_unclear_answer_still_settles_twins():
    class LostOnce(TwinWidget):
        def create(self, values):
            if not self.writes:
                self.writes.append(("create", values))
                raise AmbiguousWriteError("POST", "/widgets", status=503)
            return super(LostOnce, self).create(values)

    widget = LostOnce(FakeModule(params(color="red")), {}, [dict(name="w1", id=5, color="red")])
    result = widget.run()
    assert widget.twin_reads == 1 and result["widget"]["id"] == 5

# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The engine's hooks: ``self.found``, create-only and non-removable fields, resources
that can't be updated (refused, or replaced when the replace option is set)."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field, Resource

from test_resource import FakeModule, ModuleFailed


class Gadget(Resource):
    resource_key = "gadget"
    fields = (
        Field("color"),
        Field("seed", create_only=True),
        Field("owner", removable=False, hint="Delete the gadget and create it again."),
        Field("size", immutable=True, hint="Create another gadget."),
    )

    def __init__(self, module, store):
        super().__init__(module, client=None)
        self.store = store
        self.writes = []
        self.seen_found = []

    def describe(self):
        return "gadget %r" % self.params["name"]

    def find(self):
        return self.store.get(self.params["name"])

    def current_values(self, obj):
        return dict((field.option, obj.get(field.option)) for field in self.fields)

    def desired_values(self, current=None):
        self.seen_found.append(self.found)
        return super().desired_values(current)

    def create(self, values):
        self.writes.append(("create", values))
        self.store[self.params["name"]] = dict(values, name=self.params["name"])
        return self.store[self.params["name"]]

    def update(self, obj, changes, values):
        self.writes.append(("update", changes))
        obj.update(changes)
        return obj

    def delete(self, obj):
        self.writes.append(("delete", obj["name"]))
        del self.store[obj["name"]]


def params(**values):
    base = dict(name="g", state="present", color=None, seed=None, owner=None, size=None, replace=False)
    base.update(values)
    return base


def test_found_is_set_by_the_engine_before_desired_values():
    store = {"g": {"name": "g", "color": "red"}}
    gadget = Gadget(FakeModule(params(color="red")), store)
    gadget.run()
    assert gadget.seen_found == [store["g"]]
    absent = Gadget(FakeModule(params(name="new", color="red")), {})
    absent.run()
    assert absent.seen_found == [None]


def test_create_only_is_sent_on_create_and_never_compared():
    store = {}
    created = Gadget(FakeModule(params(color="red", seed="abc")), store).run()
    assert created["changed"] and store["g"]["seed"] == "abc"
    again = Gadget(FakeModule(params(color="red", seed="other")), store)
    result = again.run()
    assert result["changed"] is False and again.writes == []


def test_non_removable_field_refuses_an_empty_value_naming_the_way_out():
    store = {"g": {"name": "g", "owner": "F1"}}
    gadget = Gadget(FakeModule(params(owner="")), store)
    with pytest.raises(ModuleFailed) as caught:
        gadget.run()
    assert "Cannot remove owner of gadget 'g' (it is 'F1')" in str(caught.value)
    assert "Delete the gadget and create it again." in str(caught.value)
    assert gadget.writes == []


def test_non_removable_field_may_still_change():
    store = {"g": {"name": "g", "owner": "F1"}}
    gadget = Gadget(FakeModule(params(owner="F2")), store)
    assert gadget.run()["changed"] and gadget.writes == [("update", {"owner": "F2"})]


def test_immutable_field_fails_naming_field_and_hint():
    store = {"g": {"name": "g", "size": 1}}
    gadget = Gadget(FakeModule(params(size=2)), store)
    with pytest.raises(ModuleFailed, match="Cannot change size of gadget 'g' from 1 to 2.*Create another gadget"):
        gadget.run()


class Sealed(Gadget):
    updatable = False
    replace_option = "replace"

    def replace(self, obj, changes, values):
        self.delete(obj)
        return self.create(dict(self.current_values(obj), **values))


def test_not_updatable_refuses_a_change_naming_the_replace_option():
    store = {"g": {"name": "g", "color": "red"}}
    sealed = Sealed(FakeModule(params(color="blue")), store)
    with pytest.raises(ModuleFailed) as caught:
        sealed.run()
    assert "Cannot change gadget 'g': color is 'red', the task asks for 'blue'" in str(caught.value)
    assert "Set replace: true" in str(caught.value)
    assert sealed.writes == []


def test_not_updatable_replaces_when_asked_and_predicts_in_check_mode():
    store = {"g": {"name": "g", "color": "red"}}
    checked = Sealed(FakeModule(params(color="blue", replace=True), check_mode=True), store)
    predicted = checked.run()
    assert predicted["changed"] and predicted["gadget"]["color"] == "blue" and checked.writes == []
    sealed = Sealed(FakeModule(params(color="blue", replace=True)), store)
    result = sealed.run()
    assert result["changed"] and [write[0] for write in sealed.writes] == ["delete", "create"]
    assert result["diff"] == {"before": {"color": "red", "seed": None, "owner": None, "size": None},
                              "after": {"color": "blue", "seed": None, "owner": None, "size": None}}


def test_not_updatable_unchanged_is_unchanged():
    store = {"g": {"name": "g", "color": "red"}}
    sealed = Sealed(FakeModule(params(color="red")), store)
    assert sealed.run()["changed"] is False and sealed.writes == []

# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The idempotent engine every resource module runs on.

find by key -> compare only what the user set -> create, update, delete or nothing.
Check mode writes nothing and returns the predicted object; diff mode shows the compared
fields before and after, secrets masked. A module subclasses :class:`Resource` and states
only what is particular to its resource.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    is_already_exists,
    is_not_found,
)

SCALAR = "scalar"
SET = "set"  # a list whose order carries no meaning
MAP = "map"  # a dict such as labels, with purge semantics
LIST = "list"  # a list whose order matters

MASK = "********"


class Field:
    """One option the module compares with the server's value.

    :param option: the module option (and key of :meth:`Resource.current_values`).
    :param kind: SCALAR, SET, MAP or LIST.
    :param purge_option: for MAP, the boolean option that says whether keys the user did
        not list are removed (``purge_labels``), as in amazon.aws.
    :param immutable: the value can't change after creation (the API refuses, or silently
        ignores, a change); a difference fails naming the field, ``hint`` says the way out.
    :param create_only: the value is sent when the object is created and never compared
        afterwards (a write-only value the API can't read back, a seed).
    :param removable: False when the API can't clear the value once set: asking for an
        empty value ("", [] or {}) while the server holds one fails, ``hint`` says the way out.
    :param secret: masked in diffs.
    :param normalize: applied to both sides before comparing (e.g. canonical CIDRs).
    """

    def __init__(self, option, kind=SCALAR, purge_option=None, immutable=False, hint=None,
                 secret=False, normalize=None, create_only=False, removable=True):
        self.option = option
        self.kind = kind
        self.purge_option = purge_option
        self.immutable = immutable
        self.hint = hint
        self.secret = secret
        self.normalize = normalize
        self.create_only = create_only
        self.removable = removable

    def prepare(self, value):
        if value is None:
            return None
        if self.normalize is not None:
            value = self.normalize(value)
        return value

    def same(self, current, desired):
        """Whether the server's value already satisfies the desired one."""
        current, desired = self.prepare(current), self.prepare(desired)
        if self.kind == SET:
            return canonical_set(current or []) == canonical_set(desired or [])
        if self.kind == MAP:
            return (current or {}) == (desired or {})
        return current == desired

    @property
    def compared(self):
        """Whether a difference on an existing object counts as a change."""
        return not (self.immutable or self.create_only)


def is_empty(value):
    return value is None or value == "" or value == [] or value == {}


def canonical_set(values):
    """A list as an order-free, duplicate-free comparable value (works for dict items too)."""
    return sorted(set(json.dumps(value, sort_keys=True) for value in values))


def deep_merge(base, overlay):
    """``overlay`` merged into a copy of ``base``; nested dicts merge, everything else replaces."""
    merged = copy.deepcopy(base) if base else {}
    for key, value in (overlay or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and value:
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def secret_lost_message(what, error, way_out, replaced=None, certain=True):
    """What a user reads when a create was committed but its answer, holding the secret, was lost.

    :param what: the object, as :meth:`Resource.describe` names it.
    :param error: the :class:`AmbiguousWriteError` that lost the answer.
    :param way_out: how to get a new secret, one sentence.
    :param replaced: the name of the object this create replaced, already deleted (a rotation).
    :param certain: False when the API cannot tell whether the object was created.
    """
    message = "%s %s, but the answer to the create was lost in transit (%s), and its secret with it: " % (
        what, "was created" if certain else "may have been created", error)
    message += "the API shows the secret only in that answer, so this run cannot return it."
    if replaced:
        message += " The old %s was already deleted, so its secret no longer works either." % replaced
    return message + " To get a new secret, " + way_out


class ImmutableFieldError(Exception):
    """The task asks to change a field that the API fixes at creation."""


class CreatedConcurrently(Exception):
    """A create lost a race: another run created the object between our lookup and our create.

    Raised by :meth:`Resource.create_or_adopt` once the object was read back by key;
    :meth:`Resource.ensure_created` catches it and goes on as on a run that found the object.
    """

    def __init__(self, adopted):
        super(CreatedConcurrently, self).__init__("created concurrently")
        self.adopted = adopted


class ChangedConcurrently(Exception):
    """An update the API refused because another run had just made it (two runs resolving one
    incident): raised by an :meth:`Resource.update` hook with the object as the server now
    holds it; :meth:`Resource.ensure_matches` compares again from there.
    """

    def __init__(self, current):
        super(ChangedConcurrently, self).__init__("changed concurrently")
        self.current = current


class Resource:
    """Base class: subclasses define the hooks below; :meth:`run` does the rest.

    Hooks every subclass implements: :meth:`find`, :meth:`current_values`, :meth:`create`,
    :meth:`update` (unless nothing is updatable), :meth:`delete`, :meth:`describe`.

    State the engine keeps for the hooks: ``self.found`` is the object :meth:`find` returned
    (None when absent or gone), set before :meth:`desired_values` and every later hook is
    called, so that a desired value may depend on the server's object (an expiry counted
    from its creation) without the module keeping state of its own.

    A resource the API can't update at all sets ``updatable = False``: a difference then
    fails with :meth:`no_update_message`, unless ``replace_option`` names a boolean option
    the user set, in which case :meth:`replace` (delete and create) runs instead.
    """

    #: The single key the resource is returned under (``access_policy``, ``stack`` ...).
    resource_key = None
    #: The options compared with the server (instances of :class:`Field`).
    fields = ()
    #: Keys of an API answer that hold a secret. Returned once, as ``secret``, then dropped.
    secret_response_keys = ()
    #: False when the API has no update for the resource (see the class docstring).
    updatable = True
    #: The boolean option that allows a replacement when ``updatable`` is False.
    replace_option = None
    #: False where the API can hold two objects of the module's key, so that two runs
    #: creating at the same moment both succeed and leave two. After a create,
    #: :meth:`keep_oldest` settles it; such a resource implements :meth:`twins`.
    unique_key = True

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.warnings = []
        # Notes on requests that had to be repeated and then went through: not warnings
        # (nothing for the user to act on), returned under ``retries`` (shown with -v).
        self.retries = []
        self.found = None

    # -- hooks -----------------------------------------------------------------------------

    def validate(self):
        """Check the input before any request (``fail_on_problems`` in _gcom fails with every problem)."""

    def find(self):
        """The object under the module's key, or None. One request where the API allows it."""
        raise NotImplementedError

    def is_gone(self, obj):
        """Whether a found object counts as absent (e.g. a stack whose status is ``deleted``)."""
        return False

    def current_values(self, obj):
        """The server's object as module option values, for the compared fields."""
        raise NotImplementedError

    def create(self, values):
        """Create the object from the desired option values; return the API's answer."""
        raise NotImplementedError

    def update(self, obj, changes, values):
        """Apply ``changes`` (option -> new value); return the updated object."""
        raise NotImplementedError

    def delete(self, obj):
        raise NotImplementedError

    def predict_created(self, values):
        """The object a create would return, for check mode (without server-made fields)."""
        return dict(values)

    def predict_updated(self, obj, changes, values):
        """The object an update would return, for check mode."""
        return deep_merge(obj, changes)

    def replace(self, obj, changes, values):
        """For ``updatable = False``: replace ``obj`` (delete, create); return the new object."""
        raise NotImplementedError

    def predict_replaced(self, obj, changes, values):
        """The object :meth:`replace` would return, for check mode."""
        return self.predict_created(values)

    def no_update_message(self, current, changes):
        """Why a change of a resource that can't be updated is refused, and the way out."""
        differences = ", ".join("%s is %r, the task asks for %r" % (option, current.get(option), value)
                                for option, value in sorted(changes.items()))
        message = "Cannot change %s: %s. The API cannot update it." % (self.describe(), differences)
        if self.replace_option:
            message += " Set %s: true to delete it and create it again." % self.replace_option
        return message

    def describe(self):
        """How messages name the object, e.g. ``access policy 'x' in region 'us'``."""
        return self.resource_key

    def find_created(self, values):
        """After a create that ended unclear: the object that create would have made, or None.

        The default is :meth:`find`; a resource whose key can name another object than the
        one being created (a rotation's replacement) looks up exactly the created one.
        """
        return self.find()

    def after_adopt(self, obj):
        """Called when an ambiguous create turned out to have been committed."""

    def lost_secret_way_out(self):
        """How to get a new secret when the answer that carried it was lost: one sentence.

        Only resources with :attr:`secret_response_keys` need it; token modules override it
        with their rotation.
        """
        return ("delete it (state: absent) and run the task again, which creates it with a new "
                "secret.")

    def fail(self, msg, **kwargs):
        """Fail the module, first emitting the warnings gathered so far (they'd be lost)."""
        for warning in self.warnings:
            self.module.warn(warning)
        self.warnings = []
        self.module.fail_json(msg=msg, **kwargs)

    # -- the engine ------------------------------------------------------------------------

    def desired_values(self, current=None):
        """The options the user set, maps resolved with their purge option."""
        values = {}
        for field in self.fields:
            value = self.params.get(field.option)
            if value is None:
                continue
            if field.kind == MAP and field.purge_option and not self.params.get(field.purge_option) and current:
                value = dict(current.get(field.option) or {}, **value)
            values[field.option] = value
        return values

    def changes_between(self, current, desired):
        """Option -> new value for every set option whose server value differs."""
        self.check_immutable(current, desired)
        self.check_removable(current, desired)
        return dict(
            (field.option, desired[field.option])
            for field in self.fields
            if field.option in desired and field.compared
            and not field.same(current.get(field.option), desired[field.option])
        )

    def check_immutable(self, current, desired):
        for field in self.fields:
            if not field.immutable or field.option not in desired:
                continue
            if field.same(current.get(field.option), desired[field.option]):
                continue
            message = "Cannot change %s of %s from %r to %r: it is fixed when the object is created." % (
                field.option, self.describe(), current.get(field.option), desired[field.option])
            if field.hint:
                message += " " + field.hint
            raise ImmutableFieldError(message)

    def check_removable(self, current, desired):
        for field in self.fields:
            if field.removable or field.option not in desired:
                continue
            if is_empty(desired[field.option]) and not is_empty(current.get(field.option)):
                message = "Cannot remove %s of %s (it is %r): the API can't clear it once set." % (
                    field.option, self.describe(), current.get(field.option))
                if field.hint:
                    message += " " + field.hint
                raise ImmutableFieldError(message)

    def run(self):
        """Bring the object to the requested state; return the module result."""
        self.validate()
        found = self.find()
        if found is not None and self.is_gone(found):
            found = None
        self.found = found
        if self.params.get("state") == "absent":
            return self.ensure_absent(found)
        return self.ensure_present(found)

    def generations(self, found):
        """The objects ``state: absent`` deletes for ``found``: itself. A token module with
        ``keep_old`` answers the whole family (the token and the replacements kept next to it)."""
        return [found]

    def ensure_absent(self, found):
        if found is None:
            return self.result(False, None, before={}, after={})
        if not self.module.check_mode:
            # Each may have been deleted by another run since the lookup (404): then nothing changed.
            deleted = [self.delete_unless_gone(obj) for obj in self.generations(found)]
            if not any(deleted):
                return self.result(False, None, before={}, after={})
        return self.result(True, None, before=self.current_values(found), after={})

    def delete_unless_gone(self, obj):
        """Delete ``obj``; False when the API answers 404: another run deleted it since our lookup.

        That is a delete that lost a race, not an error: the object is absent, as asked.
        """
        try:
            self.delete(obj)
        except GrafanaCloudAPIError as error:
            if not is_not_found(error) or isinstance(error, AmbiguousWriteError):
                raise
            self.warnings.append("%s was already deleted (by another run, since this run looked it up)."
                                 % self.describe())
            return False
        return True

    def ensure_present(self, found):
        if found is None:
            return self.ensure_created()
        return self.ensure_matches(found)

    def ensure_matches(self, found, after_race=False):
        """Compare ``found`` with the task and update what differs.

        An update hook that raises :class:`ChangedConcurrently` (another run made (some of)
        this run's update a moment earlier) has the server's object compared again, the same
        way, and the rest sent: once (``after_race``); a second such race fails the task.
        """
        current = self.current_values(found)
        desired = self.desired_values(current)
        try:
            changes = self.changes_between(current, desired)
        except ImmutableFieldError as error:
            self.fail(str(error))
        if not changes:
            return self.result(False, found, before=current, after=current)
        if not self.updatable:
            return self.ensure_replaced(found, current, changes, desired)
        if self.module.check_mode:
            updated = self.predict_updated(found, changes, desired)
        else:
            try:
                updated = self.update(found, changes, desired)
            except ChangedConcurrently as race:
                if after_race:
                    self.fail("%s was changed by other runs twice while this run updated it: run the task again."
                              % self.describe())
                self.found = race.current
                return self.ensure_matches(race.current, after_race=True)
        return self.result(True, updated, before=current, after=dict(current, **changes))

    def ensure_replaced(self, found, current, changes, desired):
        """A change of a resource that can't be updated: refused, or replaced when asked."""
        if not (self.replace_option and self.params.get(self.replace_option)):
            self.fail(self.no_update_message(current, changes))
        if self.module.check_mode:
            replaced = self.predict_replaced(found, changes, desired)
        else:
            replaced = self.replace(found, changes, desired)
        return self.result(True, replaced, before=current, after=dict(current, **changes))

    def ensure_created(self):
        desired = self.desired_values()
        if self.module.check_mode:
            return self.result(True, self.predict_created(desired), before={}, after=desired)
        try:
            created = self.create_or_adopt(desired)
        except CreatedConcurrently as race:
            return self.ensure_adopted(race.adopted)
        # The API shows a secret only in the answer to the create: this is the one chance.
        return self.result(True, created, before={}, after=desired, secret=self.secret_of(created))

    def ensure_adopted(self, adopted):
        """After a lost create race: the object another run made, compared and updated as on
        any run. ``changed`` says what this run did: false when the object already matches
        the task (the other run made it), true when this run had to update it.

        A resource with a secret adds ``secret_issued_elsewhere: true``: the secret went to
        the run that created the object, and this run has none to return.
        """
        self.found = adopted
        result = self.ensure_present(adopted)
        if self.secret_response_keys:
            result["secret_issued_elsewhere"] = True
        return result

    def create_or_adopt(self, desired, replaced=None):
        """Create (see :meth:`create_or_adopt_answer`); where the API keeps no key unique,
        settle a race that left two objects of the key (:meth:`keep_oldest`)."""
        created, read_by_key = self.create_or_adopt_answer(desired, replaced)
        if self.unique_key or read_by_key or not created or self.object_id(created) is None:
            # An object adopted after an unclear create was just read by its key: that read saw
            # any twin already (find() reports or refuses more than one), no second read.
            return created
        return self.keep_oldest(created)

    def create_or_adopt_answer(self, desired, replaced=None):
        """Create; if the answer was lost, or the create lost a race, adopt what the server holds.
        Returns the object and whether it was adopted after a read by key.

        A create that timed out or got a 5xx (Grafana's gateway answers ``503 Loading`` to
        requests the backend goes on to process) may have been committed. It is never sent
        again blindly: we look the object up and adopt it when it is there. Only when the
        lookup answered that it is not there is the create sent once more; a second unclear
        answer fails the task. An object whose secret was in the lost answer is adopted too,
        but the module fails: ``changed`` with no secret would let a playbook carry on as if
        nothing were lost.

        A create the API refuses because the object exists (:func:`is_already_exists`) lost a
        race with another run: see :meth:`adopt_race_winner`; :class:`CreatedConcurrently` then
        carries the adopted object to :meth:`ensure_created`.

        :param replaced: in a rotation, the object this create replaces when it was deleted
            first; the failure then says that its secret no longer works either.
        """
        try:
            return self.create(desired), False
        except AmbiguousWriteError as error:
            adopted = self.find_created(desired)
            if adopted is None or self.is_gone(adopted):
                return self.create_once_more(desired, error, replaced), False
            self.after_adopt(adopted)
            if self.secret_response_keys and self.secret_of(adopted) is None:
                self.fail_secret_lost(error, adopted, replaced)
            self.warnings.append(
                "The create request ended without a clear answer (%s); the server holds %s, "
                "which this run adopted instead of creating it again." % (error, self.describe()))
            return adopted, True
        except GrafanaCloudAPIError as error:
            if not self.refused_as_taken(error):
                raise
            raise CreatedConcurrently(self.adopt_race_winner(desired, error))

    def refused_as_taken(self, error):
        """Whether a refused create may have lost a race: the API's answer for a taken key
        (:func:`is_already_exists`). A resource whose API can't say it overrides this; the one
        read of :meth:`adopt_race_winner` confirms it either way."""
        return is_already_exists(error)

    def adopt_race_winner(self, desired, error):
        """The create was refused because the object exists: read it back by key, once.

        Between our lookup and our create another run (a second pipeline, a retried job)
        created it. That is not an error: the object is adopted and compared as on any run.
        Bounded: when the one read does not find it either, the task fails, saying so.
        """
        adopted = self.find_created(desired)
        if adopted is None or self.is_gone(adopted):
            if not is_already_exists(error):
                raise error  # only a guess that the key was taken (refused_as_taken): the API's own answer stands
            self.fail(self.refused_but_absent_message(error), **error.to_result())
        self.after_adopt(adopted)
        message = ("%s was created concurrently by another run between this run's lookup and its create "
                   "(the API answered: %s); this run adopted it." % (self.describe(), error))
        if self.secret_response_keys:
            message += (" Its secret was returned to the run that created it, and went to that run's "
                        "destination; this run has none (secret_issued_elsewhere). If this run needs "
                        "the secret, " + self.lost_secret_way_out())
        self.warnings.append(message)
        return adopted

    # -- creates that race where the API keeps no key unique --------------------------------

    def twins(self, created):
        """The objects of ``created``'s key, oldest first (one read): for ``unique_key = False``."""
        raise NotImplementedError

    def object_id(self, obj):
        """The API's id of ``obj``: how twins are told apart."""
        return obj.get("id")

    def discard_duplicate(self, created, kept):
        """Remove this run's ``created``, a duplicate of ``kept``; say what was done, e.g.
        "deleted" (the default), for the warning: "... its own (id 7), which this run <did>"."""
        self.delete_unless_gone(created)
        return "deleted"

    def read_again(self, obj):
        """``obj`` as the server holds it now (after this run's duplicate was discarded)."""
        return obj

    def keep_oldest(self, created):
        """After a create: when another run created an object of the same key at the same
        moment, keep the oldest and discard the one this run made, so that one object remains.

        Every run applies the same rule to the same order, so the runs agree on the survivor.
        Raises :class:`CreatedConcurrently` with the kept object when this run's was discarded;
        fails when the read by key does not find this run's object (it can't tell which to keep).
        """
        twins = self.twins(created)
        if len(twins) <= 1:
            return created
        own_id = self.object_id(created)
        ids = [self.object_id(twin) for twin in twins]
        if own_id not in ids:
            self.fail("After creating %s (id %s), a read by its key finds other objects of that key but not this "
                      "one, so this run can't tell which one to keep (ids %s). Remove the extra ones, then run the "
                      "task again." % (self.describe(), own_id, ", ".join(str(twin_id) for twin_id in ids)))
        oldest = twins[0]
        others = ", ".join(str(twin_id) for twin_id in ids if twin_id != own_id)
        if self.object_id(oldest) == own_id:
            self.warnings.append(
                "%s was also created concurrently by another run (id %s); this run's (id %s) is the oldest and "
                "stays, the other run discards its own." % (self.describe(), others, own_id))
            return created
        done = self.discard_duplicate(created, oldest)
        self.warnings.append(
            "%s was created concurrently by another run (id %s) as this run created its own (id %s), which "
            "this run %s so that one remains; this run adopted the oldest." % (
                self.describe(), self.object_id(oldest), own_id, done))
        raise CreatedConcurrently(self.read_again(oldest))

    def refused_but_absent_message(self, error):
        """Why the task fails when a create was refused as existing but a read by key finds nothing."""
        return ("The API refused to create %s with a conflict (%s), and a read by key right after does not "
                "find it: this is not a race lost to another run, and there is nothing to adopt. Another object "
                "may hold the name where this module does not look, or one is being deleted: check, then run "
                "the task again." % (self.describe(), error))

    def create_once_more(self, desired, error, replaced=None):
        """The lookup answered that the unclear create did not land: send it a second time."""
        try:
            created = self.create(desired)
        except AmbiguousWriteError as second:
            if replaced is not None:
                self.fail_replaced_and_not_created(second, replaced)
            raise
        self.warnings.append(
            "The create request ended without a clear answer (%s) and the server did not "
            "hold %s, so it was sent once more." % (error, self.describe()))
        return created

    def fail_secret_lost(self, error, adopted, replaced=None):
        message = secret_lost_message(self.describe(), error, self.lost_secret_way_out(),
                                      replaced=self.found_label(replaced))
        result = dict(error.to_result(), **{self.resource_key: self.public(adopted)})
        self.fail(message, changed=True, **result)

    def fail_replaced_and_not_created(self, error, replaced):
        self.fail("%s: the old %s was deleted, then the create of its replacement ended without a "
                  "clear answer (%s) and the server does not hold it. Run the task again to create it "
                  "(its secret is returned then); until then the old secret no longer works."
                  % (self.describe(), self.found_label(replaced), error), changed=True, **error.to_result())

    def found_label(self, obj):
        """How messages name a found object of this resource (an old token ...), or None."""
        if not obj:
            return None
        return "%s %r (id %s)" % (self.resource_key, obj.get("name"), obj.get("id"))

    # -- results ---------------------------------------------------------------------------

    def public(self, obj):
        """The object without secret keys."""
        if not obj:
            return {}
        return dict((key, value) for key, value in obj.items() if key not in self.secret_response_keys)

    def secret_of(self, obj):
        for key in self.secret_response_keys:
            if obj and obj.get(key):
                return obj[key]
        return None

    def masked(self, values):
        secret_options = set(field.option for field in self.fields if field.secret)
        return dict((key, MASK if key in secret_options and value is not None else value)
                    for key, value in values.items())

    def result(self, changed, obj, before, after, secret=None):
        result = dict(changed=changed)
        result[self.resource_key] = self.public(obj)
        if secret is not None:
            result["secret"] = secret
        if self.secret_response_keys:
            # True only after a lost create race (ensure_adopted): the secret went to another run.
            result["secret_issued_elsewhere"] = False
        if self.module._diff:
            result["diff"] = dict(before=self.masked(before), after=self.masked(after))
        return result

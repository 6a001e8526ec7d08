# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's OnCall shifts, schedules, webhooks and alert groups against the engine facts.

Each test sends the request of one or more rows of ``oncall-engine-facts.md`` (cited by id)
and checks the answer the real engine gave.
"""

from datetime import timedelta

import pytest

from tests.simulator.app import create_app
from tests.simulator.core import EXTENSION_KEY
from tests.simulator.oncall.store import credentials, objects

MASK = "****************"
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]


class OnCall:
    """A Flask test client speaking to the OnCall prefix with the admin's legacy key."""

    def __init__(self):
        self.app = create_app(contract_spec=False)
        self.sim = self.app.extensions[EXTENSION_KEY]
        self.client = self.app.test_client()
        self.creds = credentials(self.sim)
        self.headers = {"Authorization": self.creds.admin_key}
        self.users = dict((user["username"], user["id"]) for user in objects(self.sim, "users").values())
        self.teams = dict((team["name"], team["id"]) for team in objects(self.sim, "teams").values())

    def call(self, method, path, json=None, headers=None):
        response = self.client.open("/oncall/api/v1/" + path, method=method, json=json,
                                    headers=headers or self.headers)
        return response.status_code, response.get_json(silent=True)

    def ok(self, method, path, json=None, status=200):
        code, body = self.call(method, path, json)
        assert code == status, body
        return body

    def post_alert(self, link, payload):
        response = self.client.post("/oncall" + link.split("/oncall", 1)[1], json=payload)
        return response.status_code, response.get_json(silent=True)


@pytest.fixture
def oc():
    return OnCall()


def rolling_shift(oc, **extra):
    body = {"name": "shift-probe", "type": "rolling_users", "start": "2026-01-05T09:00:00", "duration": 43200,
            "frequency": "weekly", "interval": 1, "week_start": "MO", "by_day": WEEKDAYS,
            "rolling_users": [[oc.users["alice"]], [oc.users["carol"], oc.users["bob"]]],
            "start_rotation_from_user_index": 0, "time_zone": "Europe/Berlin"}
    body.update(extra)
    return oc.ok("POST", "on_call_shifts/", body, status=201)


def now_shift(oc, users, name="now-probe"):
    start = (oc.sim.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    return oc.ok("POST", "on_call_shifts/", {"name": name, "type": "single_event", "start": start,
                                             "duration": 14400, "users": users, "time_zone": "UTC"}, status=201)


# -- shifts ---------------------------------------------------------------------------------

def test_s1_rolling_shift_answer_and_group_order(oc):
    shift = rolling_shift(oc)
    assert list(shift) == ["id", "team_id", "schedule", "name", "type", "time_zone", "level", "start", "duration",
                           "rotation_start", "frequency", "interval", "until", "week_start", "by_day", "by_month",
                           "by_monthday", "rolling_users", "start_rotation_from_user_index"]
    assert shift["id"].startswith("O") and shift["schedule"] is None and shift["until"] is None
    assert shift["rotation_start"] == "2026-01-05T09:00:00" and shift["duration"] == 43200
    groups = shift["rolling_users"]
    # The groups keep their order; inside a group the engine answers its own order (S1).
    expected = [[oc.users["alice"]], sorted([oc.users["carol"], oc.users["bob"]])]
    assert [sorted(group) for group in groups] == expected
    assert oc.ok("GET", "on_call_shifts/%s/" % shift["id"])["rolling_users"] == groups


def test_rolling_group_order_is_the_stored_order_not_the_request_order(oc):
    """Two requests with the same group in opposite orders get the same (stored) order back,
    so one of them differs from what it sent."""
    alice, bob = oc.users["alice"], oc.users["bob"]
    first = rolling_shift(oc, name="one", rolling_users=[[alice, bob]])["rolling_users"]
    second = rolling_shift(oc, name="two", rolling_users=[[bob, alice]])["rolling_users"]
    assert first == second
    assert sorted(first[0]) == sorted([alice, bob])


def test_s2_s3_s4_shift_validation(oc):
    assert oc.call("POST", "on_call_shifts/", {"name": "bad", "type": "rolling_users", "start": "2026-01-05 09:00",
                                               "duration": 3600, "rolling_users": []}) == (
        400, {"detail": "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""})
    assert oc.call("POST", "on_call_shifts/", {"name": "bad", "type": "rolling_users", "start": "2026-01-05T09:00:00",
                                               "duration": 3600, "rolling_users": [[oc.users["alice"]]],
                                               "start_rotation_from_user_index": 0}) == (
        400, {"detail": "Field 'frequency' is required for this on-call shift type"})
    assert oc.call("POST", "on_call_shifts/", {"name": "bad", "type": "nope", "start": "2026-01-05T09:00:00",
                                               "duration": 3600}) == (400, {"detail": "Invalid shift type"})
    code, body = oc.call("POST", "on_call_shifts/", {"name": "bad", "type": "recurrent_event", "frequency": "weekly",
                                                     "start": "2026-01-05T09:00:00", "duration": 3600})
    assert (code, body) == (400, {"detail": "Field 'week_start' is required for frequency type 'weekly'"})
    assert objects(oc.sim, "on_call_shifts") == {}


def test_s5_single_event_drops_repeat_fields_and_unknown_users(oc):
    shift = oc.ok("POST", "on_call_shifts/", {"name": "single-probe", "type": "single_event",
                                              "start": "2026-01-05T09:00:00", "duration": 3600,
                                              "users": [oc.users["bob"], "UNOSUCHUSER1"]}, status=201)
    assert shift == {"id": shift["id"], "team_id": None, "schedule": None, "name": "single-probe",
                     "type": "single_event", "time_zone": None, "level": 0, "start": "2026-01-05T09:00:00",
                     "duration": 3600, "rotation_start": "2026-01-05T09:00:00", "users": [oc.users["bob"]]}


def test_s12_s13_shift_filters(oc):
    shift = rolling_shift(oc)
    schedule = oc.ok("POST", "schedules/", {"name": "sched-probe", "type": "calendar", "time_zone": "Europe/Berlin",
                                            "shifts": [shift["id"]]}, status=201)
    listed = oc.ok("GET", "on_call_shifts/?schedule_id=%s" % schedule["id"])
    assert [item["id"] for item in listed["results"]] == [shift["id"]]
    assert listed["results"][0]["schedule"] == schedule["id"]
    assert oc.ok("GET", "on_call_shifts/?name=shift-probe&perpage=1")["count"] == 1
    assert oc.ok("GET", "on_call_shifts/?name=SHIFT-PROBE")["count"] == 0


def test_s17_s18_s19_shift_updates(oc):
    shift = rolling_shift(oc)
    put = oc.ok("PUT", "on_call_shifts/%s/" % shift["id"], {"duration": 28800})
    assert put["duration"] == 28800 and put["name"] == "shift-probe"
    patched = oc.ok("PATCH", "on_call_shifts/%s/" % shift["id"],
                    {"rolling_users": [[oc.users["bob"]], [oc.users["alice"]]]})
    assert patched["rolling_users"] == [[oc.users["bob"]], [oc.users["alice"]]]
    single = oc.ok("PATCH", "on_call_shifts/%s/" % shift["id"], {"type": "single_event"})
    assert single["type"] == "single_event" and "frequency" not in single and "rolling_users" not in single


# -- schedules ------------------------------------------------------------------------------

def test_s6_s7_s8_s9_s10_schedule_create_and_names(oc):
    # A shift that starts years ahead: nobody is on call now, whatever the time of the run (the
    # default probe shift covers weekdays 09:00-21:00 Berlin, which made this depend on the clock).
    shift = rolling_shift(oc, start="2036-01-07T09:00:00")
    first = oc.ok("POST", "schedules/", {"name": "sched-probe", "type": "calendar", "time_zone": "Europe/Berlin",
                                         "shifts": [shift["id"]]}, status=201)
    assert first == {"id": first["id"], "team_id": None, "name": "sched-probe", "time_zone": "Europe/Berlin",
                     "on_call_now": [], "shifts": [shift["id"]], "ical_url_overrides": None,
                     "enable_web_overrides": False, "slack": {"channel_id": None, "user_group_id": None},
                     "type": "calendar"}
    assert oc.call("POST", "schedules/", {"name": "sched-x", "type": "calendar"}) == (
        400, {"time_zone": ["This field is required."]})
    assert oc.call("POST", "schedules/", {"name": "sched-x", "type": "bogus"}) == (400, {"type": "Invalid type"})
    oc.ok("POST", "schedules/", {"name": "sched-probe", "type": "calendar", "time_zone": "UTC"}, status=201)
    assert oc.ok("GET", "schedules/?name=sched-probe")["count"] == 2


def test_schedule_takes_only_shifts_of_its_team(oc):
    shift = rolling_shift(oc, team_id=oc.teams["sre"])
    code, body = oc.call("POST", "schedules/", {"name": "s", "type": "calendar", "time_zone": "UTC",
                                                "shifts": [shift["id"]]})
    assert (code, body) == (400, {"detail": "Shifts must be assigned to the same team as the schedule"})


def test_s14_final_shifts(oc):
    shift = rolling_shift(oc)
    schedule = oc.ok("POST", "schedules/", {"name": "sched-probe", "type": "calendar", "time_zone": "Europe/Berlin",
                                            "shifts": [shift["id"]]}, status=201)
    final = oc.ok("GET", "schedules/%s/final_shifts/?start_date=2026-01-05&end_date=2026-01-09" % schedule["id"])
    assert final["count"] == 5
    assert final["results"][0] == {"user_pk": oc.users["alice"], "user_email": "alice@example.com",
                                   "user_username": "alice", "shift_start": "2026-01-05T08:00:00Z",
                                   "shift_end": "2026-01-05T20:00:00Z"}
    assert [item["shift_start"][:10] for item in final["results"]] == [
        "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]


def test_s15_s16_s20_s21_s22_schedule_updates_and_deletes(oc):
    first, second = rolling_shift(oc), rolling_shift(oc, name="other")
    schedule = oc.ok("POST", "schedules/", {"name": "sched-probe", "type": "calendar", "time_zone": "Europe/Berlin",
                                            "shifts": [first["id"]]}, status=201)
    put = oc.ok("PUT", "schedules/%s/" % schedule["id"], {"name": "sched-probe-put"})
    assert put["name"] == "sched-probe-put" and put["time_zone"] == "Europe/Berlin"
    change = {"time_zone": "UTC", "shifts": [first["id"], second["id"]]}
    patched = oc.ok("PATCH", "schedules/%s/" % schedule["id"], change)
    assert patched["shifts"] == [first["id"], second["id"]] and patched["time_zone"] == "UTC"
    assert oc.call("DELETE", "on_call_shifts/%s/" % second["id"]) == (204, None)
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["shifts"] == [first["id"]]
    assert oc.call("DELETE", "schedules/%s/" % schedule["id"]) == (204, None)
    assert oc.call("DELETE", "schedules/%s/" % schedule["id"]) == (404, {"detail": "Not found."})


def test_l1_l2_a_viewer_is_never_on_call(oc):
    shift = now_shift(oc, [oc.users["bob"], oc.users["carol"]])
    schedule = oc.ok("POST", "schedules/", {"name": "now-probe", "type": "calendar", "time_zone": "UTC",
                                            "shifts": [shift["id"]]}, status=201)
    assert schedule["on_call_now"] == [oc.users["bob"]]


def test_l3_l4_l5_shifts_attached_to_an_empty_schedule_leave_it_stale(oc):
    shift = now_shift(oc, [oc.users["bob"]])
    schedule = oc.ok("POST", "schedules/", {"name": "now-probe-empty", "type": "calendar", "time_zone": "UTC"},
                     status=201)
    assert schedule["on_call_now"] == []
    assert oc.ok("PATCH", "schedules/%s/" % schedule["id"], {"shifts": [shift["id"]]})["on_call_now"] == []
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == []
    # The engine's periodic task heals it (every oncall_calendar_refresh seconds).
    oc.sim.advance_clock(600)
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == [oc.users["bob"]]


def test_l6_l7_a_write_answers_the_calendar_from_before(oc):
    shift = now_shift(oc, [oc.users["bob"]])
    schedule = oc.ok("POST", "schedules/", {"name": "now-probe", "type": "calendar", "time_zone": "UTC",
                                            "shifts": [shift["id"]]}, status=201)
    assert oc.ok("PATCH", "schedules/%s/" % schedule["id"], {"shifts": []})["on_call_now"] == [oc.users["bob"]]
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == []


def test_ical_schedule_reads_the_registered_feed(oc):
    now = oc.sim.now()
    feed = ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:%s\nDTEND:%s\nSUMMARY:alice carol\nEND:VEVENT\nEND:VCALENDAR\n"
            % ((now - timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ"), (now + timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")))
    oc.sim.update_config({"oncall_ical_feeds": {"https://cal.example.com/a.ics": feed}})
    assert oc.call("POST", "schedules/", {"name": "ical", "type": "ical"}) == (
        400, {"ical_url_primary": ["This field is required."]})
    assert oc.call("POST", "schedules/", {"name": "ical", "type": "ical",
                                          "ical_url_primary": "https://cal.example.com/missing.ics"}) == (
        400, {"ical_url_primary": ["Ical download failed"]})
    schedule = oc.ok("POST", "schedules/", {"name": "ical", "type": "ical",
                                            "ical_url_primary": "https://cal.example.com/a.ics"}, status=201)
    assert schedule["type"] == "ical" and schedule["on_call_now"] == [oc.users["alice"]]
    assert "shifts" not in schedule and "time_zone" not in schedule


def all_day_feed(day, summary):
    return ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:%s\nDTEND;VALUE=DATE:%s\nSUMMARY:%s\nEND:VEVENT\n"
            "END:VCALENDAR\n" % (day.strftime("%Y%m%d"), (day + timedelta(days=1)).strftime("%Y%m%d"), summary))


def test_n5_ical_feeds_with_all_day_events_are_imported(oc):
    today = oc.sim.now()
    oc.sim.update_config({"oncall_ical_feeds": {"https://cal.example.com/alice.ics": all_day_feed(today, "alice"),
                                                "https://cal.example.com/bob.ics": all_day_feed(today, "bob")}})
    # N5: 201, and the event's user is on call once the import ran.
    schedule = oc.ok("POST", "schedules/", {"name": "all-day", "type": "ical",
                                            "ical_url_primary": "https://cal.example.com/alice.ics"}, status=201)
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == [oc.users["alice"]]
    # N5: changing the URL to another all-day feed re-imports it.
    oc.ok("PATCH", "schedules/%s/" % schedule["id"], {"ical_url_primary": "https://cal.example.com/bob.ics"})
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == [oc.users["bob"]]
    # Tomorrow the all-day event is over.
    oc.sim.advance_clock(86400 * 2)
    assert oc.ok("GET", "schedules/%s/" % schedule["id"])["on_call_now"] == []


def test_x10_team_filter_on_schedules_is_a_server_error(oc):
    assert oc.call("GET", "schedules/?team_id=%s" % oc.teams["sre"])[0] == 500


# -- webhooks -------------------------------------------------------------------------------

def webhook(oc, **extra):
    integration = oc.ok("POST", "integrations/", {"name": "int-probe", "type": "webhook"}, status=201)
    body = {"name": "wh-probe", "url": "https://example.com/hook", "http_method": "POST", "trigger_type": "escalation",
            "username": "u1", "password": "s3cret", "authorization_header": "Bearer abc",
            "integration_filter": [integration["id"]], "headers": "{\"X-A\": \"1\"}",
            "data": "{\"k\": \"{{ alert_group.id }}\"}"}
    body.update(extra)
    return integration, oc.ok("POST", "webhooks/", body, status=201)


def test_w1_w2_secrets_read_back_masked(oc):
    integration, hook = webhook(oc)
    assert hook == {"id": hook["id"], "name": "wh-probe", "is_webhook_enabled": True, "team": None,
                    "data": "{\"k\": \"{{ alert_group.id }}\"}", "username": "u1", "password": MASK,
                    "authorization_header": MASK, "trigger_template": None, "headers": "{\"X-A\": \"1\"}",
                    "url": "https://example.com/hook", "forward_all": True, "http_method": "POST",
                    "trigger_type": "escalation", "integration_filter": [integration["id"]], "preset": None}
    assert oc.ok("GET", "webhooks/%s/" % hook["id"]) == hook
    assert objects(oc.sim, "webhooks")[hook["id"]]["password"] == "s3cret"


def test_w3_w4_w5_updates_reset_the_filter_unless_resent(oc):
    integration, hook = webhook(oc)
    patched = oc.ok("PATCH", "webhooks/%s/" % hook["id"], {"http_method": "PUT"})
    assert patched["integration_filter"] is None and patched["password"] == MASK  # W3
    put = oc.ok("PUT", "webhooks/%s/" % hook["id"], {"name": "wh-probe", "url": "https://example.com/hook2",
                                                     "http_method": "POST", "trigger_type": "resolve",
                                                     "integration_filter": [integration["id"]]})
    assert put["integration_filter"] == [integration["id"]] and put["username"] == "u1"  # W4
    change = {"password": MASK, "authorization_header": None, "integration_filter": [integration["id"]]}
    kept = oc.ok("PATCH", "webhooks/%s/" % hook["id"], change)
    assert kept["password"] == MASK and kept["authorization_header"] is None  # W5
    assert objects(oc.sim, "webhooks")[hook["id"]]["password"] == "s3cret"


def test_w6_to_w11_webhook_validation(oc):
    hook = webhook(oc)[1]
    code, body = oc.call("PATCH", "webhooks/%s/" % hook["id"], {"trigger_type": "nope"})
    assert code == 400 and body["detail"].startswith("trigger_type must one of ['escalation', 'alert group created'")
    assert oc.call("PATCH", "webhooks/%s/" % hook["id"], {"http_method": "FETCH"}) == (
        400, {"http_method": ["Must be one of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']"]})
    base = {"url": "https://example.com/x", "http_method": "POST", "trigger_type": "escalation"}
    assert oc.call("POST", "webhooks/", dict(base, name="wh-probe")) == (
        400, {"non_field_errors": ["The fields name, organization must make a unique set."]})
    assert oc.call("POST", "webhooks/", {"name": "wh-x", "url": "https://example.com/x", "http_method": "POST"}) == (
        400, {"trigger_type": ["This field is required."]})
    assert oc.call("POST", "webhooks/", dict(base, name="wh-x", preset="simple_webhook")) == (
        400, {"preset": ["Preset webhooks must be modified through web UI"]})
    assert oc.call("POST", "webhooks/", dict(base, name="wh-x", url="{{ bad")) == (
        400, {"url": ["Template Error: unexpected end of template, expected 'end of print statement'."]})


def test_w12_w13_w14_filter_and_delete(oc):
    hook = webhook(oc)[1]
    assert [item["id"] for item in oc.ok("GET", "webhooks/?name=wh-probe")["results"]] == [hook["id"]]
    assert oc.ok("GET", "webhooks/?name=WH-PROBE")["count"] == 0
    assert oc.call("DELETE", "webhooks/%s/" % hook["id"]) == (204, None)
    assert oc.call("DELETE", "webhooks/%s/" % hook["id"]) == (404, {"detail": "Not found."})


def test_a_deleted_integration_leaves_the_filter(oc):
    integration, hook = webhook(oc)
    assert oc.call("DELETE", "integrations/%s/" % integration["id"])[0] == 204
    assert oc.ok("GET", "webhooks/%s/" % hook["id"])["integration_filter"] is None


# -- alert groups ---------------------------------------------------------------------------

def test_a1_to_a11_alert_groups(oc):
    integration = oc.ok("POST", "integrations/", {"name": "int-alerts", "type": "webhook"}, status=201)
    assert oc.post_alert(integration["link"], {"title": "disk full", "message": "db1", "state": "alerting"}) == (
        200, "Ok.")
    listed = oc.ok("GET", "alert_groups/?integration_id=%s" % integration["id"])
    assert listed["count"] == 1
    group = listed["results"][0]
    assert group["state"] == "firing" and group["alerts_count"] == 1 and group["title"] == "Incident"
    assert group["route_id"] == integration["default_route"]["id"]
    assert group["permalinks"]["web"] == "https://simstack.grafana.net/a/grafana-oncall-app/alert-groups/%s" % group["id"]
    assert group["last_alert"]["payload"] == {"title": "disk full", "message": "db1", "state": "alerting"}
    assert oc.ok("GET", "alert_groups/?state=new&integration_id=%s" % integration["id"])["count"] == 1  # A4
    assert oc.call("GET", "alert_groups/?state=firing") == (
        400, {"state": "Must be one of the following: new, acknowledged, resolved, silenced"})  # A5
    assert oc.call("POST", "alert_groups/%s/acknowledge/" % group["id"]) == (200, None)  # A6
    assert oc.call("POST", "alert_groups/%s/acknowledge/" % group["id"]) == (
        400, {"detail": "Can't acknowledge an acknowledged alert group"})  # A7
    sa = {"Authorization": oc.creds.service_account, "X-Grafana-URL": "https://simstack.grafana.net"}
    assert oc.call("POST", "alert_groups/%s/resolve/" % group["id"], headers=sa) == (
        403, {"detail": "Service accounts are not allowed to resolve alert groups"})  # A8
    assert oc.call("POST", "alert_groups/%s/resolve/" % group["id"]) == (200, None)  # A9
    resolved = oc.ok("GET", "alert_groups/%s/" % group["id"])  # A10
    assert resolved["state"] == "resolved" and resolved["resolved_by"] == oc.users["admin"]
    assert resolved["acknowledged_by"] == oc.users["admin"]
    alerts = oc.ok("GET", "alerts/?alert_group_id=%s" % group["id"])  # A11
    assert [alert["payload"]["title"] for alert in alerts["results"]] == ["disk full"]


def test_alert_groups_started_at_range(oc):
    integration = oc.ok("POST", "integrations/", {"name": "int-alerts", "type": "webhook"}, status=201)
    oc.post_alert(integration["link"], {"title": "first"})
    oc.sim.advance_clock(3600)
    oc.post_alert(integration["link"], {"title": "second"})
    start = oc.sim.now() - timedelta(minutes=30)  # after the first alert, before the second
    # N1: the engine joins the bounds with "_"; "/" is "Invalid range value".
    window = "%s_%s" % (start.strftime("%Y-%m-%dT%H:%M:%S"), (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"))
    listed = oc.ok("GET", "alert_groups/?started_at=%s" % window)
    assert [group["last_alert"]["payload"]["title"] for group in listed["results"]] == ["second"]
    everything = oc.ok("GET", "alert_groups/")
    assert [group["last_alert"]["payload"]["title"] for group in everything["results"]] == ["second", "first"]
    slashed = window.replace("_", "/")
    for bad in ("2026-01-01", "2026-01-02T00:00:00_2026-01-01T00:00:00", "x_y", slashed):  # N1
        assert oc.call("GET", "alert_groups/?started_at=%s" % bad) == (400, {"detail": "Invalid range value"})


def test_routes_decide_the_route_of_an_alert(oc):
    integration = oc.ok("POST", "integrations/", {"name": "int-alerts", "type": "webhook"}, status=201)
    route = oc.ok("POST", "routes/", {"integration_id": integration["id"], "routing_regex": "severity.*critical",
                                      "escalation_chain_id": None}, status=201)
    oc.post_alert(integration["link"], {"severity": "critical"})
    oc.post_alert(integration["link"], {"severity": "low"})
    groups = oc.ok("GET", "alert_groups/?integration_id=%s" % integration["id"])["results"]
    assert [group["route_id"] for group in groups] == [integration["default_route"]["id"], route["id"]]

# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's OnCall auth, lists and errors, row by row against oncall-engine-facts.md."""

import pytest

from tests.unit.simulator.oncall_client import OnCall

INVALID = {"detail": "Invalid token."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}


@pytest.fixture
def oncall(simulator):
    return OnCall(simulator)


# -- auth ------------------------------------------------------------------------------------

def test_x1_no_authorization_is_403_invalid_token(oncall):
    response = oncall.request("GET", "integrations", headers={})
    assert response.status_code == 403 and response.json() == INVALID


def test_x2_unknown_key_is_403(oncall):
    response = oncall.request("GET", "integrations", headers={"Authorization": "deadbeef"})
    assert response.status_code == 403 and response.json() == INVALID


def test_x3_bearer_scheme_is_refused(oncall):
    key = oncall.access["legacy_key"]
    response = oncall.request("GET", "integrations", headers={"Authorization": "Bearer " + key})
    assert response.status_code == 403 and response.json() == INVALID


def test_sa1_sa2_service_account_with_grafana_url_with_or_without_slash(oncall):
    for url in (oncall.access["grafana_url"], oncall.access["grafana_url"] + "/"):
        headers = {"Authorization": oncall.access["service_account_token"], "X-Grafana-URL": url}
        body = oncall.ok(oncall.request("GET", "teams", headers=headers, params={"name": "sre"}))
        assert [team["name"] for team in body["results"]] == ["sre"]


def test_sa4_unknown_grafana_url_is_429_being_synced_every_time(oncall):
    headers = {"Authorization": oncall.access["service_account_token"], "X-Grafana-URL": "http://127.0.0.1:9"}
    for _index in range(3):
        response = oncall.request("GET", "teams", headers=headers)
        assert response.status_code == 429
        assert response.json() == {"detail": "Organization being synced, please retry."}


def test_sa3_sa5_without_usable_grafana_url_refused_by_default_fallback_as_a_switch(oncall, simulator):
    token = oncall.access["service_account_token"]
    for headers in ({"Authorization": token}, {"Authorization": token, "X-Grafana-URL": "not-a-url"}):
        assert oncall.request("GET", "teams", headers=headers).status_code == 403
    simulator.configure(oncall_sa_without_grafana_url="fallback")
    for headers in ({"Authorization": token}, {"Authorization": token, "X-Grafana-URL": "not-a-url"}):
        assert oncall.request("GET", "teams", headers=headers).status_code == 200


def test_sa6_sa7_bearer_or_unknown_service_account_token_is_403(oncall):
    url = oncall.access["grafana_url"]
    for token in ("Bearer " + oncall.access["service_account_token"],
                  "glsa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_00000000"):
        response = oncall.request("GET", "teams", headers={"Authorization": token, "X-Grafana-URL": url})
        assert response.status_code == 403 and response.json() == INVALID


def test_sa8_sa9_sa10_service_account_writes_read_only_one_only_reads(oncall):
    oncall.ok(oncall.post("escalation_chains", {"name": "ec-by-sa"}, as_="sa"), 201)
    refused = oncall.post("escalation_chains", {"name": "ec-by-sa-ro"}, as_="sa_ro")
    assert refused.status_code == 403 and refused.json() == NO_PERMISSION
    found = oncall.ok(oncall.get("escalation_chains", name="ec-by-sa", as_="sa_ro"))
    assert [chain["name"] for chain in found["results"]] == ["ec-by-sa"]


def test_x14_x15_viewer_key_reads_but_cannot_write(oncall):
    oncall.ok(oncall.post("escalation_chains", {"name": "ec-probe"}), 201)
    refused = oncall.post("escalation_chains", {"name": "viewer-x"}, as_="viewer")
    assert refused.status_code == 403 and refused.json() == NO_PERMISSION
    assert oncall.ok(oncall.get("escalation_chains", name="ec-probe", as_="viewer"))["count"] == 1


def test_sa11_sa12_sa13_endpoints_that_refuse_or_break_on_service_accounts(oncall):
    assert oncall.get("personal_notification_rules", as_="sa").json() == INVALID
    assert oncall.get("info", as_="sa").json() == INVALID
    current = oncall.request("GET", "users", "current", as_="sa")
    assert current.status_code == 500 and "<title>Server Error (500)</title>" in current.text


def test_x13_info_with_legacy_key_gives_the_grafana_url(oncall):
    assert oncall.ok(oncall.get("info")) == {"url": oncall.access["grafana_url"]}


def test_throttle_per_user_with_retry_after(oncall, simulator):
    simulator.configure(oncall_rate_limit=3)
    for _index in range(3):
        oncall.ok(oncall.get("teams"))
    throttled = oncall.get("teams")
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Request was throttled. Expected available in ")
    wait = int(throttled.headers["Retry-After"])
    assert 1 <= wait <= 60
    # Another user has a budget of their own.
    oncall.ok(oncall.get("teams", as_="sa"))
    simulator.advance_clock(61)
    oncall.ok(oncall.get("teams"))


# -- users and teams ---------------------------------------------------------------------------

def test_u1_u2_u3_u4_users_and_the_case_insensitive_username_filter(oncall):
    everyone = oncall.ok(oncall.get("users"))
    assert everyone["page_size"] == 100
    roles = {user["username"]: user["role"] for user in everyone["results"]}
    assert roles == {"admin": "admin", "alice": "editor", "bob": "editor", "carol": "viewer"}
    alice = oncall.ok(oncall.get("users", username="alice"))["results"]
    assert [user["username"] for user in alice] == ["alice"]
    assert set(alice[0]) == {"id", "grafana_id", "email", "slack", "username", "role",
                             "is_phone_number_verified", "timezone", "teams"}
    assert alice[0]["id"].startswith("U")
    assert oncall.ok(oncall.get("users", username="ALICE"))["count"] == 1
    assert oncall.ok(oncall.get("users", username="nobody"))["count"] == 0


def test_u5_u6_current_user_and_user_by_id(oncall):
    assert oncall.ok(oncall.request("GET", "users", "current"))["username"] == "admin"
    alice_id = oncall.users()["alice"]
    assert oncall.ok(oncall.request("GET", "users", alice_id))["username"] == "alice"


def test_t1_t2_t3_teams_and_the_case_sensitive_name_filter(oncall):
    teams = oncall.ok(oncall.get("teams"))
    assert [team["name"] for team in teams["results"]] == ["platform", "sre"]
    assert teams["page_size"] == 50
    assert oncall.ok(oncall.get("teams", name="sre"))["count"] == 1
    assert oncall.ok(oncall.get("teams", name="SRE"))["count"] == 0


def test_seeded_team_members(oncall):
    users = {user["username"]: user for user in oncall.ok(oncall.get("users"))["results"]}
    teams = oncall.teams()
    assert users["alice"]["teams"] == [teams["platform"]]
    assert sorted(users["bob"]["teams"]) == sorted([teams["platform"], teams["sre"]])
    assert users["carol"]["teams"] == [teams["sre"]]


# -- paging ------------------------------------------------------------------------------------

@pytest.fixture
def five_chains(oncall):
    for name in ("ec-probe", "ec-page-1", "ec-page-2", "ec-page-3", "ec-page-4"):
        oncall.ok(oncall.post("escalation_chains", {"name": name}), 201)


def test_p1_p2_p3_pages_with_absolute_links_on_the_engine_base_url(oncall, five_chains):
    first = oncall.ok(oncall.get("escalation_chains", perpage=2))
    assert (first["count"], first["page_size"], first["current_page_number"], first["total_pages"]) == (5, 2, 1, 3)
    assert first["previous"] is None
    assert first["next"].endswith("/oncall/api/v1/escalation_chains/?page=2&perpage=2")
    assert first["next"].startswith("http://localhost:")  # not the 127.0.0.1 URL we used
    second = oncall.ok(oncall.get("escalation_chains", page=2, perpage=2))
    assert second["previous"].endswith("/api/v1/escalation_chains/?perpage=2")
    assert second["next"].endswith("/api/v1/escalation_chains/?page=3&perpage=2")
    third = oncall.ok(oncall.get("escalation_chains", page=3, perpage=2))
    assert third["next"] is None and [c["name"] for c in third["results"]] == ["ec-page-4"]


def test_p4_p5_page_out_of_range_is_clamped(oncall, five_chains):
    past = oncall.ok(oncall.get("escalation_chains", page=99, perpage=2))
    assert past["current_page_number"] == 3 and [c["name"] for c in past["results"]] == ["ec-page-4"]
    for page in (0, "abc"):
        assert oncall.ok(oncall.get("escalation_chains", page=page, perpage=2))["current_page_number"] == 1


def test_p6_p9_bad_or_huge_perpage(oncall, five_chains):
    for perpage in ("abc", -1):
        body = oncall.ok(oncall.get("escalation_chains", perpage=perpage))
        assert body["page_size"] == 50 and len(body["results"]) == 5 and body["next"] is None
    huge = oncall.ok(oncall.get("escalation_chains", perpage=1000))
    assert huge["page_size"] == 100 and len(huge["results"]) == 5


def test_p7_links_ignore_the_host_header(oncall, five_chains):
    response = oncall.session.get(oncall.url + "/api/v1/escalation_chains/", params={"perpage": 2},
                                  headers=dict(oncall.headers(), Host="oncall.example.test:8443"), timeout=10)
    assert "oncall.example.test" not in response.json()["next"]


def test_p10_without_trailing_slash_links_keep_the_path(oncall, five_chains):
    response = oncall.request("GET", None, raw_path="/api/v1/escalation_chains", params={"perpage": 2})
    assert oncall.ok(response)["next"].endswith("/api/v1/escalation_chains?page=2&perpage=2")


def test_configured_base_url_is_used_for_links(oncall, five_chains, simulator):
    simulator.configure(oncall_base_url="https://oncall-engine.internal/oncall")
    body = oncall.ok(oncall.get("escalation_chains", perpage=2))
    assert body["next"] == "https://oncall-engine.internal/oncall/api/v1/escalation_chains/?page=2&perpage=2"


def test_x10_x11_team_id_filter_is_a_server_error_or_400(oncall):
    sre = oncall.teams()["sre"]
    broken = oncall.get("escalation_chains", team_id=sre)
    assert broken.status_code == 500 and "<title>Server Error (500)</title>" in broken.text
    unknown = oncall.get("escalation_chains", team_id="TNOSUCHTEAM1")
    assert unknown.status_code == 400
    assert unknown.json() == {"team_id": ["Select a valid choice. That choice is not one of the available choices."]}


# -- errors ------------------------------------------------------------------------------------

def test_x4_bad_json_is_a_detail(oncall):
    response = oncall.session.post(oncall.url + "/api/v1/escalation_chains/", data='{"name":',
                                   headers=dict(oncall.headers(), **{"Content-Type": "application/json"}), timeout=10)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_x5_x6_x7_field_and_not_found_errors(oncall):
    assert oncall.post("escalation_chains", {"name": ["x"]}).json() == {"name": ["Not a valid string."]}
    missing = oncall.get("escalation_chains", "FNOSUCHCHAIN1")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    patch = oncall.patch("escalation_chains", "FNOSUCHCHAIN1", {"name": "x"})
    assert patch.status_code == 404 and patch.json() == {"detail": "Not found."}


def test_x8_unknown_path_is_an_html_404(oncall):
    response = oncall.get("nope")
    assert response.status_code == 404 and "<title>Not Found</title>" in response.text


def test_x9_x12_server_error_pages(oncall):
    created = oncall.post("users", {"username": "x"})
    assert created.status_code == 500 and "Server Error (500)" in created.text
    organizations = oncall.get("organizations")
    assert organizations.status_code == 500 and "Server Error (500)" in organizations.text


def test_x16_form_encoded_bodies_work(oncall):
    response = oncall.request("POST", "escalation_chains", data={"name": "form-encoded"})
    assert oncall.ok(response, 201)["name"] == "form-encoded"


def test_oncall_requests_are_logged_and_faults_match_the_whole_path(oncall, simulator):
    simulator.clear_requests()
    simulator.fault("^/oncall/api/v1/teams/$", method="GET", status=503, times=1)
    assert oncall.get("teams").status_code == 503
    assert oncall.get("teams").status_code == 200
    log = simulator.requests()
    assert [(entry["method"], entry["path"], entry["status"]) for entry in log] == [
        ("GET", "/oncall/api/v1/teams/", 503), ("GET", "/oncall/api/v1/teams/", 200)]


def test_sim_oncall_control_endpoint(oncall):
    access = oncall.access
    assert access["url"].endswith("/oncall")
    assert access["service_account_token"].startswith("glsa_")
    assert len(access["legacy_key"]) == 64
    assert access["grafana_url"].startswith("https://")


def test_credentials_survive_a_reset(oncall, simulator):
    simulator.reset()
    assert oncall.ok(oncall.get("teams"))["count"] == 2


def test_a_known_path_with_another_method_is_a_drf_405(oncall):
    response = oncall.request("DELETE", "users")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


@pytest.mark.parametrize("collection, body", [
    ("escalation_chains", {"name": " padded-chain "}),
    ("integrations", {"name": " padded-int ", "type": "webhook"}),
    ("webhooks", {"name": " padded-hook ", "url": "https://example.com/hook", "http_method": "POST",
                  "trigger_type": "resolve"}),
])
def test_n7_names_are_stored_trimmed(oncall, collection, body):
    created = oncall.ok(oncall.post(collection, body), 201)
    trimmed = body["name"].strip()
    assert created["name"] == trimmed  # N7
    if collection != "webhooks":  # the webhooks list has a name filter too, but N7 probed these two
        assert oncall.ok(oncall.get(collection, name=body["name"]))["count"] == 0
        assert oncall.ok(oncall.get(collection, name=trimmed))["count"] == 1


def test_n8_a_webhook_url_without_scheme_is_stored_as_given(oncall):
    created = oncall.ok(oncall.post("webhooks", {"name": "no-scheme", "url": "hooks.example.com/alert",
                                                 "http_method": "POST", "trigger_type": "resolve"}), 201)
    assert created["url"] == "hooks.example.com/alert"  # N8

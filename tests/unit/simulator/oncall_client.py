# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny client for the simulator's OnCall API, for the ``test_sim_oncall_*`` tests.

``oncall = OnCall(simulator)``; ``oncall.get("teams", name="sre")`` sends
``GET <root>/oncall/api/v1/teams/?name=sre`` with the admin's legacy key (bare, as the
engine wants it); ``as_="sa"`` uses the service-account token with ``X-Grafana-URL``,
``as_="sa_ro"`` the read-only one, ``as_="viewer"`` carol's legacy key, ``headers=`` sends
exactly the headers given.
"""

import requests


class OnCall:
    def __init__(self, simulator):
        self.simulator = simulator
        self.access = simulator.oncall()
        self.url = self.access["url"]
        self.session = requests.Session()

    def headers(self, as_="admin"):
        access = self.access
        if as_ == "admin":
            return {"Authorization": access["legacy_key"]}
        if as_ == "viewer":
            return {"Authorization": access["viewer_legacy_key"]}
        if as_ == "sa":
            return {"Authorization": access["service_account_token"], "X-Grafana-URL": access["grafana_url"]}
        if as_ == "sa_ro":
            return {"Authorization": access["service_account_read_only_token"],
                    "X-Grafana-URL": access["grafana_url"]}
        raise ValueError(as_)

    def path(self, resource, *ids):
        return "/api/v1/" + "/".join((resource,) + ids) + "/"

    def request(self, method, resource, *ids, as_="admin", headers=None, json=None, data=None, params=None,
                raw_path=None):
        url = self.url + (raw_path if raw_path is not None else self.path(resource, *ids))
        sent = self.headers(as_) if headers is None else headers
        return self.session.request(method, url, headers=sent, json=json, data=data, params=params, timeout=10)

    def get(self, resource, *ids, **params):
        as_ = params.pop("as_", "admin")
        return self.request("GET", resource, *ids, as_=as_, params=params or None)

    def post(self, resource, json=None, **kwargs):
        return self.request("POST", resource, json=json, **kwargs)

    def patch(self, resource, obj_id, json=None, **kwargs):
        return self.request("PATCH", resource, obj_id, json=json, **kwargs)

    def put(self, resource, obj_id, json=None, **kwargs):
        return self.request("PUT", resource, obj_id, json=json, **kwargs)

    def delete(self, resource, obj_id, **kwargs):
        return self.request("DELETE", resource, obj_id, **kwargs)

    def ok(self, response, status=200):
        assert response.status_code == status, (response.status_code, response.text[:500])
        return response.json() if response.content else None

    def users(self):
        return {user["username"]: user["id"] for user in self.ok(self.get("users"))["results"]}

    def teams(self):
        return {team["name"]: team["id"] for team in self.ok(self.get("teams"))["results"]}

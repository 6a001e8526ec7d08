# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fakes for testing the client without a network: a session that plays back answers."""

import json

import requests


def make_response(status=200, body=None, text=None, headers=None):
    response = requests.Response()
    response.status_code = status
    if body is not None:
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
    else:
        response._content = (text or "").encode()
    response.headers.update(headers or {})
    return response


class FakeSession(requests.Session):
    """Answers each request with the next planned response (or raises a planned exception)."""

    def __init__(self, answers):
        super().__init__()
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, params=None, json=None, headers=None, timeout=None, **kwargs):
        sent_headers = dict(self.headers)
        sent_headers.update(headers or {})
        self.calls.append(dict(method=method, url=url, params=params, json=json, headers=sent_headers, timeout=timeout))
        if not self.answers:
            raise AssertionError("unexpected request %s %s" % (method, url))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

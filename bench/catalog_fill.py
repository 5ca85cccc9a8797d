#!/usr/bin/env python3
"""Fills a running Tandem with a large catalog for bench/catalog.sh (issue "Service catalog"):
SERVICES services of TYPES_PER_SERVICE request types each (three-field forms, texts in both
languages) and RULES entitlement rules, of which the reader's organisation gets a share (whole
services and single types, each needing REQUIREMENTS enablement requirements, default none;
their ids are written to REQUIREMENT_IDS_FILE) and the rest name other organisations and roles.
Usage:
catalog_fill.py BASE ADMIN_EMAIL ADMIN_PASSWORD READER_ORG_ID."""
import json
import os
import sys
import urllib.request

base, email, password, reader_org = sys.argv[1:5]
services = int(os.environ.get("SERVICES", 40))
per_service = int(os.environ.get("TYPES_PER_SERVICE", 50))
rules = int(os.environ.get("RULES", 50))
# ONB-8: enablement requirements every rule for the reader's organisation needs (0: none).
requirements = int(os.environ.get("REQUIREMENTS", 0))

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())


def call(method, path, body=None, csrf=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if csrf:
        req.add_header("X-CSRF-Token", csrf)
    with opener.open(req) as r:
        return json.loads(r.read() or b"null")


csrf = call("POST", "/api/v1/auth/login", {"email": email, "password": password})["csrf_token"]
others = [call("POST", "/api/v1/organizations", {"name": f"Other {i}"}, csrf)["id"] for i in range(5)]
form = {"fields": [
    {"key": "model", "type": "choice", "required": True, "label": {"en": "Model", "zh-CN": "型号"},
     "options": [{"value": "a", "label": {"en": "A", "zh-CN": "甲"}, "price": "10.00"}, "b"]},
    {"key": "reason", "type": "text", "required": True, "label": {"en": "Reason", "zh-CN": "理由"}},
    {"key": "by", "type": "date", "label": {"en": "Needed by", "zh-CN": "需要日期"}},
]}
service_ids, type_ids = [], []
for s in range(services):
    sid = call("POST", "/api/v1/services", {"name": {"en": f"Service {s}", "zh-CN": f"服务 {s}"},
                                             "description": {"en": "What it offers", "zh-CN": "服务内容"}}, csrf)["id"]
    service_ids.append(sid)
    for t in range(per_service):
        type_ids.append(call("POST", "/api/v1/request-types", {
            "service_id": sid, "name": {"en": f"Request {s}.{t}", "zh-CN": f"请求 {s}.{t}"},
            "description": {"en": "A request of the catalog", "zh-CN": "目录中的请求"}, "form": form, "price": "5.00"}, csrf)["id"])
requirement_ids = [call("POST", "/api/v1/requirements", {"kind": "custom", "name": {"en": f"Requirement {i}", "zh-CN": f"资格要求 {i}"}},
                        csrf)["id"] for i in range(requirements)]
# A fifth of the rules entitle the reader's organisation (whole services, then single types),
# needing the requirements; the rest name other organisations or a role the reader lacks.
for r in range(rules):
    if r < rules // 10:
        body = {"service_id": service_ids[r % len(service_ids)], "organization_id": reader_org}
    elif r < rules // 5:
        body = {"request_type_id": type_ids[(r * 37) % len(type_ids)], "organization_id": reader_org}
    elif r % 2:
        body = {"service_id": service_ids[r % len(service_ids)], "organization_id": others[r % len(others)]}
    else:
        body = {"request_type_id": type_ids[(r * 53) % len(type_ids)], "role": "customer"}
    if body.get("organization_id") == reader_org and requirement_ids:
        body["requirement_ids"] = requirement_ids
    call("POST", "/api/v1/entitlements", body, csrf)
# Where the requirements can be met, the reader's evidence is given (bench/catalog.sh decides it).
with open(os.environ.get("REQUIREMENT_IDS_FILE", os.devnull), "w") as f:
    f.write("\n".join(requirement_ids))
print(f"{len(service_ids)} services, {len(type_ids)} request types, {rules} entitlement rules, {requirements} requirements per rule of the reader")

#!/usr/bin/env python3
"""Generate a deterministic synthetic monorepo that models a real 3,400-module backend.

Why: the performance requirement ("`importcanon check` costs at most 2x `lint-imports
--no-cache` cold and 1.2x `lint-imports` warm on a 3,400-module project") can only be
checked on a project with the same *shape* as the one in the field notes, and that project
cannot be shipped.  What drives the cost of both tools is modelled here:

* the number of files and their size (parsing dominates a cold run): 3,784 files,
  1.43 M lines (~378 lines a file, log-normally distributed, many tiny ``__init__.py``);
* the import graph: 3,372 modules and 8,767 internal import edges under one root package,
  mostly layered (api -> services -> domain -> db -> core/utils), with strongly connected
  components of sizes 180, 73, 4, 2 and 2 (cycle analysis and ``acyclic_siblings`` cost);
* how imports are written: ~25 % function-local (deferred), ~3 % in ``try/except
  ImportError``, ~3 % under ``if TYPE_CHECKING:``, absolute and relative, plus stdlib and
  third-party imports;
* an import-linter configuration with a broken ``forbidden`` contract and a broken
  ``acyclic_siblings`` contract, so both tools have findings to render;
* optionally, files that fail to parse (the real project has two IndentationErrors).

Everything is derived from one seeded ``random.Random`` so a given command line always
writes byte-identical files.  Only the standard library is used.

Usage::

    python benchmarks/generate_monorepo.py OUT_DIR [--modules 3400] [--seed 1]
        [--syntax-errors 0] [--src-layout] [--force]
"""

from __future__ import annotations

import argparse
import ast
import json
import keyword
import random
import re
import shutil
import sys
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 2
ROOT = "backend"

# --- Field measurements of the backend being modelled ------------------------------------
FIELD_MODULES = 3372
FIELD_EDGES = 8767
FIELD_FILES = 3784
FIELD_LINES = 1_430_000
# SCC sizes as measured; they are scaled by modules / REFERENCE_MODULES.
FIELD_SCC_SIZES = (180, 73, 4, 2, 2)
REFERENCE_MODULES = 3400
# Shares of internal import edges by how they are written.
DEFERRED_SHARE = 0.25
TRY_EXCEPT_SHARE = 0.03
TYPE_CHECKING_SHARE = 0.03
# Number of db -> api imports that break the forbidden contract (one chain each).
FORBIDDEN_CHAINS = 2
# Rendered files come out longer than planned (docstrings, blank lines, snippet overshoot);
# measured once, so that the project averages the field's lines per file.
PLAN_CALIBRATION = 0.89

# --- Vocabulary --------------------------------------------------------------------------
DOMAINS = [
    "accounts",
    "auth",
    "billing",
    "payments",
    "subscriptions",
    "invoices",
    "chat",
    "messaging",
    "channels",
    "notifications",
    "presence",
    "search",
    "analytics",
    "reporting",
    "media",
    "uploads",
    "moderation",
    "audit",
    "teams",
    "organizations",
    "permissions",
    "webhooks",
    "exports",
    "imports",
    "feeds",
    "comments",
    "reactions",
    "threads",
    "attachments",
    "emails",
    "calendars",
    "projects",
    "workspaces",
    "invitations",
    "onboarding",
    "preferences",
    "plans",
    "coupons",
    "refunds",
    "ledger",
    "taxes",
    "contacts",
    "campaigns",
    "experiments",
    "feature_flags",
    "metrics",
    "quotas",
    "rate_limits",
    "api_keys",
    "devices",
    "translations",
    "templates",
    "documents",
    "bookmarks",
    "ratings",
    "tickets",
    "support",
    "announcements",
    "polls",
    "surveys",
    "scheduling",
    "geolocation",
    "recommendations",
    "payouts",
    "identity",
    "admin",
    "compliance",
    "data_retention",
    "catalog",
    "orders",
    "shipping",
    "inventory",
    "pricing",
]
VENDORS = [
    "stripe",
    "slack",
    "twilio",
    "sendgrid",
    "s3",
    "openai",
    "google",
    "github",
    "zoom",
    "hubspot",
    "salesforce",
    "segment",
    "sentry",
    "intercom",
    "mailchimp",
    "firebase",
    "apns",
    "zendesk",
    "okta",
    "auth0",
    "paypal",
    "adyen",
    "algolia",
    "datadog",
]
NESTED = [
    "handlers",
    "providers",
    "adapters",
    "tasks",
    "v1",
    "v2",
    "internal",
    "backends",
    "strategies",
    "pipelines",
    "serializers",
    "schemas",
    "repositories",
    "events",
    "consumers",
    "jobs",
    "reports",
    "legacy",
    "contrib",
    "plugins",
    "rules",
    "steps",
    "helpers",
    "validators",
]
NOUNS = [
    "user",
    "account",
    "invoice",
    "payment",
    "subscription",
    "message",
    "channel",
    "thread",
    "notification",
    "session",
    "token",
    "team",
    "member",
    "role",
    "permission",
    "webhook",
    "event",
    "upload",
    "attachment",
    "report",
    "metric",
    "plan",
    "coupon",
    "refund",
    "ledger_entry",
    "tax_rate",
    "contact",
    "campaign",
    "experiment",
    "flag",
    "quota",
    "device",
    "template",
    "document",
    "comment",
    "reaction",
    "ticket",
    "poll",
    "survey",
    "schedule",
    "address",
    "currency",
    "price",
    "order",
    "cart",
    "product",
    "workspace",
    "project",
    "invitation",
    "preference",
    "profile",
    "avatar",
    "audit_log",
    "export",
    "job",
    "batch",
    "cursor",
    "page",
    "query",
    "tag",
    "label",
    "folder",
    "file",
    "room",
    "presence_state",
    "receipt",
    "payout",
    "balance",
    "charge",
    "dispute",
    "mandate",
    "customer",
    "tenant",
    "region",
    "locale",
]
VERBS = [
    "get",
    "build",
    "create",
    "update",
    "delete",
    "sync",
    "load",
    "fetch",
    "resolve",
    "render",
    "validate",
    "normalize",
    "compute",
    "apply",
    "publish",
    "dispatch",
    "schedule",
    "collect",
    "merge",
    "archive",
    "restore",
    "refresh",
    "enqueue",
    "handle",
    "parse",
    "serialize",
    "format",
    "notify",
    "reconcile",
    "expire",
    "rotate",
    "list",
    "find",
    "count",
    "ensure",
    "prepare",
    "mark",
    "record",
    "emit",
]
VARS = [
    "result",
    "payload",
    "items",
    "record",
    "response",
    "entry",
    "context",
    "values",
    "summary",
    "rows",
    "batch",
    "state",
    "options",
    "data",
    "message",
    "event",
    "key",
    "token",
    "snapshot",
    "changes",
    "pending",
    "totals",
    "candidates",
]
ATTRS = ["client", "cache", "repository", "session", "settings", "timeout", "registry", "queue", "metrics", "lock"]
METHOD_CALLS = [
    "get",
    "fetch",
    "send",
    "publish",
    "execute",
    "refresh",
    "load",
    "save",
    "flush",
    "commit",
    "lookup",
    "dispatch",
    "render",
    "validate",
    "serialize",
]
PARAMS = (
    ("payload", "dict[str, Any]"),
    ("user_id", "int"),
    ("account_id", "str"),
    ("items", "list[dict[str, Any]]"),
    ("session", "Session"),
    ("request_id", "str"),
    ("tenant_id", "int"),
    ("since", "datetime"),
    ("values", "Mapping[str, Any]"),
    ("event", "dict[str, Any]"),
    ("name", "str"),
    ("amount", "Decimal"),
    ("record", "Any"),
    ("channel_id", "str"),
    ("context", "dict[str, Any]"),
)
KW_PARAMS = (
    ("limit", "int", "50"),
    ("force", "bool", "False"),
    ("timeout", "float", "5.0"),
    ("dry_run", "bool", "False"),
    ("page_size", "int", "100"),
    ("retries", "int", "3"),
    ("locale", "str", '"en"'),
    ("now", "datetime | None", "None"),
)
RETURNS = (
    "None",
    "dict[str, Any]",
    "bool",
    "list[str]",
    "int",
    "str | None",
    "list[dict[str, Any]]",
)
STATUSES = ["pending", "active", "archived", "failed", "succeeded", "cancelled", "expired", "draft"]
GERUNDS = [
    "persisting",
    "publishing",
    "returning",
    "caching",
    "validating",
    "sending",
    "retrying",
    "scheduling",
    "rendering",
    "exporting",
]
ADJECTIVES = ["stale", "pending", "duplicate", "partial", "expired", "unknown", "cached", "remote"]
STDLIB = (
    "import asyncio",
    "import json",
    "import os",
    "import re",
    "import time",
    "import uuid",
    "import functools",
    "import itertools",
    "import hashlib",
    "import contextlib",
    "from collections import defaultdict",
    "from collections.abc import Iterable, Mapping",
    "from datetime import datetime, timedelta, timezone",
    "from decimal import Decimal",
    "from enum import Enum",
    "from pathlib import Path",
    "from dataclasses import dataclass, field",
)


@dataclass(frozen=True)
class Area:
    """A top-level subpackage of the root package: one architectural layer."""

    name: str
    rank: int  # higher layers import lower ones
    share: float  # fraction of all modules
    groups: tuple[str, ...]  # names of its second-level packages
    suffixes: tuple[str, ...]  # stems of its module names
    group_size: int  # mean modules per second-level package
    loose_share: float  # modules directly in the area package
    nest_prob: float  # chance a package gets nested subpackages
    out_factor: float  # how import-heavy its modules are
    popularity: float  # how often it is imported
    third_party: tuple[str, ...] = ()


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


AREAS = (
    Area(
        "utils",
        5,
        0.04,
        _w("text dates collections validation io"),
        _w(
            "dates strings text numbers collections hashing retry pagination validation money "
            "timezones urls files images crypto async_tools iterators decorators formatting "
            "slugs emails phone csv_tools json_tools"
        ),
        10,
        0.6,
        0.1,
        0.3,
        2.0,
    ),
    Area(
        "core",
        10,
        0.055,
        _w("config security observability cache events http di storage"),
        _w(
            "config settings security logging exceptions cache events http clock ids tracing "
            "metrics constants context signals registry permissions errors types base"
        ),
        14,
        0.4,
        0.2,
        0.5,
        2.5,
        ("import structlog", "from pydantic_settings import BaseSettings"),
    ),
    Area(
        "db",
        30,
        0.15,
        _w("models repositories migrations queries seeds views schemas events"),
        _w(
            "models repository queries mixins types columns indexes constraints fixtures seeds "
            "tables views triggers dao migration"
        ),
        55,
        0.05,
        0.4,
        0.9,
        1.4,
        (
            "from sqlalchemy import ForeignKey, String, select",
            "from sqlalchemy.orm import Mapped, Session, mapped_column, relationship",
        ),
    ),
    Area(
        "domain",
        40,
        0.14,
        DOMAINS,
        _w(
            "entities value_objects events policies specifications exceptions factories "
            "aggregates rules commands queries protocols enums invariants services types"
        ),
        30,
        0.03,
        0.35,
        0.8,
        1.2,
    ),
    Area(
        "realtime_core",
        50,
        0.045,
        _w("connections broadcast presence sessions transport protocols rooms delivery codecs routing"),
        _w(
            "manager registry protocol transport heartbeat backpressure fanout subscriptions "
            "rooms delivery acks codec frames router factory session buffer dispatcher gateway state"
        ),
        20,
        0.15,
        0.3,
        1.3,
        1.0,
        ("from redis.asyncio import Redis", "from starlette.websockets import WebSocket"),
    ),
    Area(
        "realtime",
        52,
        0.015,
        (),
        _w("connection_manager connection_info compat shims broadcast presence session events"),
        10,
        1.0,
        0.0,
        1.0,
        0.4,
    ),
    Area(
        "integrations",
        55,
        0.06,
        VENDORS,
        _w("client webhooks schemas errors mappers auth retries rate_limit signatures sync models settings events"),
        12,
        0.05,
        0.2,
        0.9,
        0.7,
        ("import httpx", "from tenacity import retry, stop_after_attempt"),
    ),
    Area(
        "services",
        60,
        0.25,
        DOMAINS,
        _w(
            "service manager handlers workflows tasks validators notifier calculator policies "
            "events listeners commands queries exceptions constants utils cache mappers builders "
            "scheduler dispatcher sync importer exporter aggregator resolver registry "
            "orchestrator pipeline"
        ),
        35,
        0.02,
        0.5,
        1.5,
        1.0,
        ("from sqlalchemy.orm import Session",),
    ),
    Area(
        "workers",
        65,
        0.05,
        _w("tasks schedules consumers jobs periodic queues"),
        _w("tasks jobs consumer worker scheduler retry handlers beat"),
        30,
        0.1,
        0.3,
        1.3,
        0.3,
        ("from celery import shared_task",),
    ),
    Area(
        "api",
        70,
        0.13,
        _w("routes schemas dependencies middleware websockets v1 v2 admin internal graphql webhooks serializers"),
        _w(
            "routes views endpoints deps schemas serializers filters pagination permissions "
            "responses errors forms params validators"
        ),
        40,
        0.05,
        0.5,
        1.4,
        0.4,
        ("from fastapi import APIRouter, Depends, HTTPException, status", "from pydantic import BaseModel, Field"),
    ),
    Area(
        "management",
        75,
        0.015,
        _w("commands"),
        _w("command seed backfill cleanup export reindex"),
        20,
        0.2,
        0.0,
        1.2,
        0.2,
        ("import click",),
    ),
)
AREA_BY_NAME = {a.name: a for a in AREAS}
# Where each strongly connected component lives: (area, preferred second-level package).
SCC_HOMES = (("services", ""), ("realtime_core", ""), ("db", "models"), ("api", "routes"), ("domain", ""))


# --- Data model --------------------------------------------------------------------------
@dataclass
class Module:
    """One module of the generated package (a package's ``__init__.py`` is a module too)."""

    name: str
    is_package: bool
    area: str
    group: str  # second-level package (or the area), for locality of imports
    rank: int
    order: int = -1  # position in the global topological order of the layered DAG
    lines_target: int = 0
    plan: ModulePlan | None = None

    @property
    def parent(self) -> str:
        return self.name.rpartition(".")[0]

    @property
    def last(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def current_package(self) -> str:
        """The package relative imports are resolved against."""
        return self.name if self.is_package else self.parent


@dataclass
class FuncPlan:
    name: str
    lines: int
    is_async: bool = False
    is_method: bool = False
    deferred: list[str] = field(default_factory=list)  # rendered import lines


@dataclass
class ClassPlan:
    name: str
    kind: str  # service | dataclass | enum | error | protocol
    methods: list[FuncPlan]


@dataclass
class ModulePlan:
    classes: list[ClassPlan]
    functions: list[FuncPlan]
    constants: list[str]
    empty: bool = False

    def public_names(self) -> list[str]:
        names = [c.name for c in self.classes]
        names += [f.name for f in self.functions if not f.name.startswith("_")]
        return names + self.constants


# --- Small helpers -----------------------------------------------------------------------
def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (summing exactly)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:rest]:
        out[i] += 1
    return out


def split_budget(total: int, parts: int, rng: random.Random, minimum: int) -> list[int]:
    """Split ``total`` into ``parts`` uneven log-normal shares of at least ``minimum``."""
    base = [minimum] * parts
    extra = total - minimum * parts
    if extra <= 0:
        return largest_remainder(total, [1.0] * parts)
    weights = [rng.lognormvariate(0, 0.6) for _ in range(parts)]
    return [b + e for b, e in zip(base, largest_remainder(extra, weights))]


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_") if part)


def scc_sizes_for(modules: int) -> list[int]:
    """The field SCC sizes scaled to ``modules``; every cycle keeps at least two members."""
    scale = modules / REFERENCE_MODULES
    return [max(2, round(s * scale)) for s in FIELD_SCC_SIZES]


def strongly_connected_components(nodes: list[str], succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph is too deep for recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ.get(root, ())))]
        while work:
            v, it = work[-1]
            descended = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, ()))))
                    descended = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if descended:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                result.append(comp)
    return result


# --- 1. The package tree -----------------------------------------------------------------
class TreeBuilder:
    """Lays out exactly ``n`` modules as nested packages with realistic names."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.n = n
        self.rng = rng
        self.modules: list[Module] = []
        self.children: dict[str, set[str]] = {}

    def build(self) -> list[Module]:
        self._add(ROOT, True, "root", ROOT, 0)
        self._add(f"{ROOT}.main", False, "entry", ROOT, 90)
        remaining = self.n - len(self.modules)
        counts = largest_remainder(remaining, [a.share for a in AREAS])
        for area, count in zip(AREAS, counts):
            if count > 0:
                self._build_area(area, count)
        assert len(self.modules) == self.n, (len(self.modules), self.n)
        return self.modules

    def _add(self, name: str, is_package: bool, area: str, group: str, rank: int) -> None:
        self.modules.append(Module(name, is_package, area, group, rank))
        parent, _, last = name.rpartition(".")
        self.children.setdefault(parent, set()).add(last)
        if is_package:
            self.children.setdefault(name, set())

    def _free_name(self, package: str, candidates: list[str]) -> str:
        used = self.children.setdefault(package, set())
        for name in candidates:
            if name not in used and name.isidentifier() and not keyword.iskeyword(name):
                return name
        i = 2
        while f"{candidates[0]}_{i}" in used:
            i += 1
        return f"{candidates[0]}_{i}"

    def _build_area(self, area: Area, count: int) -> None:
        rng = self.rng
        package = f"{ROOT}.{area.name}"
        self._add(package, True, area.name, package, area.rank)
        rest = count - 1
        loose = rest if not area.groups else round(rest * area.loose_share)
        grouped = rest - loose
        n_groups = min(max(1, round(grouped / area.group_size)), max(1, grouped // 2)) if grouped else 0
        pool = list(area.groups)
        rng.shuffle(pool)
        extra = [d for d in DOMAINS if d not in pool]
        rng.shuffle(extra)
        names = (pool + extra)[:n_groups]
        budgets = split_budget(grouped, n_groups, rng, 2) if n_groups else []
        for gname, budget in zip(names, budgets):
            gname = self._free_name(package, [gname])
            self._build_package(f"{package}.{gname}", budget, 2, area, f"{package}.{gname}")
        self._add_leaves(package, loose, area, package)

    def _build_package(self, package: str, budget: int, depth: int, area: Area, group: str) -> None:
        rng = self.rng
        self._add(package, True, area.name, group, area.rank)
        rest = budget - 1
        if depth < 4 and rest >= 10 and rng.random() < area.nest_prob:
            k = rng.randint(1, min(3, rest // 5))
            nested_total = max(2 * k, round(rest * rng.uniform(0.25, 0.5)))
            for budget_k in split_budget(nested_total, k, rng, 2):
                name = self._free_name(package, rng.sample(NESTED, 6))
                self._build_package(f"{package}.{name}", budget_k, depth + 1, area, group)
            rest -= nested_total
        self._add_leaves(package, rest, area, group)

    def _add_leaves(self, package: str, count: int, area: Area, group: str) -> None:
        rng = self.rng
        for _ in range(count):
            candidates = []
            for _ in range(8):
                if rng.random() < 0.3:
                    candidates.append(rng.choice(area.suffixes))
                else:
                    candidates.append(f"{rng.choice(NOUNS)}_{rng.choice(area.suffixes)}")
            name = self._free_name(package, candidates)
            self._add(f"{package}.{name}", False, area.name, group, area.rank)


def assign_order(modules: list[Module], rng: random.Random) -> list[Module]:
    """Topologically order the layered DAG: by layer, then area, then package, then at random.

    Ordinary imports only go from a later module to an earlier one, so the graph is acyclic
    by construction; cycles are then injected only inside contiguous slices of this order,
    which bounds every strongly connected component to exactly its slice.
    """
    group_key = {g: rng.random() for g in dict.fromkeys(m.group for m in modules)}
    area_index = {name: i for i, name in enumerate(["root"] + [a.name for a in AREAS] + ["entry"])}
    ordered = sorted(modules, key=lambda m: (m.rank, area_index[m.area], group_key[m.group], rng.random()))
    for i, m in enumerate(ordered):
        m.order = i
    return ordered


# --- 2. The import graph -----------------------------------------------------------------
class Pool:
    """Candidate import targets sorted by order, sampled by popularity below an order bound."""

    def __init__(self, members: list[Module], popularity: dict[str, float]) -> None:
        self.members = sorted(members, key=lambda m: m.order)
        self.orders = [m.order for m in self.members]
        self.cum: list[float] = []
        total = 0.0
        for m in self.members:
            total += popularity[m.name]
            self.cum.append(total)

    def pick(self, below: int, rng: random.Random) -> Module | None:
        n = bisect_left(self.orders, below)
        if n == 0:
            return None
        i = bisect_right(self.cum, rng.random() * self.cum[n - 1])
        return self.members[min(i, n - 1)]


@dataclass
class Graph:
    edges: dict[str, list[str]]  # importer -> imported, in insertion order
    blocks: list[list[str]]  # the intended strongly connected components
    forbidden: list[tuple[str, str]]  # the db -> api imports


def build_graph(ordered: list[Module], rng: random.Random) -> Graph:
    by_name = {m.name: m for m in ordered}
    n = len(ordered)
    edges: dict[str, list[str]] = {m.name: [] for m in ordered}
    seen: set[tuple[str, str]] = set()

    def add(a: str, b: str) -> bool:
        if a == b or (a, b) in seen:
            return False
        seen.add((a, b))
        edges[a].append(b)
        return True

    total_target = round(n * FIELD_EDGES / FIELD_MODULES)

    # Cycles: each block is a contiguous slice of the order inside one area.
    blocks: list[list[str]] = []
    taken: set[str] = set()
    for size, (area_name, group_last) in zip(scc_sizes_for(n), SCC_HOMES):
        area_mods = [m for m in ordered if m.area == area_name]
        if group_last:
            preferred = [m for m in area_mods if m.group.endswith(f".{group_last}")]
            if len(preferred) >= size + 2:
                area_mods = preferred
        if len(area_mods) < size:
            area_mods = [m for m in ordered if m.area in AREA_BY_NAME]
        free = [
            i
            for i in range(len(area_mods) - size + 1)
            if not any(m.name in taken for m in area_mods[i : i + size])
            and area_mods[i + size - 1].order - area_mods[i].order == size - 1
        ]
        if not free:
            continue
        start = rng.choice(free)
        block = [m.name for m in area_mods[start : start + size]]
        taken.update(block)
        blocks.append(block)
        ring = block[:]
        rng.shuffle(ring)
        for a, b in zip(ring, ring[1:] + ring[:1]):
            add(a, b)
        for _ in range(size // 3):
            a, b = rng.sample(block, 2)
            add(a, b)

    # Popularity of each module as an import target.
    popularity: dict[str, float] = {}
    for m in ordered:
        area = AREA_BY_NAME.get(m.area)
        p = (area.popularity if area else 0.3) * min(40.0, rng.paretovariate(1.6))
        popularity[m.name] = p * (0.4 if m.is_package else 1.0)

    # The forbidden contract is broken by db modules importing two "leaf" api modules whose
    # own imports only reach core and utils (below db), so no cycle can form.
    forbidden: list[tuple[str, str]] = []
    restricted: dict[str, int] = {}
    db_floor = min((m.order for m in ordered if m.area == "db"), default=0)
    api_leaves = [m for m in ordered if m.area == "api" and not m.is_package and m.name not in taken]
    db_leaves = [m for m in ordered if m.area == "db" and not m.is_package and m.name not in taken]
    if api_leaves and db_leaves:
        for api_mod, db_mod in zip(
            rng.sample(api_leaves, min(FORBIDDEN_CHAINS, len(api_leaves))),
            rng.sample(db_leaves, min(FORBIDDEN_CHAINS, len(db_leaves))),
        ):
            restricted[api_mod.name] = db_floor
            add(db_mod.name, api_mod.name)
            forbidden.append((db_mod.name, api_mod.name))

    # Package __init__ modules re-export some of their (earlier) children.
    for m in ordered:
        if m.is_package and m.name != ROOT and rng.random() < 0.45:
            kids = [by_name[f"{m.name}.{c}"] for c in sorted(_children(by_name, m.name))]
            kids = [k for k in kids if k.order < m.order]
            for k in rng.sample(kids, min(len(kids), rng.randint(1, 3))):
                add(m.name, k.name)

    # Ordinary downward imports fill the rest of the budget.
    by_parent: dict[str, list[Module]] = {}
    by_group: dict[str, list[Module]] = {}
    by_area: dict[str, list[Module]] = {}
    for m in ordered:
        by_parent.setdefault(m.parent, []).append(m)
        by_group.setdefault(m.group, []).append(m)
        by_area.setdefault(m.area, []).append(m)
    pools_parent = {k: Pool(v, popularity) for k, v in by_parent.items()}
    pools_group = {k: Pool(v, popularity) for k, v in by_group.items()}
    pools_area = {k: Pool(v, popularity) for k, v in by_area.items()}
    pool_all = Pool(ordered, popularity)

    def pick_target(m: Module) -> bool:
        limit = min(m.order, restricted.get(m.name, m.order))
        for _ in range(40):
            r = rng.random()
            if m.name in restricted or r >= 0.58:
                pool = pool_all
            elif r < 0.28:
                pool = pools_parent[m.parent]
            elif r < 0.45:
                pool = pools_group[m.group]
            else:
                pool = pools_area[m.area]
            t = pool.pick(limit, rng)
            if t is not None and add(m.name, t.name):
                return True
        return False

    importers = [m for m in ordered if not m.is_package]
    weights = [
        (AREA_BY_NAME[m.area].out_factor if m.area in AREA_BY_NAME else 2.0) * rng.lognormvariate(0, 0.8)
        for m in importers
    ]
    remaining = total_target - len(seen)
    degrees = largest_remainder(max(0, remaining), weights)
    for m, d in zip(importers, degrees):
        for _ in range(d):
            pick_target(m)
    # Top up what early modules (with few candidates) could not place.
    late = [m for m in importers if m.order > n // 4]
    attempts = 0
    while len(seen) < total_target and attempts < 50 * n:
        attempts += 1
        pick_target(rng.choice(late))
    return Graph(edges, blocks, forbidden)


def _children(by_name: dict[str, Module], package: str) -> list[str]:
    prefix = package + "."
    return [name[len(prefix) :] for name in by_name if name.startswith(prefix) and "." not in name[len(prefix) :]]


# --- 3. Module plans (names and sizes) -----------------------------------------------------
def assign_sizes(modules: list[Module], extra_files: int, rng: random.Random) -> list[int]:
    """Line targets: tiny or empty ``__init__`` files, log-normal sizes for the rest.

    The log-normal part is rescaled so the whole project averages the field's lines a file.
    Returns the targets for the extra (test and script) files.
    """
    total = round(FIELD_LINES / FIELD_FILES * (len(modules) + extra_files))
    fixed = 0
    for m in modules:
        if m.is_package:
            m.lines_target = 0 if rng.random() < 0.25 else min(120, int(rng.lognormvariate(2.5, 0.7)))
            fixed += m.lines_target
    leaves = [m for m in modules if not m.is_package]
    raw = [rng.lognormvariate(0, 0.85) for _ in leaves]
    raw_extra = [rng.lognormvariate(-0.2, 0.7) for _ in range(extra_files)]
    scale = (total - fixed) / max(1e-9, sum(raw) + sum(raw_extra))
    for m, r in zip(leaves, raw):
        m.lines_target = max(25, min(6000, round(r * scale)))
    return [max(25, min(3000, round(r * scale))) for r in raw_extra]


CLASS_KINDS = (("service", 0.5), ("dataclass", 0.2), ("enum", 0.1), ("error", 0.1), ("protocol", 0.1))
SERVICE_SUFFIXES = _w(
    "Service Manager Handler Repository Client Builder Registry Processor Resolver "
    "Dispatcher Adapter Gateway Coordinator Store Policy Serializer"
)


def plan_module(m: Module, rng: random.Random, prefix_tests: bool = False) -> ModulePlan:
    """Decide the classes, functions and constants of a module, sized to its line target."""
    if m.is_package and m.lines_target == 0:
        return ModulePlan([], [], [], empty=True)
    if m.is_package and m.lines_target < 30:
        return ModulePlan([], [], [f"{m.last.upper()}_{rng.choice(['VERSION', 'PREFIX', 'NAMESPACE'])}"])
    words = [w for w in m.last.split("_") if w] or ["core"]
    noun = words[0] if words[0] in NOUNS or len(words) == 1 else rng.choice(NOUNS)
    used: set[str] = set()

    def unique(name: str) -> str:
        base, i = name, 2
        while name in used or keyword.iskeyword(name):
            name = f"{base}{i}" if name[0].isupper() else f"{base}_{i}"
            i += 1
        used.add(name)
        return name

    def func(is_method: bool) -> FuncPlan:
        if prefix_tests:
            name = unique(f"test_{rng.choice(VERBS)}_{rng.choice(NOUNS)}_{rng.choice(STATUSES)}")
        else:
            private = "_" if rng.random() < (0.3 if is_method else 0.15) else ""
            name = unique(f"{private}{rng.choice(VERBS)}_{rng.choice([noun] + list(NOUNS))}")
        return FuncPlan(
            name, max(3, round(rng.lognormvariate(2.4, 0.6))), is_async=rng.random() < 0.2, is_method=is_method
        )

    constants = []
    for _ in range(rng.randint(0, 3)):
        constants.append(
            unique(
                f"{rng.choice(['DEFAULT', 'MAX', 'MIN', 'CACHE'])}_"
                f"{rng.choice(NOUNS).upper()}_{rng.choice(['TTL', 'LIMIT', 'SIZE', 'RETRIES'])}"
            )
        )
    budget = round(m.lines_target * PLAN_CALIBRATION) - 30
    classes: list[ClassPlan] = []
    functions: list[FuncPlan] = []
    if m.is_package:
        budget = m.lines_target - 6
    while budget > 0 or not (classes or functions):
        if (budget > 40 and rng.random() < 0.55 and not prefix_tests) or (prefix_tests and rng.random() < 0.3):
            r, acc = rng.random(), 0.0
            kind = "service"
            for k, p in CLASS_KINDS:
                acc += p
                if r < acc:
                    kind = k
                    break
            base = camel(noun)
            if prefix_tests:
                cname = unique(f"Test{base}{rng.choice(SERVICE_SUFFIXES)}")
                kind = "service"
            elif kind == "enum":
                cname = unique(f"{base}{rng.choice(['Status', 'Kind', 'State', 'Mode'])}")
            elif kind == "error":
                cname = unique(f"{base}{rng.choice(['Error', 'NotFoundError', 'ConflictError', 'ValidationError'])}")
            elif kind == "protocol":
                cname = unique(f"{base}{rng.choice(SERVICE_SUFFIXES)}Protocol")
            elif kind == "dataclass":
                cname = unique(f"{base}{rng.choice(['Summary', 'Snapshot', 'Payload', 'Record', 'Options', 'Result'])}")
            else:
                cname = unique(f"{base}{rng.choice(SERVICE_SUFFIXES)}")
            n_methods = {
                "service": rng.randint(2, 10),
                "dataclass": rng.randint(0, 2),
                "enum": 0,
                "error": rng.randint(0, 1),
                "protocol": rng.randint(1, 4),
            }[kind]
            methods = [func(True) for _ in range(n_methods)]
            if kind == "protocol":
                for f in methods:
                    f.lines = 1
            classes.append(ClassPlan(cname, kind, methods))
            budget -= 8 + sum(f.lines + 8 for f in methods) + (6 if kind in ("enum", "dataclass") else 0)
        else:
            f = func(False)
            functions.append(f)
            budget -= f.lines + 10
    return ModulePlan(classes, functions, constants)


def plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def sentence(rng: random.Random) -> str:
    """A plausible comment or docstring sentence."""
    k = rng.randrange(5)
    noun = rng.choice(NOUNS).replace("_", " ")
    if k == 0:
        return (
            f"{rng.choice(VERBS).capitalize()} the {noun} before {rng.choice(GERUNDS)} the "
            f"{rng.choice(NOUNS).replace('_', ' ')}."
        )
    if k == 1:
        return f"Keep {rng.choice(ADJECTIVES)} {plural(noun)} out of the {rng.choice(NOUNS).replace('_', ' ')} cache."
    if k == 2:
        return f"The {noun} may be {rng.choice(ADJECTIVES)} here; {rng.choice(VERBS)} it first."
    if k == 3:
        return f"Callers rely on this being idempotent for {rng.choice(STATUSES)} {plural(noun)}."
    return (
        f"TODO: {rng.choice(VERBS)} {plural(noun)} in bulk once the "
        f"{rng.choice(DOMAINS).replace('_', ' ')} migration lands."
    )


# --- 4. Rendering --------------------------------------------------------------------------
@dataclass
class Import:
    """One internal import, rendered; ``names`` are the names it binds."""

    text: str
    names: list[str]


class Renderer:
    """Turns a module plan plus its imports into Python source."""

    def __init__(self, by_name: dict[str, Module], children: dict[str, set[str]]) -> None:
        self.by_name = by_name
        self.children = children

    # -- imports --
    def import_of(self, importer: Module | None, target: Module, rng: random.Random) -> Import:
        """A statement importing ``target`` that static analysis resolves to exactly it."""
        names: list[str] = []
        if target.plan is not None and not target.plan.empty:
            kids = self.children.get(target.name, set())
            names = [n for n in target.plan.public_names() if n not in kids]
        rel = self._relative(importer, target) if importer is not None and rng.random() < 0.35 else None
        r = rng.random()
        if names and (r < 0.7 or target.name == ROOT):
            chosen = sorted(rng.sample(names, min(len(names), rng.choice((1, 1, 1, 2, 2, 3)))))
            return Import(f"from {rel or target.name} import {', '.join(chosen)}", chosen)
        if target.name == ROOT:
            return Import(f"import {ROOT}", [ROOT])
        if rel is not None:
            path = rel.lstrip(".")
            dots = rel[: len(rel) - len(path)]
            parent, _, last = path.rpartition(".")
            return Import(f"from {dots}{parent} import {last}", [last])
        parent, _, last = target.name.rpartition(".")
        if r < 0.9:
            return Import(f"from {parent} import {last}", [last])
        alias = f"{last}_module"
        return Import(f"import {target.name} as {alias}", [alias])

    def _relative(self, importer: Module, target: Module) -> str | None:
        anchor = importer.current_package
        for level in (1, 2):
            if target.name.startswith(anchor + "."):
                return "." * level + target.name[len(anchor) + 1 :]
            anchor = anchor.rpartition(".")[0]
            if not anchor:
                break
        return None

    # -- module --
    def render(
        self,
        m: Module | None,
        plan: ModulePlan,
        imports: list[tuple[Import, str]],
        rng: random.Random,
        area: Area | None,
        *,
        test_file: bool = False,
        doc_subject: str = "",
    ) -> str:
        """Render a module; ``imports`` pairs each import with its style."""
        if plan.empty and not imports:
            return ""
        if m is not None and m.is_package and not (plan.classes or plan.functions):
            return self.render_init(plan, imports, rng)
        out: list[str] = []
        subject = doc_subject or (m.name if m else "module")
        out += self.docstring(
            rng,
            0,
            f"{camel(subject.rpartition('.')[2]).replace('_', ' ')}: {sentence(rng).rstrip('.')}.",
            long=rng.random() < 0.7,
        )
        out.append("")
        future = rng.random() < 0.6
        if future:
            out += ["from __future__ import annotations", ""]
        by_style: dict[str, list[Import]] = {"top": [], "deferred": [], "try": [], "tc": []}
        for imp, style in imports:
            by_style[style].append(imp)
        stdlib = sorted(rng.sample(STDLIB, rng.randint(2, 7)), key=lambda s: s.split()[1])
        typing_names = ["Any"] + (["TYPE_CHECKING"] if by_style["tc"] else [])
        if rng.random() < 0.3:
            typing_names.append("Protocol")
        std_lines = ["import logging"] + [s for s in stdlib]
        std_lines.append(f"from typing import {', '.join(sorted(typing_names))}")
        out += sorted(std_lines, key=lambda s: (s.startswith("from"), s.split()[1]))
        third = [t for t in (area.third_party if area else ()) if rng.random() < 0.6]
        if test_file:
            third = ["import pytest"] + third
        if third:
            out.append("")
            out += sorted(third, key=lambda line: line.split()[1])
        top = sorted((i.text for i in by_style["top"]), key=lambda t: (t.startswith("from ."), t))
        if top:
            out.append("")
            out += top
        for imp in by_style["try"]:
            out += [
                "",
                "try:",
                f"    {imp.text}",
                f"except ImportError:  # {rng.choice(['optional dependency', 'optional integration', 'not installed in slim images'])}",
            ]
            out += [f"    {n} = None  # type: ignore[assignment,misc]" for n in imp.names]
        if by_style["tc"]:
            out += ["", "if TYPE_CHECKING:"] + [f"    {i.text}" for i in by_style["tc"]]
        out += ["", "logger = logging.getLogger(__name__)"]
        if plan.constants:
            out.append("")
            for c in plan.constants:
                out.append(f"{c} = {rng.choice(['30', '100', '5', '3600', '1_000', '0.25', '64'])}")
        if plan.public_names() and rng.random() < 0.4:
            out += ["", "__all__ = ["] + [f'    "{n}",' for n in sorted(plan.public_names())] + ["]"]
        used_names = [n for i in by_style["top"] + by_style["try"] for n in i.names]
        # Deferred imports go at the top of some function or method body.
        hosts = [f for c in plan.classes if c.kind == "service" for f in c.methods] + plan.functions
        if by_style["deferred"] and not hosts:
            f = FuncPlan(f"load_{rng.choice(NOUNS)}_lazily", 6)
            plan.functions.append(f)
            hosts = [f]
        for imp in by_style["deferred"]:
            host = rng.choice(hosts)
            comment = rng.choice(
                [
                    "  # deferred: avoids a circular import",
                    "  # noqa: PLC0415",
                    "",
                    "",
                    "  # imported lazily to keep startup fast",
                ]
            )
            host.deferred.append(imp.text + comment)
            if rng.random() < 0.5:
                host.deferred.append(f"{rng.choice(VARS)} = {imp.names[0]}({rng.choice(VARS)})")
        for c in plan.classes:
            out += ["", ""] + self.klass(c, rng, used_names)
        for f in plan.functions:
            out += ["", ""] + self.function(f, rng, 0, used_names)
        return "\n".join(out) + "\n"

    def render_init(self, plan: ModulePlan, imports: list[tuple[Import, str]], rng: random.Random) -> str:
        """A package ``__init__``: a docstring, re-exports, ``__all__`` and a constant or two."""
        out = [f'"""{sentence(rng)}"""']
        top = sorted(imp.text for imp, _ in imports)
        if top:
            out += [""] + top
        for c in plan.constants:
            out += ["", f"{c} = {rng.choice(['30', '100', '5', '3600'])}"]
        exported = sorted([n for imp, _ in imports for n in imp.names] + plan.constants)
        if exported:
            out += ["", "__all__ = ["] + [f'    "{n}",' for n in exported] + ["]"]
        return "\n".join(out) + "\n"

    # -- pieces --
    def docstring(
        self,
        rng: random.Random,
        indent: int,
        summary: str,
        long: bool,
        params: list[str] | None = None,
        returns: str = "",
    ) -> list[str]:
        pad = " " * indent
        if not long:
            return [f'{pad}"""{summary}"""']
        lines = [f'{pad}"""{summary}', ""]
        lines += [f"{pad}{sentence(rng)}" for _ in range(rng.randint(1, 3))]
        if params:
            lines += ["", f"{pad}Args:"]
            lines += [f"{pad}    {p}: The {p.replace('_', ' ')} to {rng.choice(VERBS)}." for p in params]
        if returns and returns != "None":
            lines += [
                "",
                f"{pad}Returns:",
                f"{pad}    The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS).replace('_', ' ')}.",
            ]
        lines.append(f'{pad}"""')
        return lines

    def klass(self, c: ClassPlan, rng: random.Random, used_names: list[str]) -> list[str]:
        out: list[str] = []
        summary = sentence(rng)
        if c.kind == "enum":
            out += [f"class {c.name}(str, Enum):"] + self.docstring(rng, 4, summary, False) + [""]
            for s in rng.sample(STATUSES, rng.randint(3, len(STATUSES))):
                out.append(f'    {s.upper()} = "{s}"')
            return out
        if c.kind == "error":
            out += [f"class {c.name}({rng.choice(['Exception', 'ValueError', 'LookupError', 'RuntimeError'])}):"]
            out += self.docstring(rng, 4, summary, rng.random() < 0.3)
            for _ in c.methods:
                out += [
                    "",
                    "    def __init__(self, message: str, *, code: str | None = None) -> None:",
                    "        super().__init__(message)",
                    "        self.code = code",
                ]
            return out
        if c.kind == "protocol":
            out += [f"class {c.name}(Protocol):"] + self.docstring(rng, 4, summary, False)
            for f in c.methods:
                params = self.params(rng, True, 0)
                out += ["", f"    {'async ' if f.is_async else ''}def {f.name}({params}) -> {rng.choice(RETURNS)}: ..."]
            return out
        if c.kind == "dataclass":
            out += (
                [
                    f"@dataclass({rng.choice(['frozen=True', 'slots=True', 'frozen=True, slots=True', 'kw_only=True'])})",
                    f"class {c.name}:",
                ]
                + self.docstring(rng, 4, summary, rng.random() < 0.5)
                + [""]
            )
            for p, ann in rng.sample(PARAMS, rng.randint(2, 6)):
                out.append(f"    {p}: {ann}")
            for p, ann, default in rng.sample(KW_PARAMS, rng.randint(0, 3)):
                out.append(f"    {p}: {ann} = {default}")
            if rng.random() < 0.4:
                out.append("    tags: list[str] = field(default_factory=list)")
            for f in c.methods:
                out += [""] + self.function(f, rng, 4, used_names, prop=rng.random() < 0.5)
            return out
        bases = "" if c.name.startswith("Test") else rng.choice(["", "", "", "(BaseService)"])
        out += [f"class {c.name}{bases}:"] + self.docstring(rng, 4, summary, rng.random() < 0.6)
        attrs = rng.sample(ATTRS, rng.randint(1, 4))
        out += ["", f"    def __init__(self, {', '.join(f'{a}: Any' for a in attrs)}) -> None:"]
        out += [f"        self._{a} = {a}" for a in attrs]
        for f in c.methods:
            out += [""] + self.function(f, rng, 4, used_names, attrs=attrs)
        return out

    def params(self, rng: random.Random, is_method: bool, n: int | None = None) -> str:
        n = rng.randint(0, 3) if n is None else n
        ps = [f"{p}: {a}" for p, a in rng.sample(PARAMS, n)]
        if rng.random() < 0.35:
            ps.append("*")
            ps += [f"{p}: {a} = {d}" for p, a, d in rng.sample(KW_PARAMS, rng.randint(1, 2))]
        return ", ".join((["self"] if is_method else []) + ps)

    def function(
        self,
        f: FuncPlan,
        rng: random.Random,
        indent: int,
        used_names: list[str],
        attrs: list[str] | None = None,
        prop: bool = False,
    ) -> list[str]:
        pad = " " * indent
        ret = rng.choice(RETURNS)
        out: list[str] = []
        if prop:
            out.append(f"{pad}@property")
            params = "self"
            f.is_async = False
        elif f.is_method and rng.random() < 0.08:
            decorator = rng.choice(["classmethod", "staticmethod"])
            out.append(f"{pad}@{decorator}")
            params = ("cls, " if decorator == "classmethod" else "") + self.params(rng, False)
        elif not f.is_method and rng.random() < 0.08:
            out.append(f"{pad}@functools.lru_cache(maxsize=128)")
            params = self.params(rng, False)
        else:
            params = self.params(rng, f.is_method)
        params = params.rstrip(", ")
        out.append(f"{pad}{'async ' if f.is_async else ''}def {f.name}({params}) -> {ret}:")
        arg_names = [n for n in re.findall(r"(?:^|, )(\w+)(?=:)", params)]
        body_pad = indent + 4
        out += self.docstring(rng, body_pad, sentence(rng), rng.random() < 0.35, arg_names, ret)
        if f.deferred:
            out += [" " * body_pad + line for line in f.deferred]
            out.append("")
        ctx = BodyContext(arg_names or ["payload"], attrs or [], used_names, f.is_async, f.name.startswith("test_"))
        out += [(" " * body_pad + line) if line else "" for line in self.body(rng, ctx, f.lines)]
        if ret != "None":
            out.append(" " * body_pad + f"return {rng.choice(ctx.assigned or ['None'])}")
        return out

    def body(self, rng: random.Random, ctx: BodyContext, budget: int) -> list[str]:
        out: list[str] = []
        while len(out) < budget:
            snippet = rng.choice(SNIPPETS)(rng, ctx)
            if snippet:
                out += snippet
                if rng.random() < 0.12:
                    out.append("")
        while out and not out[-1]:
            out.pop()
        return out or ["pass"]


@dataclass
class BodyContext:
    args: list[str]
    attrs: list[str]
    imported: list[str]
    is_async: bool
    is_test: bool
    assigned: list[str] = field(default_factory=list)

    def var(self, rng: random.Random) -> str:
        v = rng.choice(VARS)
        self.assigned.append(v)
        return v

    def src(self, rng: random.Random) -> str:
        pool = self.args + self.assigned[-3:] + ([f"self._{a}" for a in self.attrs])
        return rng.choice(pool)

    def obj(self, rng: random.Random) -> str:
        if self.attrs and rng.random() < 0.7:
            return f"self._{rng.choice(self.attrs)}"
        return rng.choice(["client", "repository", "cache", "registry", "session"])


def _s_log(rng: random.Random, c: BodyContext) -> list[str]:
    return [
        f'logger.{rng.choice(["debug", "info", "warning", "debug"])}("{rng.choice(VERBS).capitalize()} '
        f'{rng.choice(NOUNS).replace("_", " ")} %s", {c.src(rng)})'
    ]


def _s_guard(rng: random.Random, c: BodyContext) -> list[str]:
    a = c.src(rng)
    exc = "AssertionError" if c.is_test else rng.choice(["ValueError", "LookupError", "PermissionError"])
    return [f"if {a} is None:", f'    raise {exc}("{a.removeprefix("self._")} is required")']


def _s_loop(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    acc = c.var(rng)
    fld = rng.choice(["status", "state", "kind", "owner_id", "deleted_at"])
    return [
        f"{acc}: list[dict[str, Any]] = []",
        f"for item in {src}:",
        f'    if item.get("{fld}") in {{"{rng.choice(STATUSES)}", "{rng.choice(STATUSES)}"}}:',
        "        continue",
        f'    {acc}.append({{"id": item["id"], "{fld}": item.get("{fld}")}})',
    ]


def _s_try(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    obj = c.obj(rng)
    res = c.var(rng)
    aw = "await " if c.is_async else ""
    return [
        "try:",
        f"    {res} = {aw}{obj}.{rng.choice(METHOD_CALLS)}({src}, timeout={rng.choice(['5', '10', '30', '2.5'])})",
        f"except {rng.choice(['TimeoutError', 'KeyError', 'ConnectionError', 'OSError'])} as exc:",
        f'    logger.warning("{rng.choice(VERBS).capitalize()} failed for %s: %s", {src}, exc)',
        f"    {res} = None",
    ]


def _s_comp(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    res = c.var(rng)
    if rng.random() < 0.5:
        return [f"{res} = {{key: value for key, value in dict({src}).items() if value is not None}}"]
    return [
        f'{res} = [entry for entry in {src} if entry and not entry.get("{rng.choice(["hidden", "deleted", "muted"])}")]'
    ]


def _s_with(rng: random.Random, c: BodyContext) -> list[str]:
    if rng.random() < 0.3:
        return ["with contextlib.suppress(KeyError):", f"    {c.src(rng)}.{rng.choice(METHOD_CALLS)}()"]
    handle = rng.choice(["conn", "tx", "span", "lock", "handle"])
    manager = rng.choice(["tracer.start_as_current_span(__name__)", "open_connection()", f"{c.obj(rng)}.transaction()"])
    keyword_ = "async with" if c.is_async and rng.random() < 0.5 else "with"
    return [f"{keyword_} {manager} as {handle}:", f"    {handle}.{rng.choice(METHOD_CALLS)}({c.src(rng)})"]


def _s_comment(rng: random.Random, c: BodyContext) -> list[str]:
    return [f"# {sentence(rng)}"]


def _s_call(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    obj = c.obj(rng)
    res = c.var(rng)
    aw = "await " if c.is_async and rng.random() < 0.6 else ""
    kw, _, default = rng.choice(KW_PARAMS)
    return [f"{res} = {aw}{obj}.{rng.choice(METHOD_CALLS)}({src}, {kw}={default})"]


def _s_if_else(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    res = c.var(rng)
    return [
        f"if {src} and len({src}) > {rng.choice(['1', '10', 'MAX_BATCH', '100'])}:",
        f"    {res} = {c.obj(rng)}.{rng.choice(METHOD_CALLS)}({src})",
        f"elif {src}:",
        f"    {res} = [{src}]",
        "else:",
        f'    logger.debug("Nothing to {rng.choice(VERBS)} for %s", {src})',
        f"    {res} = []",
    ]


def _s_dict(rng: random.Random, c: BodyContext) -> list[str]:
    res = c.var(rng)
    keys = rng.sample(
        ["id", "status", "owner", "created_at", "updated_at", "kind", "version", "tenant"], rng.randint(2, 5)
    )
    lines = [f"{res} = {{"]
    for k in keys:
        val = rng.choice(
            [
                c.src(rng),
                f'"{rng.choice(STATUSES)}"',
                "datetime.now(tz=timezone.utc).isoformat()",
                "None",
                str(rng.randint(0, 500)),
            ]
        )
        lines.append(f'    "{k}": {val},')
    return lines + ["}"]


def _s_use_import(rng: random.Random, c: BodyContext) -> list[str]:
    if not c.imported:
        return _s_call(rng, c)
    name = rng.choice(c.imported)
    return [f"{c.var(rng)} = {name}({c.src(rng)})"]


def _s_await(rng: random.Random, c: BodyContext) -> list[str]:
    if not c.is_async:
        return _s_log(rng, c)
    return [f"await asyncio.sleep({rng.choice(['0', '0.05', 'backoff'])})"]


def _s_fstring(rng: random.Random, c: BodyContext) -> list[str]:
    a, b = c.src(rng), c.src(rng)
    return [f'{c.var(rng)} = f"{rng.choice(NOUNS)}:{{{a}}}:{{{b}}}"']


def _s_retry(rng: random.Random, c: BodyContext) -> list[str]:
    return [
        "attempt = 0",
        f"while attempt < {rng.choice(['3', '5', 'retries' if 'retries' in c.args else '3'])}:",
        "    attempt += 1",
        f"    if {c.obj(rng)}.{rng.choice(METHOD_CALLS)}({c.src(rng)}):",
        "        break",
        "    time.sleep(0.1 * attempt)",
    ]


def _s_match(rng: random.Random, c: BodyContext) -> list[str]:
    src = c.src(rng)
    res = c.var(rng)
    s1, s2 = rng.sample(STATUSES, 2)
    return [
        f"match {src}:",
        f'    case "{s1}":',
        f"        {res} = {rng.randint(0, 9)}",
        f'    case "{s2}" | None:',
        f"        {res} = {rng.randint(10, 99)}",
        "    case _:",
        f"        {res} = -1",
    ]


def _s_assert(rng: random.Random, c: BodyContext) -> list[str]:
    if not c.is_test:
        return _s_guard(rng, c)
    return [f"assert {c.src(rng)} {rng.choice(['is not None', '== expected', '!= []', 'in allowed'])}"]


SNIPPETS = (
    _s_log,
    _s_guard,
    _s_loop,
    _s_try,
    _s_comp,
    _s_with,
    _s_comment,
    _s_comment,
    _s_call,
    _s_call,
    _s_if_else,
    _s_dict,
    _s_use_import,
    _s_await,
    _s_fstring,
    _s_retry,
    _s_match,
    _s_assert,
)


# --- 5. Putting it together --------------------------------------------------------------
def assign_styles(ordered: list[Module], graph: Graph, rng: random.Random) -> dict[tuple[str, str], str]:
    """Pick how each import is written: top-level, deferred, try/except or TYPE_CHECKING.

    Imports that point up the layering (the ones closing cycles, the forbidden ones) are
    the ones real code defers, so they are deferred first.
    """
    order = {m.name: m.order for m in ordered}
    is_pkg = {m.name: m.is_package for m in ordered}
    all_edges = [(a, b) for a, targets in graph.edges.items() for b in targets]
    total = len(all_edges)
    styles = {e: "top" for e in all_edges}
    eligible = [e for e in all_edges if not is_pkg[e[0]] and e[0] != f"{ROOT}.main"]
    upward = [e for e in eligible if order[e[1]] > order[e[0]]]
    forced = set(graph.forbidden)
    deferred_goal = round(DEFERRED_SHARE * total)
    chosen = [e for e in upward if e in forced or rng.random() < 0.7]
    chosen_set = set(chosen)
    rest = [e for e in eligible if e not in chosen_set]
    rng.shuffle(rest)
    need = max(0, deferred_goal - len(chosen))
    for e in chosen + rest[:need]:
        styles[e] = "deferred"
    rest = rest[need:]
    n_try = round(TRY_EXCEPT_SHARE * total)
    n_tc = round(TYPE_CHECKING_SHARE * total)
    for e in rest[:n_try]:
        styles[e] = "try"
    for e in rest[n_try : n_try + n_tc]:
        styles[e] = "tc"
    return styles


def inject_indentation_error(source: str, rng: random.Random) -> str | None:
    """Dedent one statement inside a function body to an inconsistent column.

    Python then raises ``IndentationError: unindent does not match any outer indentation
    level``, as in the two broken files of the field project; the rest of the file is intact.
    """
    tree = ast.parse(source)
    lines = source.split("\n")
    candidates = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for stmt in node.body[1:]:
                if (
                    isinstance(stmt, (ast.Assign, ast.Expr, ast.AnnAssign))
                    and stmt.col_offset >= 4
                    and stmt.end_lineno == stmt.lineno
                ):
                    candidates.append(stmt)
    if not candidates:
        return None
    stmt = rng.choice(candidates)
    line = lines[stmt.lineno - 1]
    lines[stmt.lineno - 1] = " " * (stmt.col_offset - 1) + line.lstrip()
    broken = "\n".join(lines)
    try:
        ast.parse(broken)
    except IndentationError:
        return broken
    return None


def _import_statements(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Import statements at any depth, visiting statements only (much faster than ast.walk)."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack = [body]
    while stack:
        for node in stack.pop():
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
                continue
            for attr in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, attr, None)
                if block and isinstance(block, list):
                    stack.append(block)
    return found


def static_edges(
    path_by_module: dict[str, Path], modules: set[str], package_names: set[str], skip: set[str]
) -> tuple[set[tuple[str, str]], int]:
    """Parse every module and resolve its internal imports the way static analysers do."""
    edges: set[tuple[str, str]] = set()
    for name, path in path_by_module.items():
        if name in skip:
            continue
        tree = ast.parse(path.read_text(), str(path))
        current = name if name in package_names else name.rpartition(".")[0]
        for node in _import_statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        edges.add((name, alias.name))
                continue
            if node.level:
                base = current
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    edges.add((name, f"{base}.{alias.name}"))
                elif base in modules:
                    edges.add((name, base))
    return edges, len(path_by_module) - len(skip)


def generate(
    out_dir: Path, modules_n: int, seed: int, syntax_errors: int, src_layout: bool, extra_files: int
) -> dict[str, object]:
    rng = random.Random(seed)
    tree = TreeBuilder(modules_n, rng)
    modules = tree.build()
    ordered = assign_order(modules, rng)
    by_name = {m.name: m for m in ordered}
    graph = build_graph(ordered, rng)
    styles = assign_styles(ordered, graph, rng)
    extra_sizes = assign_sizes(modules, extra_files, rng)
    for m in modules:
        m.plan = plan_module(m, random.Random(f"{seed}:plan:{m.name}"))
    renderer = Renderer(by_name, tree.children)

    package_root = out_dir / "src" if src_layout else out_dir
    path_by_module: dict[str, Path] = {}
    for m in modules:
        rel = Path(*m.name.split("."))
        path_by_module[m.name] = package_root / (rel / "__init__.py" if m.is_package else rel.with_suffix(".py"))

    broken_candidates = [m for m in modules if not m.is_package and m.lines_target >= 80]
    broken = set(m.name for m in rng.sample(broken_candidates, min(syntax_errors, len(broken_candidates))))
    broken_done: set[str] = set()
    total_lines = 0
    for m in modules:
        mrng = random.Random(f"{seed}:render:{m.name}")
        imports = [(renderer.import_of(m, by_name[t], mrng), styles[(m.name, t)]) for t in graph.edges[m.name]]
        if m.name == ROOT:
            assert m.plan is not None
            m.plan.empty = False
        source = renderer.render(m, m.plan, imports, mrng, AREA_BY_NAME.get(m.area))  # type: ignore[arg-type]
        if m.name == ROOT:
            source = source.replace(
                "logger = logging.getLogger(__name__)",
                'logger = logging.getLogger(__name__)\n\n__version__ = "4.12.0"',
                1,
            )
        if m.name in broken:
            damaged = inject_indentation_error(source, mrng)
            if damaged is not None:
                source = damaged
                broken_done.add(m.name)
        path = path_by_module[m.name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        total_lines += source.count("\n")

    # Tests and scripts outside the package: parsed by tools that scan the whole tree.
    leaves = [m for m in modules if not m.is_package]
    extra_paths: list[Path] = []
    for i, size in enumerate(extra_sizes):
        xrng = random.Random(f"{seed}:extra:{i}")
        subject = xrng.choice(leaves)
        if i == 0:
            path = out_dir / "tests" / "conftest.py"
        elif i % 12 == 0:
            path = out_dir / "scripts" / f"{xrng.choice(VERBS)}_{xrng.choice(NOUNS)}s_{i}.py"
        else:
            kind = "unit" if xrng.random() < 0.75 else "integration"
            path = out_dir / "tests" / kind / subject.area / f"test_{subject.last}_{i}.py"
        fake = Module(f"tests.{path.stem}", False, subject.area, "tests", 0, lines_target=size)
        plan = plan_module(fake, xrng, prefix_tests=path.name.startswith("test_"))
        targets = xrng.sample(leaves, xrng.randint(1, 4))
        imports = [(renderer.import_of(None, t, xrng), "top") for t in targets]
        source = renderer.render(
            None, plan, imports, xrng, AREA_BY_NAME.get(subject.area), test_file=True, doc_subject=subject.name
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        extra_paths.append(path)
        total_lines += source.count("\n")

    write_configs(out_dir, graph)

    # Self-check: every file parses (except the deliberately broken ones), the imports as
    # written resolve to exactly the planned graph, and the cycles are as intended.
    for path in extra_paths:
        ast.parse(path.read_text(), str(path))
    for name in broken_done:
        try:
            ast.parse(path_by_module[name].read_text())
        except IndentationError:
            pass
        else:
            raise AssertionError(f"{name} was meant not to parse")
    names = set(by_name)
    packages = {m.name for m in modules if m.is_package}
    found, _ = static_edges(path_by_module, names, packages, broken_done)
    planned = {(a, b) for a, ts in graph.edges.items() if a not in broken_done for b in ts}
    if found != planned:
        missing, unexpected = sorted(planned - found)[:5], sorted(found - planned)[:5]
        raise AssertionError(f"rendered imports differ from the plan: missing {missing}, unexpected {unexpected}")
    succ = {m.name: graph.edges[m.name] for m in ordered}
    sccs = sorted(
        (len(c) for c in strongly_connected_components([m.name for m in ordered], succ) if len(c) > 1), reverse=True
    )
    expected = sorted((len(b) for b in graph.blocks), reverse=True)
    if sccs != expected:
        raise AssertionError(f"SCC sizes {sccs} differ from the intended {expected}")

    stats: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "modules": len(modules),
        "seed": seed,
        "syntax_errors": len(broken_done),
        "src_layout": src_layout,
        "extra_files": extra_files,
        "files": len(modules) + len(extra_paths),
        "lines": total_lines,
        "edges": len(planned),
        "scc_sizes": sccs,
        "forbidden_imports": [list(e) for e in graph.forbidden],
        "broken_files": sorted(str(path_by_module[n].relative_to(out_dir)) for n in broken_done),
    }
    (out_dir / ".generated.json").write_text(json.dumps(stats, indent=2) + "\n")
    return stats


def write_configs(out_dir: Path, graph: Graph) -> None:
    """The import-linter contracts (both broken on purpose) and importcanon's settings."""
    (out_dir / ".importlinter").write_text(
        f"""[importlinter]
root_package = {ROOT}

[importlinter:contract:db-never-imports-api]
name = The database layer never imports the API layer
type = forbidden
source_modules =
    {ROOT}.db
forbidden_modules =
    {ROOT}.api

[importlinter:contract:acyclic-siblings]
name = No dependency cycles between sibling packages
type = acyclic_siblings
ancestors =
    {ROOT}
"""
    )
    (out_dir / "contracts").mkdir(exist_ok=True)
    (out_dir / "contracts" / "importcanon.toml").write_text(
        f'# Generated by benchmarks/generate_monorepo.py\n\n[settings]\nroot_packages = ["{ROOT}"]\n'
        "\n# importcanon does more than lint-imports here: every import cycle is checked too.\n[cycles]\n"
    )


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def prepare_out_dir(out_dir: Path, force: bool) -> None:
    """Create ``out_dir``; a non-empty one is only replaced with ``--force``."""
    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{out_dir} exists and is not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            _fail(f"{out_dir} is not empty; pass --force to replace it")
        resolved = out_dir.resolve()
        here = Path(__file__).resolve()
        if (
            resolved == Path(resolved.anchor)
            or resolved == Path.home()
            or here.is_relative_to(resolved)
            or Path.cwd().resolve().is_relative_to(resolved)
        ):
            _fail(f"refusing to delete {out_dir}")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out_dir", type=Path, help="directory to write the project into")
    parser.add_argument(
        "--modules", type=int, default=3400, help="modules under the root package, __init__ included (default 3400)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--syntax-errors",
        type=int,
        default=0,
        metavar="N",
        help="files that raise IndentationError (default 0; the field project has 2)",
    )
    parser.add_argument("--src-layout", action="store_true", help="put the package under src/")
    parser.add_argument(
        "--extra-files",
        type=int,
        default=None,
        metavar="N",
        help="test/script files outside the package "
        f"(default: modules x {FIELD_FILES - FIELD_MODULES}/{FIELD_MODULES})",
    )
    parser.add_argument("--force", action="store_true", help="replace a non-empty OUT_DIR")
    args = parser.parse_args(argv)
    if args.modules < 60:
        parser.error("--modules must be at least 60")
    extra = args.extra_files
    if extra is None:
        extra = round(args.modules * (FIELD_FILES - FIELD_MODULES) / FIELD_MODULES)
    prepare_out_dir(args.out_dir, args.force)
    stats = generate(args.out_dir, args.modules, args.seed, args.syntax_errors, args.src_layout, extra)
    sccs = ", ".join(str(s) for s in stats["scc_sizes"])  # type: ignore[attr-defined]
    print(
        f"{args.out_dir}: {stats['files']} files, {stats['lines']:,} lines, {stats['modules']} modules "
        f"under {ROOT} ({stats['edges']:,} internal import edges; cycles of {sccs}; "
        f"{stats['syntax_errors']} files with syntax errors)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Sums the time threads spent in each start-up phase, from a dotnet-trace speedscope file (bench/startup-profile.sh).

A phase is counted on every thread where one of its frames is on the stack (outermost frame only): start-up code
begins on the main thread and continues on thread-pool threads after each await. Time a thread spends blocked inside
a phase (waiting on the database, say) counts; a thread waiting for another thread's work does not, since that wait
is not inside the phase's frame. "Host start" includes the hosted services' StartAsync.
"""
import json
import re
import sys

PHASES = [
    # A method's own frame, or its async state machine's (Type+<Method>d__N.MoveNext) where it goes on after an await.
    (r"WebApplication\.CreateBuilder", "create the builder (configuration, logging)"),
    (r"WebApplicationBuilder\.Build", "build the service provider"),
    (r"DataSetup[.+]<?PrepareDataAsync", "prepare data (total)"),
    (r"[.+]<?GetPendingMigrationsAsync", "  EF Core: which migrations are pending"),
    (r"[.+]<?MigrateAsync", "  EF Core: migrate (only when one is pending)"),
    (r"DbContextServices\.CreateModel", "  EF Core: build the model (wherever it is first needed)"),
    (r"KeyRingStartup[.+]<?VerifyKeysAsync", "  check or create the data key"),
    (r"SiteSetup\.UseSite", "middleware and endpoints"),
    (r"ContentSeeder[.+]<?StartAsync", "  content: seed it (first start only), then build the copy"),
    (r"PublishedContent[.+]<?RefreshAsync", "    of which: build the published copy"),
    (r"Host[.+]<?StartAsync", "host start: hosted services, Kestrel (total)"),
    (r"ContentRenderer\.WarmUp", "the content renderer's warm-up (a thread-pool thread, beside the phases above)"),
]


def main(path):
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    totals = {label: 0.0 for _, label in PHASES}
    for thread in data["profiles"]:
        stack = []
        for event in thread["events"]:
            if event["type"] == "O":
                stack.append((event["frame"], event["at"]))
                continue
            frame, opened = stack.pop()
            name = frames[frame]
            for pattern, label in PHASES:
                # Count a phase only at its outermost frame, so recursion and async re-entry are not added twice.
                if re.search(pattern, name) and not any(re.search(pattern, frames[f]) for f, _ in stack):
                    totals[label] += event["at"] - opened
    for _, label in PHASES:
        print(f"  {totals[label]:7.0f} ms  {label}")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Fires N concurrent valid inquiry submissions at a running app, then counts what was stored.

Each client loads the form with its own cookie jar (antiforgery cookie + token + signed fill time),
all clients wait at a barrier, then post at once. Standard library only.
"""
import argparse
import http.cookiejar
import re
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


ANSWERS = {
    "Email": None,  # filled per client
    "FullName": None,
    "PreferredContact": "Email", "VoicemailOk": "No", "Adult": "Yes", "InNewYork": "Yes",
    "SessionPreference": "Either", "Concerns": "Depression", "TreatmentsTried": "TalkTherapy",
    "SelfHarmThoughts": "No", "PsychoticDisorder": "No", "Bipolar": "No", "PregnantOrBreastfeeding": "No",
    "BloodPressure": "No", "AneurysmOrStroke": "No", "OtherHeartDisease": "No", "EyeOrSkullPressure": "No",
    "BreathingProblems": "No", "LiverBladderOrThyroid": "No", "SubstanceUse": "NoConcern",
    "KetamineHistory": "Never", "Medications": "NoneOfThese", "Prescriber": "PsychiatricPrescriber",
    "WillingMedicalEvaluation": "Yes", "ConsentNotForEmergencies": "true", "ConsentPrivacyNotice": "true",
    "ConsentNoTherapyRelationship": "true", "ConsentMedicalEvaluation": "true", "ConsentContact": "true",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()

    prepared = [None] * args.clients
    statuses = [None] * args.clients
    barrier = threading.Barrier(args.clients)

    def client(i):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        try:
            with opener.open(args.base + "/inquiry", timeout=120) as response:
                page = response.read().decode("utf-8")
            token = re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', page).group(1)
            fill = re.search(r'name="FillToken" value="([^"]+)"', page).group(1)
            fields = dict(ANSWERS, FullName=f"Bench Client {i}", Email=f"bench{i}@example.com",
                          __RequestVerificationToken=token, FillToken=fill)
            body = urllib.parse.urlencode(fields).encode("ascii")
            prepared[i] = True
        except Exception as error:  # noqa: BLE001 - report, do not crash the run
            statuses[i] = f"prepare failed: {error}"
            barrier.abort()
            return
        try:
            barrier.wait(timeout=300)
        except threading.BrokenBarrierError:
            statuses[i] = statuses[i] or "barrier broken"
            return
        request = urllib.request.Request(args.base + "/inquiry", data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with opener.open(request, timeout=300) as response:
                statuses[i] = response.status
        except urllib.error.HTTPError as error:
            statuses[i] = error.code
        except Exception as error:  # noqa: BLE001
            statuses[i] = f"error: {error}"

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    bad = [s for s in statuses if not (isinstance(s, int) and 200 <= s < 400)]
    with sqlite3.connect(args.db) as db:
        stored = db.execute("SELECT COUNT(*) FROM Inquiries WHERE FullName LIKE 'Bench Client %'").fetchone()[0]
        spam = db.execute("SELECT COUNT(*) FROM Inquiries WHERE IsSuspectedSpam = 1").fetchone()[0]
        outbox = db.execute("SELECT COUNT(*) FROM OutboxMessages").fetchone()[0]
    print(f"clients: {args.clients}")
    print(f"stored: {stored}")
    print(f"non-2xx/3xx: {len(bad)}")
    if bad:
        print("  e.g. " + ", ".join(sorted({str(s) for s in bad})[:5]))
    print(f"suspected spam: {spam}")
    print(f"outbox rows: {outbox}")
    print(f"elapsed (prepare + submit): {elapsed:.1f} s")
    return 0 if stored == args.clients and not bad else 1


if __name__ == "__main__":
    sys.exit(main())

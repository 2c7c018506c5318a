"""Reads a schemathesis run's output and decides it: only the known exceptions may fail.

Every test case in the FAILURES section is read as (operation, checks, body).
A case passes only when its one check is ST202 (a schema-valid request
rejected) and its 400 body carries exactly one validation detail that
scripts/schemathesis-known-exceptions.json lists for that operation.
Anything else (a server error, a crash, a response that breaks the schema,
an unlisted refusal) fails, and so does a run that ended without a summary.
"""
import json
import re
import sys


def cases(text):
    section = text.split("= FAILURES =", 1)
    if len(section) < 2:
        return
    operation = None
    case = None
    for line in section[1].splitlines():
        header = re.match(r"^_{3,} (.+?) _{3,}$", line)
        if header:
            if case:
                yield case
            operation, case = header.group(1), None
            continue
        if re.match(r"^=+ SUMMARY =+$", line):
            break
        if re.match(r"^\d+\. Test Case ID:", line):
            if case:
                yield case
            case = {"operation": operation, "checks": [], "bodies": [], "id": line.split(":", 1)[1].strip()}
            continue
        if case is None:
            continue
        check = re.match(r"^- (ST\d+|[A-Z]+\d+|[A-Za-z].*?)( .*)?$", line)
        if check and line.startswith("- "):
            case["checks"].append(line[2:].strip())
        body = re.match(r"^\s+`(.*)`\s*$", line)
        if body:
            case["bodies"].append(body.group(1))
        curl = re.match(r"^\s+curl -X (\S+) .*['\s]https?://[^/' ]+([^?' ]*)", line)
        if curl:
            case["request"] = (curl.group(1), curl.group(2))
    if case:
        yield case


def matches(exception, case):
    """The case's operation is the exception's; a stateful case names only its request, matched against the path template."""
    if case["operation"] == exception["operation"]:
        return True
    if "request" not in case:
        return False
    method, template = exception["operation"].split(" ", 1)
    pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
    return case["request"][0] == method and re.match(pattern, case["request"][1]) is not None


def known(case, exceptions):
    if len(case["checks"]) != 1 or not case["checks"][0].startswith("ST202"):
        return False
    for body in case["bodies"]:
        try:
            details = json.loads(body)["error"]["details"]
        except (ValueError, KeyError, TypeError):
            continue
        if not isinstance(details, dict) or len(details) != 1:
            return False
        (field, message), = details.items()
        return any(matches(e, case) and e["field"] == field and e["message"] == message for e in exceptions)
    return False


def main():
    output, exceptions_file = sys.argv[1], sys.argv[2]
    text = open(output, encoding="utf-8").read()
    exceptions = json.load(open(exceptions_file, encoding="utf-8"))["exceptions"]
    if "= SUMMARY =" not in text:
        print("schemathesis: the run ended without a summary (crashed or was stopped); see " + output, file=sys.stderr)
        return 1
    bad = [c for c in cases(text) if not known(c, exceptions)]
    allowed = [c for c in cases(text) if known(c, exceptions)]
    for c in bad:
        print(f"schemathesis: {c['operation']}: {'; '.join(c['checks']) or 'failure'} (test case {c['id']}): {' '.join(c['bodies'])[:300]}", file=sys.stderr)
    # A 5xx or a connection the server dropped is never a known exception, even where the parser above missed its block.
    if not bad and (re.search(r"\bST10[12]\b", text) or "= ERRORS =" in text):
        print("schemathesis: a server error or a network error was reported; see " + output, file=sys.stderr)
        return 1
    print(f"schemathesis: {len(bad)} unexpected failure(s), {len(allowed)} known exception(s) (scripts/schemathesis-known-exceptions.json)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

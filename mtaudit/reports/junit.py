"""JUnit XML output: one testsuite per delivery, one testcase per article.

CI systems (GitLab, Jenkins, Azure DevOps, GitHub test reporters) show JUnit files as test
results, so each article is a test that passes or fails the gate: a failing article's
testcase has one ``<failure>`` whose ``message`` names the failed rules and whose text lists
the findings that count (worst first: severity, check, offsets, text, message, suggestion);
an article whose audit is incomplete (a check crashed) has an ``<error>``. Findings below the
gate and suppressed findings are listed in ``<system-out>``. Input files that could not be
read are testcases with an ``<error>`` too. Written with the standard library's
ElementTree in the schema Jenkins and junitparser read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..gate.policy import article_quality
from ..gate.verdict import GatePolicy, article_rules, counted, evaluate, over_limits
from ..types import Finding


def _line(f: Finding) -> str:
    return (f"[{f.severity.value}] {f.check} {f.segment_id} {f.start}-{f.end} “{f.text}”: {f.message}"
            + (f" → {f.suggestion}" if f.suggestion else ""))


def to_junit(result, policy: GatePolicy) -> str:
    over = over_limits(result, policy)
    verdict = evaluate(result, policy)
    suite = ET.Element("testsuite", name="mtaudit")
    failures = errors = 0
    for art in result.articles:
        case = ET.SubElement(suite, "testcase", name=art.article.id, classname=art.article.origin or "mtaudit", time="0")
        rules = article_rules(art, policy, over)
        gating = sorted(counted(art), key=lambda f: (-f.severity.rank, f.start))
        if art.crashes:
            errors += 1
            err = ET.SubElement(case, "error", message="the audit is incomplete: a check crashed", type="incomplete")
            err.text = "\n".join(f"{c.check} on {c.segment_id or 'article'}: {c.error}" for c in art.crashes)
        elif rules:
            failures += 1
            fail = ET.SubElement(case, "failure", message=f"{', '.join(rules)} (quality {article_quality(art, policy):.1f})", type="gate")
            at_gate = [f for f in gating if policy.fail_on is not None and f.severity.at_least(policy.fail_on)] or gating
            fail.text = "\n".join(_line(f) for f in at_gate)
        rest = [f for f in gating if not (rules and policy.fail_on is not None and f.severity.at_least(policy.fail_on))]
        out = [f"quality {article_quality(art, policy):.1f}/100"]
        out += [_line(f) for f in rest]
        out += [f"[suppressed: {s.reason}{', ' + s.author if s.author else ''}] {_line(s.finding)}" for s in art.suppressed]
        ET.SubElement(case, "system-out").text = "\n".join(out)
    for problem in result.skipped:
        if not problem.skipped:
            continue
        errors += 1
        case = ET.SubElement(suite, "testcase", name=problem.origin, classname="mtaudit.input", time="0")
        ET.SubElement(case, "error", message=problem.message, type="input")
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    ET.SubElement(suite, "properties")
    props = suite.find("properties")
    assert props is not None
    for name, value in (("verdict", verdict.line()), ("exit_code", str(verdict.exit_code))):
        ET.SubElement(props, "property", name=name, value=value)
    suite.remove(props)
    suite.insert(0, props)
    root = ET.Element("testsuites", name="mtaudit", tests=suite.get("tests", "0"), failures=str(failures), errors=str(errors))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

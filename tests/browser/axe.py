"""axe-core in the page under test, and its findings in words a failing assertion can show.

The source (fetched by `make test` into .cache, see deploy/local/stack.py) is evaluated
through the DevTools protocol, which the pages' Content-Security-Policy does not govern: a
<script> tag would be refused by `script-src 'self'`, and bypassing the CSP for the whole
context would also let through inline styles the real page never gets, skewing the contrast
checks."""

BLOCKING = ("serious", "critical")

RUN = """async () => {
    const results = await axe.run(document, {
        runOnly: {type: "tag",
                  values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        resultTypes: ["violations"],
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""


def violations(page, source):
    """Every axe violation on the page as it is now: [{id, impact, help, nodes}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    return page.evaluate(RUN)


def accessible(tab, source, what):
    """No serious or critical axe violation on the page as it is, and no sideways scroll once
    laid out on a 360-pixel phone (the viewport back to 1280 after)."""
    blocking = [v for v in violations(tab.page, source) if v["impact"] in BLOCKING]
    assert not blocking, f"{what}:\n{describe(blocking)}"
    tab.page.set_viewport_size({"width": 360, "height": 800})
    try:
        wide = tab.page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        tab.page.set_viewport_size({"width": 1280, "height": 800})
    assert wide <= 360, f"{what} scrolls sideways on a phone: {wide} px wide"


def count_by_impact(found):
    counts = {}
    for violation in found:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
    return counts


def describe(found):
    lines = []
    for violation in found:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']}")
        lines.extend(f"    {node['target']} — {node['summary']}" for node in violation["nodes"])
    return "\n".join(lines)

"""axe-core in the browser tests: ``assert_accessible(page, "name")`` after each page a journey visits.

axe-playwright-python bundles axe.min.js, so nothing is fetched at run time. The rules run are
those tagged WCAG 2.0, 2.1 and 2.2, levels A and AA (the standard the issue asks for); a test fails
on any violation axe rates "serious" or "critical". Minor and moderate ones are left to review.

``allow`` names axe rule ids to let through on that page, for violations in Wagtail core's own
markup that we cannot fix from our templates. Say why at each call, for example::

    # Wagtail 8.0's page explorer button has no accessible name (wagtail core, not ours).
    assert_accessible(page, "dashboard", allow=("button-name",))
"""

from __future__ import annotations

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")
FAILING_IMPACTS = ("serious", "critical")


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# Colours are only true once transitions end: Wagtail fades its messages in over half a second, and
# axe measuring mid-fade reports white on a paler red than the page ever settles on.
# An animation that never runs on (paused, or waiting on a scroll timeline) never finishes, so the
# wait is bounded: after SETTLE_LIMIT_MS axe runs on whatever the page shows.
SETTLE_LIMIT_MS = 1500
SETTLE_SCRIPT = """(limit) => Promise.race([
    Promise.all(
        document.getAnimations()
            .filter((animation) => animation.playState === "running" && animation.effect)
            .filter((animation) => animation.effect.getComputedTiming().endTime !== Infinity)
            .map((animation) => animation.finished.catch(() => null))
    ),
    new Promise((resolve) => setTimeout(resolve, limit)),
])"""


def settle(page) -> None:
    """Wait for the page to load and its finite CSS transitions and animations to end."""
    page.wait_for_load_state("load")
    page.evaluate(SETTLE_SCRIPT, SETTLE_LIMIT_MS)


def axe_violations(page, *, allow: tuple[str, ...] = ()) -> list[dict]:
    """The serious and critical WCAG A/AA violations axe finds on ``page``, less the allowed rules."""
    settle(page)
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
        "resultTypes": ["violations"],
    }
    results = _axe().run(page, options=options)
    return [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in FAILING_IMPACTS and violation["id"] not in allow
    ]


def describe_violations(violations: list[dict]) -> str:
    """One paragraph per rule: id, impact, what it asks, help URL, and the elements that break it."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, name: str, *, allow: tuple[str, ...] = ()) -> None:
    """Fail with a readable list when ``page`` has serious or critical WCAG 2.x A/AA violations.

    ``name`` says which page it is in the failure message (and should match the screenshot name).
    ``allow`` takes axe rule ids to ignore on this page; only for Wagtail core's own markup, with
    a comment at the call saying which element and why it is not ours to fix.
    """
    violations = axe_violations(page, allow=allow)
    if violations:
        raise AssertionError(
            f"axe-core found {len(violations)} serious or critical accessibility "
            f"violation(s) on {name} ({page.url}):\n{describe_violations(violations)}"
        )

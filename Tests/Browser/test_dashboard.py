"""The dashboard in a real browser (Debian chromium + chromedriver via Selenium) against a real `switchboard serve`
with moto_server and two sample regions on loopback. Screenshots of every view, light and dark, desktop and phone,
go to Tests/Browser/screenshots/ (git-ignored). Timings are printed, not asserted."""

import time

import pytest
from selenium.webdriver.support.ui import Select

from chrome import DESKTOP, PHONE, start_chromium
from peers import SERVICE, TIMINGS, Peers


@pytest.fixture(scope="module")
def peers():
    started = Peers()
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def no_override_left(peers):
    """Each scenario starts without overrides, even after one that failed half-way."""
    yield
    for override in peers.api("GET", "/api/v1/overrides")["overrides"]:
        peers.api("DELETE", f"/api/v1/overrides/{override['id']}")


@pytest.fixture(scope="module")
def browser(peers):
    started = start_chromium(peers.base)
    yield started
    started.driver.quit()


def cell(browser, region):
    return browser.text(f'#service-grid tr[data-service="{SERVICE}"] td[data-region="{region}"]')


def test_signed_out_with_public_status_the_overview_shows_the_grid(browser):
    browser.driver.get(browser.base + "/")
    browser.driver.execute_script("sessionStorage.clear()")
    browser.open("#/")
    browser.wait_text("#service-grid", SERVICE)
    assert "Healthy" in cell(browser, "us-east-1") and "traffic" in cell(browser, "us-east-1")
    assert "PRIMARY" in cell(browser, "us-east-1").upper()
    assert browser.find("#public-note").is_displayed()
    assert browser.console_problems() == []


def test_a_wrong_token_gets_a_clear_message(browser):
    browser.open("#/")
    browser.sign_in("not-a-real-token")
    browser.wait_text("#sign-in-message", "That token was not accepted")
    assert browser.driver.execute_script("return sessionStorage.getItem('switchboard.token')") is None
    browser.console_problems()  # the refused request itself is logged by Chrome as a 401


def test_sign_in_shows_the_grid_with_health_traffic_and_primary(browser, peers):
    browser.open("#/")
    start = time.monotonic()
    browser.sign_in(peers.tokens["operator"]["secret"])
    browser.wait_text(".session", "browser-operator · operator")
    browser.wait(lambda d: browser.finds(f'#service-grid a[href="#/service/{SERVICE}"]'), "the service link")
    TIMINGS["sign-in to grid (s, wall clock incl. WebDriver)"] = round(time.monotonic() - start, 3)
    assert "Healthy" in cell(browser, "us-east-1") and "▶ traffic" in cell(browser, "us-east-1")
    assert "no traffic" in cell(browser, "us-west-2")
    browser.wait(lambda d: "Live" in browser.text("#stream-state"), "the live stream")
    assert browser.console_problems() == []


def test_page_is_usable_quickly_and_a_large_grid_updates_fast(browser):
    samples = []
    browser.open("#/")
    for _ in range(5):
        browser.driver.refresh()
        browser.wait(lambda d: d.execute_script("return document.body.dataset.usable === 'true'"), "usable")
        samples.append(browser.driver.execute_script(
            "const m = performance.getEntriesByName('switchboard-usable')[0]; return m && m.startTime"))
    samples.sort()
    TIMINGS["page usable after navigation start (ms, signed in, loopback, median / min / max of 5)"] = (
        f"{samples[2]:.1f} / {samples[0]:.1f} / {samples[-1]:.1f}")
    result = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/overview.js').then((m) => {
          const runs = [];
          for (let i = 0; i < 5; i++) runs.push(m.benchmark(document.getElementById('main'), 200, 5));
          done(runs);
        }).catch((e) => done(String(e)));""")
    assert isinstance(result, list), result
    updates = sorted(r["update"] for r in result)
    with_layout = sorted(r["updateWithLayout"] for r in result)
    TIMINGS["200×5 grid: first render (ms, median of 5)"] = round(sorted(r["firstRender"] for r in result)[2], 2)
    TIMINGS["200×5 grid: update from a change event, script (ms, median / max of 5)"] = (
        f"{updates[2]:.2f} / {updates[-1]:.2f}")
    TIMINGS["200×5 grid: update incl. layout (ms, median of 5)"] = round(with_layout[2], 2)
    assert browser.console_problems() == []


def test_an_override_with_a_reason_goes_through_the_confirmation_shows_a_banner_and_clears(browser, peers):
    browser.open(f"#/service/{SERVICE}")
    browser.wait(lambda d: browser.finds("#override-form select"), "the override form")
    browser.wait_text(".service-view", "Why it is where it is")
    Select(browser.find("#override-form select[name=kind]")).select_by_value("freeze")
    Select(browser.find("#override-expiry")).select_by_value("7200")
    browser.find("#override-form button[type=submit]").click()
    # No reason: the form refuses and no dialog opens.
    assert not browser.find("#dialog").get_attribute("open")
    browser.find("#override-form input[name=reason]").send_keys("database migration in us-east-1")
    browser.find("#override-form button[type=submit]").click()
    browser.wait(lambda d: browser.find("#dialog").get_attribute("open") is not None, "the confirmation")
    effect = browser.text("#dialog-effect")
    assert f"Automation will not move traffic for {SERVICE} for 2 hours" in effect, effect
    browser.screenshot("confirmation-desktop-light")
    assert browser.axe_serious() == []
    browser.find("#dialog-confirm").click()
    browser.wait(lambda d: browser.finds(".banner-override"), "the override banner")
    banner = browser.text(".banner-override")
    assert "FREEZE" in banner and "browser-operator" in banner and "database migration" in banner, banner
    assert "Until" in banner
    hover = browser.driver.execute_script("return document.querySelector('.banner-override time').title")
    assert hover.endswith("Z (UTC)"), hover
    browser.screenshot("override-banner-service-desktop-light")
    browser.route("#/")
    browser.wait(lambda d: browser.finds("#service-grid a"), "the overview")
    browser.screenshot("override-banner-overview-desktop-light")
    browser.wait(lambda d: browser.finds(".banner-override button"), "the banner's clear button")
    browser.find(".banner-override button").click()
    browser.wait(lambda d: browser.find("#dialog").get_attribute("open") is not None, "the clear confirmation")
    assert "ends now" in browser.text("#dialog-effect")
    browser.find("#dialog-confirm").click()
    browser.wait(lambda d: not browser.finds(".banner-override"), "the banner to go")
    assert peers.api("GET", "/api/v1/overrides")["overrides"] == []
    assert browser.console_problems() == []


def test_an_api_refusal_is_shown_as_its_detail(browser, peers):
    browser.open(f"#/service/{SERVICE}")
    browser.wait(lambda d: browser.finds("#override-form select"), "the override form")
    Select(browser.find("#override-form select[name=kind]")).select_by_value("force")
    Select(browser.find("#override-form select[name=region]")).select_by_value("us-west-2")
    Select(browser.find("#override-expiry")).select_by_value("259200")
    browser.find("#override-form input[name=reason]").send_keys("check refusal")
    # The policy's maximum is 72 h: ask for more by editing the option, as a client with a stale page might.
    browser.driver.execute_script("document.querySelector('#override-expiry option[value=\"259200\"]').value = '300000'")
    browser.find("#override-form button[type=submit]").click()
    browser.wait(lambda d: browser.find("#dialog").get_attribute("open") is not None, "the confirmation")
    browser.find("#dialog-confirm").click()
    browser.wait(lambda d: browser.text("#dialog-error").strip() != "", "the problem detail")
    assert "duration_seconds" in browser.text("#dialog-error") or "259200" in browser.text("#dialog-error")
    browser.find("#dialog-cancel").click()
    browser.console_problems()  # the refused POST is logged by Chrome as a 400


def seqs(browser):
    return browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('#live-events li')).map((e) => Number(e.dataset.seq))")


def kinds(browser, css):
    return set(browser.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.dataset.kind)", css))


def test_events_arrive_live_and_resume_without_gap_after_a_restart(browser, peers):
    browser.open("#/events")
    browser.wait(lambda d: "Live" in browser.text("#stream-state"), "the live stream")
    before = set(seqs(browser))
    created = peers.api("POST", "/api/v1/overrides", body={
        "scope": f"service:{SERVICE}", "kind": "block", "reason": "live event check", "duration_seconds": 600})
    browser.wait(lambda d: len(set(seqs(browser)) - before) >= 1, "the event on the timeline without reload")
    assert "override.created" in browser.text("#live-events")
    browser.wait(lambda d: browser.finds(".banner-override"), "the banner from the event")

    peers.restart_serve()
    peers.api("DELETE", f"/api/v1/overrides/{created['id']}")
    newest = peers.api("GET", "/api/v1/events?limit=1")["events"][0]
    browser.wait(lambda d: newest["seq"] in seqs(browser), "the timeline to resume after the restart", 30)
    # While serve was down, Chrome logged the refused connections (stream and refresh): expected, and drained here.
    browser.console_problems()
    shown = seqs(browser)
    assert len(shown) == len(set(shown)), f"duplicates: {shown}"
    assert sorted(shown) == list(range(min(shown), max(shown) + 1)), f"gap: {sorted(shown)}"
    Select(browser.find("#filter-kind")).select_by_value("override.created")
    assert kinds(browser, "#live-events li") == {"override.created"}
    browser.wait(lambda d: browser.finds("#audit-log li"), "the audit log page")
    assert kinds(browser, "#audit-log li") == {"override.created"}
    assert browser.console_problems() == []


def test_the_keyboard_reaches_a_service_with_a_visible_focus(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.open("#/")
    browser.wait(lambda d: browser.finds(f'#service-grid a[href="#/service/{SERVICE}"]'), "the service link")
    browser.find("body").click()
    for _ in range(30):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        focused = browser.driver.switch_to.active_element
        if focused.get_attribute("href") and focused.get_attribute("href").endswith(f"#/service/{SERVICE}"):
            break
    else:
        pytest.fail("Tab never reached the service link")
    outline = browser.driver.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]")
    assert outline[0] != "none" and outline[1] != "0px", outline
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: browser.finds("#service-title"), "the service view")
    assert browser.console_problems() == []


def test_a_viewer_sees_the_controls_disabled_with_the_reason(browser, peers):
    browser.open("#/")
    browser.sign_in(peers.tokens["viewer"]["secret"])
    browser.wait_text(".session", "viewer")
    browser.route(f"#/service/{SERVICE}")
    browser.wait(lambda d: browser.finds("#failover-button"), "the move form")
    assert not browser.find("#failover-button").is_enabled()
    assert not browser.find("#override-form button[type=submit]").is_enabled()
    assert "your token is a viewer token" in browser.text("#move-disabled-reason")
    assert "your token is a viewer token" in browser.text("#override-disabled-reason")
    assert browser.console_problems() == []
    browser.sign_in(peers.tokens["operator"]["secret"])
    browser.wait_text(".session", "operator")


def test_while_a_workflow_runs_the_move_buttons_are_disabled_and_say_why(browser):
    browser.open("#/")
    result = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/js/actions.js').then((m) => {
          const service = { id: 'api.example.com', primary: 'us-east-1', active: 'us-east-1', overrides: [],
            regions: [{ region: 'us-east-1', traffic: true }, { region: 'us-west-2', traffic: false }],
            workflow: { id: 'w1', step: 'changeDNS (started)' } };
          const form = m.moveForm(service, { role: 'operator' }, () => {});
          document.body.append(form);
          const answer = { failover: form.querySelector('#failover-button').disabled,
            failback: form.querySelector('#failback-button').disabled,
            reason: form.querySelector('#move-disabled-reason').textContent };
          form.remove();
          done(answer);
        }).catch((e) => done(String(e)));""")
    assert result["failover"] and result["failback"], result
    assert "moves are disabled until it finishes" in result["reason"] and "changeDNS" in result["reason"], result


def test_a_failing_primary_shows_the_failure_the_workflow_steps_and_the_active_region_moving(browser, peers):
    browser.open(f"#/service/{SERVICE}")
    browser.wait_text("#active-region", "us-east-1")
    peers.sample("us-east-1", "simulate-failure")
    try:
        browser.wait(lambda d: "Unhealthy" in browser.text(".region-card"), "the failure on the page", 20)
        browser.wait_text("#active-region", "us-west-2", 40)
        browser.wait(lambda d: browser.finds(".workflow-succeeded .timeline li"), "the workflow's steps", 30)
        steps = browser.text(".workflow-succeeded .timeline")
        assert "automatic" in browser.text(".workflow-succeeded h3")
        assert len(browser.finds(".workflow-succeeded .timeline li")) >= 3, steps
        browser.screenshot("failover-service-desktop-light")
        # The chart draws the health history (GET .../observations) with the failure in its status strip.
        # The history is written in batches (at most a second late) and the view reloads every few seconds.
        browser.wait(lambda d: browser.finds(".region-card svg.chart polyline"), "the latency line", 10)
        browser.wait(lambda d: browser.finds(".region-card svg.chart rect.status-unhealthy"), "the failure in the strip", 10)
        assert "Changed" in browser.text(".region-card .signals")
        browser.route("#/")
        browser.wait(lambda d: "▶ traffic" in cell(browser, "us-west-2"), "the grid's active region moving")
        assert "Unhealthy" in cell(browser, "us-east-1")
        assert "workflow.succeeded" in browser.text("#recent-activity")
        browser.screenshot("failover-overview-desktop-light")
    finally:
        peers.sample("us-east-1", "recover")
    assert browser.console_problems() == []


def test_a_drill_is_previewed_confirmed_with_a_reason_reported_and_cancelled(browser, peers):
    browser.open("#/drills")
    if not browser.finds("#sign-out"):
        browser.sign_in(peers.tokens["operator"]["secret"])
    browser.wait(lambda d: browser.finds("#drill-form select"), "the drill form")
    browser.find("#drill-form input[name=cron]").send_keys("0 10 * * TUE")
    zone = browser.find("#drill-form input[name=zone]")
    zone.clear()
    zone.send_keys("Europe/Berlin")
    browser.find("#drill-form button[type=submit]").click()
    # No reason: the form refuses and no dialog opens.
    assert not browser.find("#dialog").get_attribute("open")
    browser.find("#drill-form input[name=reason]").send_keys("quarterly practice")
    browser.find("#drill-form button[type=submit]").click()
    browser.wait(lambda d: browser.find("#dialog").get_attribute("open") is not None, "the confirmation")
    assert "a dry run records the plan" in browser.text("#dialog-effect")
    assert len(browser.finds("#drill-preview li")) == 5
    assert "Europe/Berlin" in browser.text("#drill-preview")
    browser.screenshot("drill-confirmation-desktop-light")
    assert browser.axe_serious() == []
    browser.find("#dialog-confirm").click()
    browser.wait(lambda d: browser.finds("article.drill[data-state=scheduled]"), "the scheduled drill")
    drill = [d for d in peers.api("GET", "/api/v1/drills")["drills"] if d["reason"] == "quarterly practice"][0]
    assert drill["created_by"] == "browser-operator" and drill["schedule"]["time_zone"] == "Europe/Berlin"
    article = f"article.drill[data-drill='{drill['id']}']"
    assert len(browser.finds(f"{article} .occurrences li")) == 5
    # A dry run that runs within seconds shows its report with its timeline.
    start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    dry = peers.api("POST", "/api/v1/drills", body={
        "subject": f"service:{SERVICE}", "target_region": "us-west-2", "mode": "dry-run", "start_at": start,
        "reason": "rehearsal"})
    browser.wait(lambda d: peers.api("GET", f"/api/v1/drills/{dry['id']}/runs")["runs"], "the dry run", seconds=30)
    browser.open("#/drills")
    browser.wait(lambda d: browser.finds(f"article.drill[data-drill='{dry['id']}'] .drill-run"), "the report")
    browser.find(f"article.drill[data-drill='{dry['id']}'] .drill-run summary").click()
    report = browser.text(f"article.drill[data-drill='{dry['id']}'] .drill-run")
    assert "Would move" in report and "checks" in report, report
    browser.screenshot("drill-report-desktop-light")
    # Cancel, with a reason and a confirmation.
    browser.find(f"{article} input[name=reason]").send_keys("not this quarter")
    [b for b in browser.finds(f"{article} button") if b.text == "Cancel…"][0].click()
    browser.wait(lambda d: browser.find("#dialog").get_attribute("open") is not None, "the cancel confirmation")
    assert "No further run" in browser.text("#dialog-effect")
    browser.find("#dialog-confirm").click()
    browser.wait(lambda d: browser.finds(f"article.drill[data-drill='{drill['id']}'][data-state=cancelled]"), "cancelled")
    events = peers.api("GET", "/api/v1/events?kind=drill.cancelled")["events"]
    assert events[0]["actor"] == "browser-operator" and "not this quarter" in events[0]["message"]
    assert browser.console_problems() == []


def test_the_header_names_the_node_as_leader_and_the_cluster_view_shows_one_sqlite_node(browser, peers):
    browser.open("#/")
    if not browser.finds("#sign-out"):
        browser.sign_in(peers.tokens["viewer"]["secret"])
    node = f"127.0.0.1:{peers.port}"  # a node's id defaults to its listen address
    browser.wait_text("#node-status", node)
    header = browser.text("#node-status")
    assert "Leader" in header, header
    assert "single node on SQLite" in browser.driver.execute_script(
        "return document.getElementById('node-status').textContent")  # said to screen readers, not shown
    assert browser.find("#node-status").get_attribute("role") == "status"
    browser.find("#nav-cluster").click()
    browser.wait(lambda d: browser.finds("#member-table tbody tr"), "the member table")
    assert browser.find("#nav-cluster").get_attribute("aria-current") == "page"
    assert "A single node on SQLite" in browser.text("#cluster-single")
    assert browser.text("#cluster-node-id") == node and browser.text("#cluster-leader-id") == node
    rows = browser.finds("#member-table tbody tr")
    assert len(rows) == 1
    row = browser.text("#member-table tbody tr")
    assert node in row and "Leader" in row and "no lease (SQLite)" in row and "THIS NODE" in row.upper(), row
    assert browser.finds("#member-table tbody th[scope=row]") and len(browser.finds("#member-table thead th[scope=col]")) == 5
    assert not browser.finds("#degraded-banner")
    assert browser.console_problems() == []


VIEWS = [
    ("overview", "#/", "#service-grid"),
    ("service", f"#/service/{SERVICE}", ".workflow"),
    ("events", "#/events", "#audit-log li"),
    ("drills", "#/drills", "#drill-form"),
    ("cluster", "#/cluster", "#member-table"),
]


def test_every_view_light_and_dark_desktop_and_phone_has_no_console_errors_and_no_serious_axe_violations(browser):
    problems = []
    for dark in (False, True):
        browser.scheme(dark)
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            browser.size(size)
            for name, route, ready in VIEWS:
                browser.open(route)
                browser.wait(lambda d: browser.finds(ready), f"{name} to render")
                time.sleep(0.3)
                browser.screenshot(f"{name}-{size_name}-{'dark' if dark else 'light'}")
                browser.screenshot(f"{name}-{size_name}-{'dark' if dark else 'light'}-full", full_page=True)
                if size_name == "desktop":
                    problems += [f"{name} {'dark' if dark else 'light'}: {v}" for v in browser.axe_serious()]
                problems += [f"{name}: console: {m}" for m in browser.console_problems()]
    # Signed out (public status), both schemes.
    browser.find("#sign-out").click()
    for dark in (False, True):
        browser.scheme(dark)
        browser.size(DESKTOP)
        browser.open("#/")
        browser.wait(lambda d: browser.finds("#service-grid"), "public overview")
        browser.screenshot(f"signed-out-desktop-{'dark' if dark else 'light'}")
        problems += [f"signed out: {v}" for v in browser.axe_serious()]
        problems += [f"signed out: console: {m}" for m in browser.console_problems()]
    browser.scheme(False)
    assert problems == [], "\n".join(problems)


def test_a_waiting_approval_is_shown_with_its_runbook_step_and_approved_with_a_reason(browser, peers):
    from peers import OTHER_SERVICE
    accepted = peers.api("POST", f"/api/v1/services/{OTHER_SERVICE}/failover",
                         body={"target_region": "us-east-1", "reason": "browser test: runbook approval"})
    workflow = accepted["workflow_id"]
    browser.open(f"#/service/{OTHER_SERVICE}")
    browser.sign_in(peers.tokens["operator"]["secret"])
    browser.wait_text(".session", "browser-operator · operator")
    article = f'article[data-workflow="{workflow}"]'
    browser.wait(lambda d: browser.finds(f"{article} .approval"), "the approval controls", 30)
    assert "waiting for approval" in browser.text(f"{article} h3")
    assert "Has the www team drained its sessions?" in browser.text(f"{article} .approval")
    assert "owner-ok" in browser.text(f"{article} .runbook")
    browser.screenshot("runbook-approval-desktop-light")
    # The view re-renders every few seconds: act on fresh elements, retried when one goes stale.
    def click(css):
        browser.wait(lambda d: browser.find(css).click() or True, f"clicking {css}")

    # Approve without a reason: refused in the page, nothing sent.
    click(f"#approve-{workflow}")
    assert not browser.finds("dialog[open]")
    browser.wait(lambda d: browser.find(f"{article} input[name=approval-reason]").send_keys(
        "sessions drained, checked with the www team") or True, "typing the reason")
    click(f"#approve-{workflow}")
    browser.wait(lambda d: browser.finds("#dialog-confirm"), "the confirmation")
    assert "goes on past “owner-ok”" in browser.text("#dialog-effect")
    click("#dialog-confirm")
    browser.wait(lambda d: "succeeded" in browser.text(f"{article} h3"), "the workflow going on to succeed", 40)
    assert "done" in browser.text(f"{article} .runbook")
    events = peers.api("GET", "/api/v1/events?kind=workflow.approval_decided")["events"]
    assert any(e["actor"] == "browser-operator" and "sessions drained" in e["message"] for e in events), events
    assert browser.console_problems() == []

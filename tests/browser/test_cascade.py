"""The trainer-of-trainers cascade in a real browser: a master trainer's ToT cohort produces a graduate, the
coordinator promotes them, their own cohort appears below the ToT cohort, and the figures add up.

Completing modules is prepared through the app's completion service (``complete_modules``), as passing the
quizzes would record it; everything a person does by hand happens in the browser.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import complete_modules, enrol, expect_flash, login, make_account, make_cohort
from trainer.models import Role

pytestmark = pytest.mark.browser

TOT_MODULE, COURSE_MODULE = "training-of-trainers", "trafficking-basics"


def node(page: Page, cohort_name: str):
    """The cascade tree's item for a cohort (its own line, not the nested ones)."""
    return page.locator("ul.tree li").filter(has=page.get_by_role("link", name=cohort_name, exact=True)).last


def own_line(item) -> str:
    """An item's text without its nested list: what the page says about that one cohort."""
    return " ".join(item.evaluate("li => [...li.childNodes].filter(n => n.nodeName !== 'UL')"
                                  ".map(n => n.textContent).join(' ')").split())


def test_a_promoted_tot_graduate_s_cohort_appears_under_the_tot_cohort(new_context, live_server, live_app):
    suffix = uuid.uuid4().hex[:6]
    names = {"master": f"Master Trainer {suffix}", "graduate": f"Gantulga Graduate {suffix}",
             "dropout": f"Dulmaa Unfinished {suffix}"}
    master = make_account(live_app, "master", names["master"], {Role.TRAINER}, agency="GABP")
    graduate = make_account(live_app, "graduate", names["graduate"], agency="GABP", station="Altanbulag crossing")
    dropout = make_account(live_app, "tot-trainee", names["dropout"], agency="GABP")
    officers = [(f"Officer {n} {suffix}", make_account(live_app, "officer", f"Officer {n} {suffix}"))
                for n in (1, 2)]

    # The master trainer's ToT cohort: two trainees, one of whom completes it.
    tot_name = f"National ToT {suffix}"
    tot_id = make_cohort(live_app, master[2], tot_name, "tot", {TOT_MODULE: None})
    enrol(live_app, master[2], tot_id, [graduate[0], dropout[0]])
    complete_modules(live_app, graduate[2], [TOT_MODULE])

    # The coordinator promotes the graduate.
    coordinator = new_context().new_page()
    login(coordinator, live_server, "coordinator")
    coordinator.goto("/cohorts/")
    coordinator.get_by_role("link", name="ToT graduates", exact=True).click()
    expect(coordinator.locator("h1")).to_have_text("Trainer-of-trainers graduates")
    row = coordinator.locator("main tbody tr").filter(has_text=names["graduate"])
    expect(row.locator("td").nth(1)).to_have_text(tot_name)
    expect(coordinator.locator("main tbody tr").filter(has_text=names["dropout"])).to_have_count(0)
    row.get_by_role("button", name="Promote to trainer", exact=True).click()
    expect_flash(coordinator, "Promoted to trainer. The cohorts this person runs will appear under their ToT cohort.")
    expect(row.locator("td").nth(3)).to_have_text("Promoted")
    expect(row.get_by_role("button")).to_have_count(0)

    # The new trainer signs in, creates a cohort, assigns a module and adds two officers.
    trainer = new_context().new_page()
    login(trainer, live_server, graduate[0], graduate[1])
    trainer.get_by_role("link", name="Cohorts", exact=True).click()
    trainer.get_by_role("link", name="New cohort", exact=True).click()
    course_name = f"Altanbulag course {suffix}"
    trainer.locator("#name").fill(course_name)
    trainer.locator("#kind").select_option("course")
    trainer.get_by_role("button", name="Save", exact=True).click()
    expect(trainer.locator("h1")).to_have_text(course_name)
    expect(trainer.locator("dl.facts dt:text-is('Trainers trained in') + dd")).to_have_text(tot_name)
    course_id = int(re.search(r"/cohorts/(\d+)$", trainer.url)[1])
    trainer.locator("#module_id").select_option(COURSE_MODULE)
    trainer.locator("#assignments").get_by_role("button", name="Assign", exact=True).click()
    expect_flash(trainer, "Module assigned.")
    for full_name, (username, _, _) in officers:
        trainer.locator("#username").fill(username)
        trainer.locator("#enrolment").get_by_role("button", name="Add", exact=True).click()
        expect_flash(trainer, f"{full_name} is now in this cohort.")
    complete_modules(live_app, officers[0][1][2], [COURSE_MODULE])  # one of the two officers completes it

    # The coordinator's cascade: the course below the ToT cohort, each with its own figures.
    coordinator.get_by_role("link", name="Cascade", exact=True).click()
    expect(coordinator.locator("h1")).to_have_text("Training cascade")
    tot_node, course_node = node(coordinator, tot_name), node(coordinator, course_name)
    expect(tot_node.locator(":scope > ul > li")).to_have_count(1)
    expect(tot_node.locator(":scope > ul > li > a")).to_have_text(course_name)
    assert own_line(tot_node) == (f"{tot_name} — Trainer-of-trainers (ToT); trainers: {names['master']}; "
                                  "1 of 2 completed (50%)")
    assert own_line(course_node) == (f"{course_name} — Course for officers; trainers: {names['graduate']}; "
                                     "1 of 2 completed (50%)")
    reach = coordinator.locator("table").nth(1).locator("tbody tr").filter(has_text=names["master"])
    expect(reach.locator("th, td")).to_have_text([names["master"], "1", "1", "1"])

    # The master trainer's own view: just this tree, so the generations table is exactly what was made here.
    master_page = new_context().new_page()
    login(master_page, live_server, master[0], master[1])
    master_page.goto("/cohorts/cascade")
    generations = master_page.locator("table").first.locator("tbody tr")
    expect(generations).to_have_count(2)
    expect(generations.nth(0).locator("th, td")).to_have_text(["1", "1", "1", "2", "1", "50%"])
    expect(generations.nth(1).locator("th, td")).to_have_text(["2", "1", "1", "2", "1", "50%"])
    expect(master_page.locator("table").nth(1).locator("tbody tr th, tbody tr td")).to_have_text(
        [names["master"], "1", "1", "1"])
    expect(master_page.locator("ul.tree > li")).to_have_count(1)
    expect(master_page.locator("ul.tree > li > ul > li > a")).to_have_text(course_name)

    # The new trainer sees their own cohort, as the second generation.
    trainer.goto("/cohorts/cascade")
    expect(trainer.locator("ul.tree > li > a")).to_have_text(course_name)
    expect(trainer.locator("table").first.locator("tbody tr th, tbody tr td")).to_have_text(
        ["2", "1", "1", "2", "1", "50%"])
    trainer.goto(f"/cohorts/{tot_id}")  # the ToT cohort itself is the master trainer's, not theirs
    expect(trainer.locator("h1")).to_have_text("Page not found")
    assert course_id

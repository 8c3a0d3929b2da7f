/** @odoo-module **/

import { registry } from "@web/core/registry";

const ANTENNA = ".o_psys_rota_antenna[data-antenna='Antenne de la semaine']";

// Coordinator, on the week grid: from the menu to this week (2 clicks), an
// open shift in red, filled from the picker of the available volunteers (2 clicks).
registry.category("web_tour.tours").add("psys_permanence_rota_week_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_menu_sections button:contains(Permanences)",
            content: "1. Open the Permanences menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='psys_permanence.psys_rota_week_menu']",
            content: "2. The week rota",
            run: "click",
        },
        {
            trigger: `.o_psys_rota_week ${ANTENNA}.o_psys_rota_antenna_open`,
            content: "The antenna with an open shift is marked",
        },
        {
            trigger: ".o_psys_rota_week th.o_psys_rota_day_open .o_psys_rota_badge_open",
            content: "So is its day",
        },
        {
            trigger: ".o_psys_rota_week .o_psys_rota_summary .o_psys_rota_badge_open",
            content: "And the week",
        },
        {
            trigger: `${ANTENNA} button.o_psys_rota_open:contains(Open)`,
            content: "3. The open shift, in red: fill it",
            run: function () {
                const colour = getComputedStyle(this.anchor).backgroundColor;
                if (colour !== "rgb(179, 38, 30)") {
                    throw new Error(`The open shift is not red: ${colour}`);
                }
                if (!this.anchor.getAttribute("aria-label").startsWith("Fill the open shift")) {
                    throw new Error("The open shift's button has no label");
                }
                this.anchor.click();
            },
        },
        {
            trigger: ".modal .o_psys_rota_candidate:contains(Grille Volontaire)",
            content: "4. Only the available volunteers: pick one",
            run: function () {
                const names = [...document.querySelectorAll(".modal .o_psys_rota_candidate")].map((button) =>
                    button.textContent.trim()
                );
                for (const busy of ["Occupé Volontaire", "Absente Volontaire"]) {
                    if (names.includes(busy)) {
                        throw new Error(`${busy} is offered but not available: ${names}`);
                    }
                }
                this.anchor.click();
            },
        },
        {
            trigger: `${ANTENNA} button.o_psys_rota_filled:contains(Grille Volontaire)`,
            content: "The shift is filled",
        },
        {
            trigger: `${ANTENNA}:not(.o_psys_rota_antenna_open)`,
            content: "The antenna has no open shift left",
        },
    ],
});

// The sessions' calendar: a legend of its colours, titles not cut.
registry.category("web_tour.tours").add("psys_permanence_session_legend_tour", {
    url: "/odoo/action-psys_permanence.psys_session_action",
    steps: () => [
        {
            trigger: ".o_psys_session_calendar .o_psys_coverage_legend li:contains(Uncovered)",
            content: "The legend of the coverage colours",
        },
        {
            // The browser's clock is not the test's (no session of the test
            // in this month): the rule is checked on a title like the calendar's.
            trigger: ".o_psys_session_calendar .o_calendar_widget",
            content: "A session's whole title",
            run: function () {
                const event = document.createElement("div");
                event.className = "fc-event";
                event.innerHTML = '<div class="o_event_title text-truncate">Permanence du mercredi – Grenoble</div>';
                this.anchor.appendChild(event);
                const { whiteSpace, textOverflow } = getComputedStyle(event.firstChild);
                event.remove();
                if (whiteSpace !== "normal" || textOverflow !== "clip") {
                    throw new Error(`The session's title is cut: ${whiteSpace}, ${textOverflow}`);
                }
            },
        },
    ],
});

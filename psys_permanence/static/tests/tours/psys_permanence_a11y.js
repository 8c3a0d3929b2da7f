/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 27, point 18: the back-office screens psys adds pass axe-core (no
// serious or critical violation) for psys's own markup: the checks are
// scoped (axe's `include`) to what psys's views draw, the desk's cards and
// its button, the dashboard's sheet; Odoo's own web client around them is
// Odoo's to fix. axe-core and window.psysA11y: psys_base/tests/a11y.py.

registry.category("web_tour.tours").add("psys_permanence_a11y_desk_tour", {
    url: "/odoo/action-psys_permanence.psys_desk_visit_action",
    steps: () => [
        {
            content: "The desk's cards",
            trigger: ".o_kanban_record:contains(A11Y-1)",
            run: () =>
                window.psysA11y.check("the reception desk", {
                    include: [
                        ".o_kanban_record:not(.o_kanban_ghost)",
                        "button[name=action_open_register]",
                    ],
                }),
        },
    ],
});

registry.category("web_tour.tours").add("psys_permanence_a11y_dashboard_tour", {
    url: "/odoo/action-psys_base.action_psys_home",
    steps: () => [
        {
            content: "The dashboard's coverage and queue",
            trigger: ".o_psys_dashboard div[name=coverage] button[name=action_open_coverage]",
            run: () => window.psysA11y.check("the dashboard", { include: [".o_psys_dashboard .o_form_sheet"] }),
        },
    ],
});

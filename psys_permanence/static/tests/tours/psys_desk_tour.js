/** @odoo-module **/

import { registry } from "@web/core/registry";

// The reception volunteer registers a first-visit walk-in from the menu and
// finds the person waiting on the desk board.
registry.category("web_tour.tours").add("psys_permanence_desk_tour", {
    url: "/odoo/action-psys_permanence.psys_desk_visit_action",
    steps: () => [
        {
            trigger: ".o_kanban_view",
            content: "The desk board is open",
        },
        {
            trigger: ".o_menu_sections button:contains(Permanences)",
            content: "Open the Permanences menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='psys_permanence.psys_desk_register_menu']",
            content: "Register a walk-in",
            run: "click",
        },
        {
            trigger: ".modal div[name=session_id] input",
            content: "Today's session is proposed",
            run: function () {
                if (!this.anchor.value.includes("Permanence de la visite")) {
                    throw new Error(`Unexpected session: ${this.anchor.value}`);
                }
            },
        },
        {
            trigger: ".modal div[name=arrival_note] input",
            content: "A practical remark",
            run: "edit Parle anglais",
        },
        {
            trigger: ".modal button[name=action_register]",
            content: "Add to the queue",
            run: "click",
        },
        {
            trigger: ".modal div[name=registered_code] span:contains(-)",
            content: "The new person's code is shown to hand over",
        },
        {
            trigger: ".modal button[name=action_back_to_desk]",
            content: "Back to the desk",
            run: "click",
        },
        {
            trigger: ".o_kanban_group:contains(Waiting) .o_kanban_record:contains(Permanence de la visite):contains(Parle anglais)",
            content: "The person waits on the board, with the reception remark",
            // From the menu, over any screen: the desk as the first breadcrumb, « Today » on.
            run: () => assertOneDeskLevel(),
        },
    ],
});

// Issue 27, point 11. Reception, on the desk itself: « Register a walk-in »
// is a button of the desk; the form proposes today's session of her own
// antenna (not another antenna's phone line), and « Back to the desk » lands
// on the same desk, one breadcrumb, its « Today » filter kept.
function assertOneDeskLevel() {
    if (document.querySelector(".o_breadcrumb .breadcrumb-item")) {
        throw new Error("The desk stacked another breadcrumb level");
    }
    const facets = [...document.querySelectorAll(".o_searchview_facet")].map((facet) => facet.textContent);
    if (!facets.some((facet) => facet.includes("Today"))) {
        throw new Error(`The « Today » filter was dropped: ${facets.join(", ")}`);
    }
}

registry.category("web_tour.tours").add("psys_permanence_desk_button_tour", {
    url: "/odoo/action-psys_base.action_psys_home",
    steps: () => [
        {
            trigger: ".o_kanban_view .o_searchview_facet:contains(Today)",
            content: "Reception lands on today's desk",
            run: assertOneDeskLevel,
        },
        {
            trigger: ".o_control_panel button[name=action_open_register]",
            content: "1. Register a walk-in, on the desk",
            run: "click",
        },
        {
            trigger: ".modal div[name=session_id] input",
            content: "Today's session of her own antenna is proposed",
            run: function () {
                if (!this.anchor.value.includes("Permanence de l'accueil")) {
                    throw new Error(`Unexpected session: ${this.anchor.value}`);
                }
            },
        },
        {
            trigger: ".modal div[name=arrival_note] input",
            content: "2. A practical remark",
            run: "edit Parle anglais",
        },
        {
            trigger: ".modal button[name=action_register]",
            content: "3. Add to the queue",
            run: "click",
        },
        {
            trigger: ".modal div[name=registered_code] span:contains(-)",
            content: "The new person's code is shown to hand over",
        },
        {
            trigger: ".modal button[name=action_back_to_desk]",
            content: "4. Back to the desk",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_kanban_group:contains(Waiting) .o_kanban_record:contains(Parle anglais)",
            content: "The person waits on the same desk: one level, « Today » kept",
            run: assertOneDeskLevel,
        },
        {
            trigger: ".o_control_panel button[name=action_open_register]",
            content: "1. Another walk-in",
            run: "click",
        },
        {
            trigger: ".modal div[name=mode] input[data-value=code]",
            content: "2. Returning: I have their code",
            run: "click",
        },
        {
            trigger: ".modal div[name=code] input",
            content: "3. Type the code",
            run: "edit TOUR-BUTTON-1",
        },
        {
            trigger: ".modal button[name=action_register]",
            content: "4. Add to the queue",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_kanban_group:contains(Waiting) .o_kanban_record:contains(TOUR-BUTTON-1)",
            content: "Back on the same desk again: still one level, « Today » kept",
            run: assertOneDeskLevel,
        },
    ],
});

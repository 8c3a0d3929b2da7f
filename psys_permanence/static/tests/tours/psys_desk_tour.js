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
        },
    ],
});

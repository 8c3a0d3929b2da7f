/** @odoo-module **/

import { registry } from "@web/core/registry";

// Reception, from its home (today's desk): a returning person by code, in
// five actions (open the form, choose "by code", type it, add to the queue).
registry.category("web_tour.tours").add("psys_permanence_reception_code_tour", {
    url: "/odoo/action-psys_base.action_psys_home",
    steps: () => [
        {
            trigger: ".o_kanban_view",
            content: "Reception lands on today's desk",
        },
        {
            trigger: ".o_menu_sections button:contains(Permanences)",
            content: "1. Open the Permanences menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='psys_permanence.psys_desk_register_menu']",
            content: "2. Register a walk-in",
            run: "click",
        },
        {
            trigger: ".modal div[name=mode] input[data-value=code]",
            content: "3. Returning: I have their code",
            run: "click",
        },
        {
            trigger: ".modal div[name=code] input",
            content: "4. Type the code",
            run: "edit TOUR-CODE-1",
        },
        {
            trigger: ".modal button[name=action_register]",
            content: "5. Add to the queue",
            run: "click",
        },
        {
            trigger: ".o_kanban_group:contains(Waiting) .o_kanban_record:contains(TOUR-CODE-1)",
            content: "The person waits on the board",
        },
    ],
});

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

// Therapist, from her home (her next shifts and today's queue): receive the
// person waiting, write the note on the encounter (her workspace), save.
registry.category("web_tour.tours").add("psys_permanence_therapist_note_tour", {
    url: "/odoo/action-psys_base.action_psys_home",
    steps: () => [
        {
            trigger: ".o_form_view div[name=queue] .o_data_row:contains(TOUR-NOTE-1)",
            content: "Today's queue on her home: the person waits",
        },
        {
            trigger: ".o_form_view div[name=queue] .o_data_row:contains(TOUR-NOTE-1) button[name=action_start_interview]",
            content: "1. Receive the person: her encounter opens",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a.nav-link:contains(Notes)",
            content: "2. The notes of the encounter",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=note_ids] .o_field_x2many_list_row_add a",
            content: "3. Add a note",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name=note_ids] .o_selected_row [name=body] textarea",
            content: "4. Write it",
            run: "edit Angoisses au travail, revient dans quinze jours.",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            content: "5. Save the encounter",
            run: "click",
        },
        {
            trigger: ".o_form_renderer.o_form_saved",
            content: "The encounter is saved",
        },
        {
            trigger: "div[name=note_ids] .o_data_row:contains(Angoisses au travail)",
            content: "The note is listed on the encounter",
        },
    ],
});

// Coordinator, on the rota grid (weeks x antennas x roles): an open shift
// filled in place with a volunteer.
registry.category("web_tour.tours").add("psys_permanence_coordinator_grid_tour", {
    url: "/odoo/action-psys_permanence.psys_shift_action_rota",
    steps: () => [
        {
            trigger: ".o_list_view .o_group_header",
            content: "The rota grid, week by week",
        },
        {
            // The browser's clock is not the test's: the period is the antenna's.
            trigger: ".o_searchview_facet:contains(Upcoming) .o_facet_remove",
            content: "3. Every date",
            run: "click",
        },
        {
            trigger: ".o_searchview_input",
            content: "4. The antenna",
            run: "edit Antenne de la grille",
        },
        {
            trigger: ".o_searchview_autocomplete .o_menu_item:contains(Antenna)",
            content: "5. Search the antenna",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains(Antenne de la grille)",
        },
        {
            // Only once the list holds the antenna's week alone (the search
            // has reloaded it): never a week of the list before the search.
            trigger: ".o_list_view tbody:not(:has(.o_group_header + .o_group_header)) > .o_group_header:not(.o_group_open)",
            content: "6. Open the week",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains(Antenne de la grille):not(.o_group_open)",
            content: "7. Open the antenna",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains(Interviews):not(.o_group_open)",
            content: "8. Open the interviews",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:has(.badge:contains(Open)) td[name=user_id]",
            content: "9. The gap, in red: choose a volunteer",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_selected_row [name=user_id] input",
            content: "10. Type the volunteer's name",
            run: "edit Grille Volontaire",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Grille Volontaire)",
            content: "11. Pick the volunteer",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_list_button_save",
            content: "12. Save",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:not(.o_selected_row):contains(Grille Volontaire) .badge:contains(Filled)",
            content: "The shift is filled in place",
        },
    ],
});

/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 27, point 18: every portal page psys adds and the invitation pages
// pass axe-core (no serious or critical violation) and give 44 px targets.
// The test (test_a11y.py) runs these tours at 390 × 844 and 1366 × 768 and
// injects axe-core and window.psysA11y (psys_base/tests/a11y.js).

// psys's controls in the page's content: 44 × 44 px at least. Odoo's own
// header and footer are checked by axe-core (24 px, WCAG 2.2 AA) only.
const TARGETS = [
    "main .btn",
    "main .nav-link",
    "main .page-link",
    "main .form-select",
    "main .form-control",
].join(", ");

function check(label) {
    return () => window.psysA11y.check(label, { targets: TARGETS });
}

registry.category("web_tour.tours").add("psys_referral_a11y_portal_tour", {
    url: "/my",
    steps: () => [
        {
            // The appointments entry shows once there is one (the portal's counters).
            content: "The portal home",
            trigger: ".o_portal_my_home",
            run: () => window.psysA11y.check("the portal home"),
        },
        {
            content: "Open the appointments",
            trigger: ".o_portal_my_home",
            run: () => {
                window.location.href = "/my/psys/referrals";
            },
        },
        {
            content: "My requests, empty",
            trigger: "main .nav-link.active[href='/my/psys/referrals']",
            run: check("my requests (empty)"),
        },
        {
            content: "The free slots",
            trigger: "main a.nav-link[href='/my/psys/slots']",
            run: "click",
        },
        {
            content: "Free slots with their filters",
            trigger: ".o_psys_filters select[name=location]",
            run: check("the free slots"),
        },
        {
            content: "Take the first time",
            trigger: ".o_psys_day:first a.o_psys_book:first",
            run: "click",
        },
        {
            content: "The booking form",
            trigger: "select[name=age_bracket]",
            run: check("the booking form"),
        },
        {
            content: "Age",
            trigger: "select[name=age_bracket]",
            run: "select 18_25",
        },
        {
            content: "First name",
            trigger: "input[name=first_name]",
            run: "edit Zoé",
        },
        {
            content: "Phone",
            trigger: "input[name=phone]",
            run: "edit 06 12 34 56 78",
        },
        {
            content: "Consent",
            trigger: "input[name=consent]",
            run: "check",
        },
        {
            content: "Reason",
            trigger: "select[name=reason_category]",
            run: "select stress",
        },
        {
            content: "Book",
            trigger: "button.o_psys_book_submit",
            run: "click",
        },
        {
            content: "My requests with the confirmation and the booking",
            trigger: ".o_psys_booked",
            run: check("my requests (booked)"),
        },
        {
            content: "Move it",
            trigger: ".o_psys_highlight a.o_psys_move",
            run: "click",
        },
        {
            content: "The move page",
            trigger: "button.o_psys_move_to",
            run: check("moving an appointment"),
        },
        {
            content: "Back to the requests",
            trigger: "main a.nav-link[href='/my/psys/referrals']",
            run: "click",
        },
        {
            content: "Cancel it",
            trigger: ".o_psys_highlight a.o_psys_cancel, [data-booking-id] a.o_psys_cancel",
            run: "click",
        },
        {
            content: "The cancel page",
            trigger: "textarea[name=reason]",
            run: check("cancelling an appointment"),
        },
        {
            content: "The waiting list",
            trigger: "main a.nav-link[href='/my/psys/waiting']",
            run: "click",
        },
        {
            content: "Reason of the waiting person",
            trigger: "select[name=reason_category]",
            run: "select stress",
        },
        {
            content: "Put on the list",
            trigger: "button.o_psys_waiting_add",
            run: "click",
        },
        {
            content: "The waiting list with its entry",
            trigger: ".o_psys_waiting_entry",
            run: check("the waiting list"),
        },
        {
            content: "The invitation page",
            trigger: "main a.nav-link[href='/my/psys/invite']",
            run: "click",
        },
        {
            content: "Choose the person",
            trigger: "select[name=beneficiary_id]",
            run: "selectByIndex 1",
        },
        {
            content: "The invitation form",
            trigger: "select[name=beneficiary_id]",
            run: check("the invitation form"),
        },
        {
            content: "Send the invitation",
            trigger: "button.o_psys_invite_submit",
            run: "click",
        },
        {
            content: "The link to hand over, with its copy button",
            trigger: ".o_psys_invite_done .o_psys_copy_link",
            run: check("the invitation sent"),
        },
    ],
});

registry.category("web_tour.tours").add("psys_referral_a11y_invitation_tour", {
    steps: () => [
        {
            content: "The person's page: free times by day",
            trigger: ".o_psys_invitation .o_psys_day button.o_psys_move_to",
            run: check("the invitation page"),
        },
        {
            content: "Choose a time",
            trigger: ".o_psys_day button.o_psys_move_to:first",
            run: "click",
        },
        {
            content: "Confirm the time",
            trigger: "button.o_psys_invitation_confirm",
            run: check("the invitation's confirmation"),
        },
        {
            content: "Confirm",
            trigger: "button.o_psys_invitation_confirm",
            run: "click",
        },
        {
            content: "Booked",
            trigger: ".o_psys_invitation_booked",
            run: check("the invitation booked"),
        },
    ],
});

registry.category("web_tour.tours").add("psys_referral_a11y_invitation_error_tour", {
    steps: () => [
        {
            content: "A link that does not exist",
            trigger: ".o_psys_invitation h3",
            run: check("the invitation error page"),
        },
    ],
});

// Booking with the keyboard only: Tab to move, Enter to follow a link or
// submit, Space to tick, letters to pick in a list and to type. Real keys
// (psysA11y.press: DevTools protocol key events), no click, no focus().
registry.category("web_tour.tours").add("psys_referral_a11y_keyboard_tour", {
    url: "/my/psys/slots",
    steps: () => [
        {
            content: "Tab to the first free time and press Enter",
            trigger: ".o_psys_day a.o_psys_book",
            run: async () => {
                await window.psysA11y.tabTo(".o_psys_day a.o_psys_book");
                window.psysA11y.pressAndLeave("Enter");
            },
        },
        {
            content: "The booking form: Tab to the age, type its first figures",
            trigger: "select[name=age_bracket]",
            run: async () => {
                await window.psysA11y.tabTo("select[name=age_bracket]");
                await window.psysA11y.type("18");
            },
        },
        {
            content: "Tab to the first name and type it",
            trigger: "select[name=age_bracket]:has(option[value='18_25']:checked)",
            run: async () => {
                await window.psysA11y.tabTo("input[name=first_name]");
                await window.psysA11y.type("Zoé");
            },
        },
        {
            content: "Tab to the phone and type it",
            trigger: "input[name=first_name]:value(Zoé)",
            run: async () => {
                await window.psysA11y.tabTo("input[name=phone]");
                await window.psysA11y.type("0612345678");
            },
        },
        {
            content: "Tab to the consent and tick it with Space",
            trigger: "input[name=phone]:value(0612345678)",
            run: async () => {
                await window.psysA11y.tabTo("input[name=consent]");
                await window.psysA11y.press("Space");
            },
        },
        {
            content: "Tab to the reason and pick it by its first letters",
            trigger: "input[name=consent]:checked",
            run: async () => {
                await window.psysA11y.tabTo("select[name=reason_category]");
                await window.psysA11y.type("Stre");
            },
        },
        {
            content: "Tab to the button and press Enter",
            trigger: "select[name=reason_category]:has(option[value='stress']:checked)",
            run: async () => {
                await window.psysA11y.tabTo("button.o_psys_book_submit");
                window.psysA11y.pressAndLeave("Enter");
            },
        },
        {
            content: "Booked",
            trigger: ".o_psys_booked",
        },
    ],
});

// The back-office screens psys_referral adds, for psys's own markup (axe's
// `include`): the practitioner's agenda (its slots: psys's titles and
// colours in Odoo's calendar) and the dashboard's relays section.
registry.category("web_tour.tours").add("psys_referral_a11y_agenda_tour", {
    url: "/odoo/action-psys_referral.psys_booking_action_agenda",
    steps: () => [
        {
            // The browser's clock is the real one: open the agenda on the
            // test's day (PSYS_NOW, psys_base/tests/common.py).
            content: "The agenda on the test's day",
            trigger: ".o_calendar_renderer",
            run: () =>
                odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
                    "psys_referral.psys_booking_action_agenda",
                    { additionalContext: { initial_date: "2026-11-04 12:00:00" }, clearBreadcrumbs: true }
                ),
        },
        {
            content: "The agenda's slots, free and booked",
            trigger: ".o_calendar_renderer .fc-event",
            run: () => window.psysA11y.check("the practitioner's agenda", { include: [".o_calendar_renderer .fc-event"] }),
        },
    ],
});

registry.category("web_tour.tours").add("psys_referral_a11y_dashboard_tour", {
    url: "/odoo/action-psys_base.action_psys_home",
    steps: () => [
        {
            content: "The dashboard's pending relays",
            trigger: ".o_psys_dashboard div[name=pending_relays] .o_data_row",
            run: () =>
                window.psysA11y.check("the dashboard's relays", {
                    include: [".o_psys_dashboard div[name=pending_relays]"],
                }),
        },
    ],
});

// The waiting list with a slot offered, then booked from it.
registry.category("web_tour.tours").add("psys_referral_a11y_waiting_tour", {
    url: "/my/psys/waiting",
    steps: () => [
        {
            content: "The waiting list with an offered slot",
            trigger: ".o_psys_waiting_entry button.o_psys_waiting_book",
            run: check("the waiting list with an offer"),
        },
        {
            content: "Book the offered slot",
            trigger: ".o_psys_waiting_entry button.o_psys_waiting_book",
            run: "click",
        },
        {
            content: "My requests: booked from the waiting list",
            trigger: ".o_psys_booked",
            run: check("my requests (booked from the waiting list)"),
        },
    ],
});

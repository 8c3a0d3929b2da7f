/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("psys_referral_portal_tour", {
    url: "/my/psys/slots",
    steps: () => [
        {
            content: "Open the booking form of the first free slot",
            trigger: "a.o_psys_book:first",
            run: "click",
        },
        {
            content: "Age bracket of the new person",
            trigger: "select[name=age_bracket]",
            run: "select 18_25",
        },
        {
            content: "Reason for the referral",
            trigger: "select[name=reason_category]",
            run: "select stress",
        },
        {
            content: "A few words",
            trigger: "textarea[name=reason]",
            run: "edit Fatigue, stress au travail",
        },
        {
            content: "Book",
            trigger: "button.o_psys_book_submit",
            run: "click",
        },
        {
            content: "The booking is confirmed on the referrals page",
            trigger: ".o_psys_booked",
        },
        {
            content: "Its status is booked",
            trigger: "table.o_psys_referrals td.o_psys_status:contains(Réservé)",
        },
        {
            content: "Cancel it",
            trigger: "table.o_psys_referrals a.o_psys_cancel",
            run: "click",
        },
        {
            content: "Why",
            trigger: "textarea[name=reason]",
            run: "edit La personne a trouvé un emploi",
        },
        {
            content: "Confirm",
            trigger: "button.o_psys_cancel_confirm",
            run: "click",
        },
        {
            content: "Its status is now cancelled",
            trigger: "table.o_psys_referrals td.o_psys_status:contains(Annulé)",
        },
    ],
});

/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 13: the social worker's phone (390 × 844, see test_tour.py).
function assertNoHorizontalOverflow() {
    const width = document.documentElement.scrollWidth;
    if (window.innerWidth > 400) {
        throw new Error(`The tour runs at ${window.innerWidth} px, not on a phone`);
    }
    if (width > window.innerWidth) {
        const wide = [...document.querySelectorAll("body *")]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
            .slice(-3)
            .map((element) => `${element.tagName}.${[...element.classList].join(".")}`);
        throw new Error(
            `The page is ${width} px wide on a ${window.innerWidth} px screen: ${wide.join(", ")}`
        );
    }
}

registry.category("web_tour.tours").add("psys_referral_portal_phone_tour", {
    url: "/my/psys/slots",
    steps: () => [
        {
            content: "The free slots are grouped by day",
            trigger: ".o_psys_day .o_psys_day_label",
            run: assertNoHorizontalOverflow,
        },
        {
            content: "Tap the first time of the first day",
            trigger: ".o_psys_day:first a.o_psys_book:first",
            run: "click",
        },
        {
            content: "Age bracket of the new person",
            trigger: "select[name=age_bracket]",
            run: "select 18_25",
        },
        {
            content: "Her first name, given with her consent",
            trigger: "input[name=first_name]",
            run: "edit Zoé",
        },
        {
            content: "Her phone",
            trigger: "input[name=phone]",
            run: "edit 06 12 34 56 78",
        },
        {
            content: "She consents",
            trigger: "input[name=consent]",
            run: "check",
        },
        {
            content: "Reason for the referral",
            trigger: "select[name=reason_category]",
            run: "select stress",
        },
        {
            content: "Book",
            trigger: "button.o_psys_book_submit",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger: ".o_psys_booked",
        },
        {
            content: "Its card is highlighted, with the first name next to the code",
            trigger: ".o_psys_card.o_psys_highlight .o_psys_first_name:contains(Zoé)",
        },
        {
            content: "Nothing overflows the requests page",
            trigger: ".o_psys_card.o_psys_highlight .o_psys_status:contains(Réservé)",
            run: assertNoHorizontalOverflow,
        },
        {
            content: "Move it",
            trigger: ".o_psys_card.o_psys_highlight a.o_psys_move",
            run: "click",
        },
        {
            content: "Tap the new time",
            trigger: "button.o_psys_move_to:first",
            run: "click",
        },
        {
            content: "The move is confirmed",
            trigger: ".o_psys_moved",
        },
        {
            content: "Cancel it",
            trigger: ".o_psys_card.o_psys_highlight a.o_psys_cancel",
            run: "click",
        },
        {
            content: "The confirmation page asks why",
            trigger: "textarea[name=reason]",
            run: "edit La personne a trouvé un emploi",
        },
        {
            content: "Confirm the cancellation",
            trigger: "button.o_psys_cancel_confirm",
            run: "click",
        },
        {
            content: "The cancellation is confirmed",
            trigger: ".o_psys_cancelled",
        },
        {
            content: "Its card says cancelled, with the reason, and nothing overflows",
            trigger: ".o_psys_card.o_psys_highlight .o_psys_status:contains(Annulé)",
            run: assertNoHorizontalOverflow,
        },
        {
            content: "No more actions on it",
            trigger: ".o_psys_card.o_psys_highlight:not(:has(a.o_psys_cancel))",
        },
    ],
});

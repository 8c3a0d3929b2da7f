/** @odoo-module **/

import { registry } from "@web/core/registry";

// Issue 27, point 12: the social worker's phone (390 × 844, see test_tour.py).
function assertPhoneWithoutOverflow() {
    if (window.innerWidth > 400) {
        throw new Error(`The tour runs at ${window.innerWidth} px, not on a phone`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) {
        throw new Error(`The page is ${document.documentElement.scrollWidth} px wide on a phone`);
    }
}

function assertTouchTargets(selector) {
    const small = [...document.querySelectorAll(selector)]
        .map((element) => element.getBoundingClientRect())
        .filter((box) => box.height < 44 || box.width < 44);
    if (small.length) {
        throw new Error(`${small.length} targets ${selector} under 44 px: ${small[0].width} × ${small[0].height}`);
    }
}

function assertNamedOption(select) {
    const labels = [...document.querySelectorAll(`${select} option`)].map((option) => option.textContent);
    if (!/^Zoé · \S+$/.test(labels[1] || "")) {
        throw new Error(`The named person is not first, with her code: ${labels.join(" | ")}`);
    }
}

registry.category("web_tour.tours").add("psys_referral_portal_pickers_tour", {
    url: "/my/psys/slots",
    steps: () => [
        {
            content: "The time buttons are touch targets of 44 px at least",
            trigger: ".o_psys_day .o_psys_book",
            run: () => {
                assertPhoneWithoutOverflow();
                assertTouchTargets(".o_psys_day .btn");
            },
        },
        {
            content: "Tap a time",
            trigger: ".o_psys_day:first a.o_psys_book:first",
            run: "click",
        },
        {
            content: "The booking form's picker: her first name, the code beside it",
            trigger: "select#beneficiary_id:has(option:contains(Zoé))",
            run: () => assertNamedOption("select#beneficiary_id"),
        },
        {
            content: "The waiting list",
            trigger: ".nav-link[href='/my/psys/waiting']",
            run: "click",
        },
        {
            content: "The waiting list's picker: the same",
            trigger: "select#waiting_beneficiary_id:has(option:contains(Zoé))",
            run: () => assertNamedOption("select#waiting_beneficiary_id"),
        },
        {
            content: "Invite to book",
            trigger: ".nav-link[href='/my/psys/invite']",
            run: "click",
        },
        {
            content: "The invitation's picker: pick Zoé by her name",
            trigger: "select#invite_beneficiary_id:has(option:contains(Zoé))",
            run: function () {
                assertNamedOption("select#invite_beneficiary_id");
                const zoe = [...this.anchor.options].find((option) => option.textContent.startsWith("Zoé"));
                this.anchor.value = zoe.value;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Send the invitation",
            trigger: "button.o_psys_invite_submit",
            run: "click",
        },
        {
            content: "Copy the link (the clipboard, recorded)",
            trigger: ".o_psys_invite_done button.o_psys_copy_link",
            run: function () {
                assertPhoneWithoutOverflow();
                assertTouchTargets(".o_psys_invite_done .btn:not(.d-none)");
                Object.defineProperty(navigator, "clipboard", {
                    configurable: true,
                    value: { writeText: async (text) => (window.psysCopied = text) },
                });
                this.anchor.click();
            },
        },
        {
            content: "The link is copied, and the page says so",
            trigger: ".o_psys_copy_done:not(.d-none)",
            run: () => {
                const link = document.querySelector(".o_psys_invite_link").value;
                if (!link.includes("/rdv/") || window.psysCopied !== link) {
                    throw new Error(`Copied ${window.psysCopied}, not the link ${link}`);
                }
                const share = document.querySelector(".o_psys_share_link");
                if (share.classList.contains("d-none") === Boolean(navigator.share)) {
                    throw new Error("« Share the link » is shown where the browser cannot share, or hidden where it can");
                }
            },
        },
        {
            content: "A browser that cannot copy",
            trigger: ".o_psys_invite_done button.o_psys_copy_link",
            run: function () {
                Object.defineProperty(navigator, "clipboard", {
                    configurable: true,
                    value: { writeText: () => Promise.reject(new Error("Not allowed")) },
                });
                this.anchor.click();
            },
        },
        {
            content: "The visible fallback: the link selected, how to copy it",
            trigger: ".o_psys_copy_fallback:not(.d-none)",
            run: () => {
                const input = document.querySelector(".o_psys_invite_link");
                if (document.activeElement !== input || input.selectionEnd - input.selectionStart !== input.value.length) {
                    throw new Error("The link is not selected");
                }
                if (!document.querySelector(".o_psys_copy_done").classList.contains("d-none")) {
                    throw new Error("The page still says the link is copied");
                }
            },
        },
        {
            content: "My requests",
            trigger: ".nav-link.o_psys_nav_requests",
            run: "click",
        },
        {
            content: "Past the cut-off: the practitioner's number, to call with a tap",
            trigger: ".o_psys_card .o_psys_locked a.o_psys_call[href='tel:+33698765432']:contains(06 98 76 54 32)",
            run: assertPhoneWithoutOverflow,
        },
    ],
});

/** @odoo-module **/

import { browser } from "@web/core/browser/browser";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The invitation link on the worker's portal page: « Copy the link », and
 * « Share the link » through the phone's apps where the browser can share.
 * Where the browser cannot copy (an old one, no permission), the link is
 * selected and the page says how to copy it: never a silent failure. The
 * sentences are the page's own (translated with the template).
 */
publicWidget.registry.PsysInviteLink = publicWidget.Widget.extend({
    selector: ".o_psys_invite_done",
    events: {
        "click .o_psys_copy_link": "_onCopy",
        "click .o_psys_share_link": "_onShare",
    },

    start() {
        if (browser.navigator.share) {
            this.el.querySelector(".o_psys_share_link").classList.remove("d-none");
        }
        return this._super(...arguments);
    },

    _link() {
        return this.el.querySelector(".o_psys_invite_link");
    },

    _say(done) {
        this.el.querySelector(".o_psys_copy_done").classList.toggle("d-none", !done);
        this.el.querySelector(".o_psys_copy_fallback").classList.toggle("d-none", done);
        if (!done) {
            const input = this._link();
            input.focus();
            input.select();
        }
    },

    async _onCopy() {
        try {
            await browser.navigator.clipboard.writeText(this._link().value);
        } catch {
            // No clipboard (an insecure page, an old browser) or no permission.
            this._say(false);
            return;
        }
        this._say(true);
    },

    async _onShare() {
        try {
            await browser.navigator.share({ url: this._link().value });
        } catch (error) {
            if (error.name !== "AbortError") {
                this._say(false);
            }
        }
    },
});

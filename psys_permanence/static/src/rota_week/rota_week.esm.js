/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The volunteers free for one shift (the server's psys_candidates): one
 * button each, one click fills the shift.
 */
export class RotaPicker extends Component {
    static template = "psys_permanence.RotaPicker";
    static components = { Dialog };
    static props = {
        shift: Object,
        day: String,
        antenna: String,
        candidates: Array,
        onPick: Function,
        close: Function,
    };

    get title() {
        return _t("Fill: %(role)s, %(day)s, %(hours)s", {
            role: this.props.shift.role,
            day: this.props.day,
            hours: this.props.shift.hours,
        });
    }

    async pick(candidate) {
        await this.props.onPick(candidate);
        this.props.close();
    }
}

/**
 * The coordinator's week: antennas × days × roles, shifts to fill in red at
 * every level (week, antenna, day, shift). Data and filling go through the
 * psys.shift RPC methods, as the logged-in user.
 */
export class RotaWeek extends Component {
    static template = "psys_permanence.RotaWeek";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.dialog = useService("dialog");
        this.notification = useService("notification");
        this.actionService = useService("action");
        this.state = useState({ grid: null });
        onWillStart(() => this.load(this.props.action.context?.week_start || false));
    }

    async load(weekStart) {
        this.state.grid = await this.orm.call("psys.shift", "psys_week_grid", [weekStart || false]);
    }

    shiftLabel(shift, antenna, day) {
        if (shift.volunteer) {
            return _t("%(role)s, %(day)s, %(hours)s, %(session)s: %(volunteer)s (%(state)s). Open the shift", {
                role: shift.role,
                day: day.label,
                hours: shift.hours,
                session: shift.session,
                volunteer: shift.volunteer,
                state: shift.state_label,
            });
        }
        return _t("Fill the open shift: %(role)s, %(day)s, %(hours)s, %(session)s, %(antenna)s", {
            role: shift.role,
            day: day.label,
            hours: shift.hours,
            session: shift.session,
            antenna: antenna.name,
        });
    }

    async onShiftClick(shift, antenna, day) {
        if (shift.state === "filled") {
            return this.actionService.doAction({
                type: "ir.actions.act_window",
                res_model: "psys.shift",
                res_id: shift.id,
                views: [[false, "form"]],
                target: "current",
            });
        }
        const candidates = await this.orm.call("psys.shift", "psys_candidates", [[shift.id]]);
        this.dialog.add(RotaPicker, {
            shift,
            day: day.label,
            antenna: antenna.name,
            candidates,
            onPick: (candidate) => this.fill(shift, candidate),
        });
    }

    async fill(shift, candidate) {
        await this.orm.call("psys.shift", "psys_fill", [[shift.id], candidate.id]);
        this.notification.add(
            _t("%(volunteer)s holds the shift %(role)s, %(hours)s.", {
                volunteer: candidate.name,
                role: shift.role,
                hours: shift.hours,
            }),
            { type: "success" }
        );
        await this.load(this.state.grid.week_start);
    }
}

registry.category("actions").add("psys_permanence.rota_week", RotaWeek);

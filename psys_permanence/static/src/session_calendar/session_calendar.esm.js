/** @odoo-module **/

import { CalendarController } from "@web/views/calendar/calendar_controller";
import { calendarView } from "@web/views/calendar/calendar_view";
import { registry } from "@web/core/registry";

/**
 * The sessions' calendar with the legend of its colours (the coverage) and
 * whole titles: a session's colour says whether its rota is covered.
 */
export class PsysSessionCalendarController extends CalendarController {
    static template = "psys_permanence.SessionCalendarController";

    get className() {
        return `${super.className || ""} o_psys_session_calendar`;
    }
}

registry.category("views").add("psys_session_calendar", {
    ...calendarView,
    Controller: PsysSessionCalendarController,
});

/* Accessibility helpers for psys's tours (issue 27, point 18), injected with
 * axe-core into every page of an A11yTourCase test (see a11y.py). Not an
 * asset: a plain script, before the page's own. */
(function () {
    "use strict";
    if (window.psysA11y) {
        return;
    }
    const FAILING = ["serious", "critical"];
    const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
    // Where a finger or a pointer aims: WCAG 2.5.5 asks 44 × 44 CSS px.
    const TARGETS = "a.btn, button, input:not([type=hidden]), select, textarea, [role=button]";
    const MIN_TARGET = 44;

    function describe(element) {
        const classes = [...element.classList].slice(0, 3).join(".");
        const text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
        return `${element.tagName.toLowerCase()}${classes ? "." + classes : ""}${text ? ` "${text.slice(0, 30)}"` : ""}`;
    }

    function visible(element) {
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    }

    /**
     * Run axe-core on the page (or on `include`, minus `exclude`: back-office
     * screens check psys's own markup, not Odoo's) and throw on any serious or
     * critical violation, with the elements concerned. `targets`: a selector of
     * the psys controls that must be at least 44 px high (and, unless they
     * are form fields that fill a row, wide).
     */
    async function check(label, { include = null, exclude = [], targets = null } = {}) {
        if (!window.axe) {
            throw new Error("axe-core is not in the page: the test must inject it (A11yTourCase)");
        }
        const context = include ? { include, exclude } : { exclude };
        const result = await window.axe.run(context, {
            runOnly: { type: "tag", values: TAGS },
            resultTypes: ["violations"],
        });
        const size = `${window.innerWidth}×${window.innerHeight}`;
        const problems = result.violations
            .filter((violation) => FAILING.includes(violation.impact))
            .map(
                (violation) =>
                    `${violation.id} (${violation.impact}): ${violation.help}: ` +
                    violation.nodes
                        .slice(0, 6)
                        .map((node) => {
                            const why = (node.any[0] || node.all[0] || node.none[0] || {}).message;
                            return `${node.target.join(" ")}${why ? ` (${why})` : ""}`;
                        })
                        .join(" | ")
            );
        if (targets) {
            const small = [...document.querySelectorAll(targets)]
                .filter(visible)
                .filter((element) => {
                    const box = element.getBoundingClientRect();
                    return box.height < MIN_TARGET - 0.5 || box.width < MIN_TARGET - 0.5;
                });
            if (small.length) {
                problems.push(
                    `target-size-44 (psys): under ${MIN_TARGET} × ${MIN_TARGET} px: ` +
                        small
                            .slice(0, 6)
                            .map((element) => {
                                const box = element.getBoundingClientRect();
                                return `${describe(element)} ${Math.round(box.width)}×${Math.round(box.height)}`;
                            })
                            .join(" | ")
                );
            }
        }
        if (problems.length && window.psysA11ySurvey) {
            console.info(`psys-a11y-survey: ${label} at ${size}:\n${problems.join("\n")}`);
        } else if (problems.length) {
            throw new Error(
                `Accessibility of ${label} at ${size}: ${problems.length} serious or critical problem(s):\n` +
                    problems.join("\n")
            );
        }
        console.info(`psys-a11y: ${label} at ${size}: no serious or critical violation`);
    }

    /** Whether the focused element shows it: an outline or a focus ring. */
    function focusShown(element) {
        const style = getComputedStyle(element);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        return outline || (style.boxShadow && style.boxShadow !== "none");
    }

    function sleep(ms) {
        return new Promise((resolve) => setTimeout(resolve, ms));
    }

    /** Real keys (see a11y.py): "Tab", "Shift+Tab", "Enter", "Space",
     * "ArrowDown", or one character. Returns once they had time to land. */
    async function press(...keys) {
        console.info("psys-keys:" + JSON.stringify(keys));
        await sleep(150);
    }

    /** The last keys of a step that leave the page (Enter on a link, a
     * submit): sent, not waited for, so that the tour records its step
     * before the page goes. */
    function pressAndLeave(...keys) {
        console.info("psys-keys:" + JSON.stringify(keys));
    }

    /** Type a text key by key. */
    async function type(text) {
        await press(...text);
    }

    /** Tab (forward) until the focus is on `selector`, as a keyboard user
     * would; fail when it never gets there (a trap, or out of the tab order). */
    async function tabTo(selector, { max = 60 } = {}) {
        for (let count = 0; count < max; count++) {
            const active = document.activeElement;
            if (active && active.matches(selector)) {
                return active;
            }
            console.info("psys-keys:" + JSON.stringify(["Tab"]));
            for (let wait = 0; wait < 40 && document.activeElement === active; wait++) {
                await sleep(25);
            }
            const now = document.activeElement;
            if (now && now.closest("main") && !focusShown(now)) {
                throw new Error(`The focus on ${describe(now)} is not visible (WCAG 2.4.7)`);
            }
        }
        throw new Error(`Tab never reaches ${selector} (${max} presses)`);
    }

    window.psysA11y = { check, press, pressAndLeave, type, tabTo };
})();

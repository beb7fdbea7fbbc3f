/* Rows of an admin inline in the order the editor chooses (catalogue.admin.OrderedInline).

   Each row gets a handle: drag it with the mouse, or focus it and press the arrow keys
   (Home and End for the first and last place); and buttons moving it up or down one place.
   A live region says where the row went. As a row moves, every row's hidden position field
   is written with its place as shown, so the order saved is the order on the screen; a new
   row left where it was added has no position and the server puts it last.

   Our own script, not django-admin-sortable2: that package's SortableJS is moved by pointer
   only, with no keyboard support. No inline script or style: the Content Security Policy
   forbids them (classes in static/css/admin-ordering.css do the styling). */
"use strict";
{
    const POSITION = "input[data-row-position]";
    const ROW = "tr.form-row, div.inline-related";

    const status = document.createElement("div");
    status.className = "ordering-status";
    status.setAttribute("role", "status");

    // With the empty form that "Add another" copies.
    function allRowsOf(group) {
        return [...group.querySelectorAll(POSITION)].map((input) => input.closest(ROW));
    }

    function rowsOf(group) {
        return allRowsOf(group).filter((row) => !row.classList.contains("empty-form"));
    }

    function prefixOf(group) {
        return group.id.replace(/-group$/, "");
    }

    function nameOf(row) {
        const label = row.querySelector(".inline_label, td.original p");
        const text = label ? label.textContent.trim().replace(/\s+/g, " ") : "";
        return text && !text.startsWith("#") ? text : "new row";
    }

    function button(className, text) {
        const control = document.createElement("button");
        control.type = "button";
        control.className = className;
        control.textContent = text;
        return control;
    }

    // The handle (drag it, or arrow keys on it), and buttons to move the row up and down one
    // place: those work wherever a button does (touch screens, a screen reader's browse mode,
    // which keeps the arrow keys for itself).
    function addControls(row, group) {
        if (row.querySelector(".ordering-controls")) {
            return; // a clone of the empty form brings its own
        }
        const controls = document.createElement("span");
        controls.className = "ordering-controls";
        const handle = button("ordering-handle", "⠿");
        handle.setAttribute("aria-describedby", `${prefixOf(group)}-ordering-help`);
        controls.append(button("ordering-up", "↑"), handle, button("ordering-down", "↓"));
        // Tables: the first cell, after the row's name, which Django's CSS lifts above the
        // row (so the controls sit level with the fields). Stacked forms: their heading.
        if (row.matches("tr")) {
            row.querySelector("td.original").append(controls);
        } else {
            row.querySelector("h3").prepend(controls);
        }
    }

    function nameControls(row) {
        const name = nameOf(row);
        for (const [selector, label] of [
            [".ordering-handle", `Move ${name}`],
            [".ordering-up", `Move ${name} up`],
            [".ordering-down", `Move ${name} down`],
        ]) {
            row.querySelector(selector).setAttribute("aria-label", label);
        }
    }

    // Writes each row's place as shown into its position field: 1, 2, 3 … as the catalogue
    // files number them, so rows already in place keep their numbers and are not "changed".
    function number(group) {
        rowsOf(group).forEach((row, index) => {
            row.querySelector(POSITION).value = index + 1;
        });
    }

    // The row of a table's errors goes with the row it is about.
    function withErrors(row) {
        const previous = row.previousElementSibling;
        return previous && previous.classList.contains("row-form-errors") ? [previous, row] : [row];
    }

    function place(row, target, before) {
        const moving = withErrors(row);
        if (before) {
            withErrors(target)[0].before(...moving);
        } else {
            target.after(...moving);
        }
    }

    function moved(row, group) {
        number(group);
        const rows = rowsOf(group);
        status.textContent = `${nameOf(row)}: now ${rows.indexOf(row) + 1} of ${rows.length}.`;
    }

    // Keyboard and buttons ---------------------------------------------------------------

    // Moves ``row`` to the place ``to`` of its list (counted from 0, kept within the list)
    // and gives the focus back to ``control``: moving an element in the document takes it away.
    function moveTo(row, to, control) {
        const group = row.closest(".js-inline-admin-formset");
        const rows = rowsOf(group);
        const from = rows.indexOf(row);
        to = Math.max(0, Math.min(rows.length - 1, to));
        if (to !== from) {
            place(row, rows[to], to < from);
            control.focus();
        }
        moved(row, group);
    }

    const KEYS = {
        ArrowUp: (rows, index) => index - 1,
        ArrowDown: (rows, index) => index + 1,
        Home: () => 0,
        End: (rows) => rows.length - 1,
    };

    function onKeydown(event) {
        const handle = event.target.closest && event.target.closest(".ordering-handle");
        if (!handle || !(event.key in KEYS)) {
            return;
        }
        event.preventDefault(); // the page does not scroll
        const row = handle.closest(ROW);
        const rows = rowsOf(row.closest(".js-inline-admin-formset"));
        moveTo(row, KEYS[event.key](rows, rows.indexOf(row)), handle);
    }

    function onClick(event) {
        const control = event.target.closest && event.target.closest(".ordering-up, .ordering-down");
        if (!control) {
            return;
        }
        const row = control.closest(ROW);
        const rows = rowsOf(row.closest(".js-inline-admin-formset"));
        const step = control.classList.contains("ordering-up") ? -1 : 1;
        moveTo(row, rows.indexOf(row) + step, control);
    }

    // Dragging -------------------------------------------------------------------------------
    // Only the handle starts a drag: the row is draggable while the pointer is down on it,
    // so text in the row's fields can still be selected with the mouse.

    let armed = null; // the row under a pressed handle
    let dragged = null;

    function onPointerdown(event) {
        const handle = event.target.closest && event.target.closest(".ordering-handle");
        if (handle) {
            armed = handle.closest(ROW);
            armed.draggable = true;
        }
    }

    function onPointerup() {
        if (armed && !dragged) {
            armed.draggable = false; // a click, not a drag
        }
        armed = null;
    }

    function onDragstart(event) {
        const row = event.target.closest && event.target.closest(ROW);
        if (!row || !row.draggable) {
            return;
        }
        dragged = row;
        row.classList.add("ordering-dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", nameOf(row));
    }

    function onDragover(event) {
        if (!dragged) {
            return;
        }
        const group = dragged.closest(".js-inline-admin-formset");
        const target = event.target.closest && event.target.closest(ROW);
        if (!target || !rowsOf(group).includes(target)) {
            return; // only within the row's own list
        }
        event.preventDefault(); // a drop is allowed here
        event.dataTransfer.dropEffect = "move";
        if (target !== dragged) {
            const box = target.getBoundingClientRect();
            place(dragged, target, event.clientY < box.top + box.height / 2);
        }
    }

    function onDrop(event) {
        if (dragged) {
            event.preventDefault();
        }
    }

    function onDragend() {
        if (!dragged) {
            return;
        }
        const row = dragged;
        dragged = armed = null;
        row.draggable = false;
        row.classList.remove("ordering-dragged");
        moved(row, row.closest(".js-inline-admin-formset"));
        row.querySelector(".ordering-handle").focus();
    }

    // Django's inlines ---------------------------------------------------------------------

    function onAdded(event) {
        const row = event.target;
        const group = row.closest(".js-inline-admin-formset");
        if (group && row.querySelector(POSITION)) {
            row.dataset.orderingSaved = "false";
            addControls(row, group);
            nameControls(row);
        }
    }

    // Removing a row added on the page renumbers every row's fields in the order shown
    // (inlines.js), which could give a saved row the number of a new one: the saved rows
    // must keep the first numbers, as the server reads them. Put them back once Django is done.
    function onRemoved(event) {
        const prefix = event.detail && event.detail.formsetName;
        const group = prefix && document.getElementById(`${prefix}-group`);
        if (group && group.querySelector(POSITION)) {
            queueMicrotask(() => renumberForms(group, prefix));
        }
    }

    function renumberForms(group, prefix) {
        const rows = rowsOf(group);
        const saved = rows.filter((row) => row.dataset.orderingSaved === "true");
        const added = rows.filter((row) => row.dataset.orderingSaved !== "true");
        const index = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+|__prefix__)`);
        [...saved, ...added].forEach((row, number) => {
            for (const element of [row, ...row.querySelectorAll("[id], [name], [for]")]) {
                for (const attribute of ["id", "name", "for"]) {
                    const value = element.getAttribute(attribute);
                    if (value) {
                        element.setAttribute(attribute, value.replace(index, `${prefix}-${number}`));
                    }
                }
            }
        });
    }

    function setUp(group) {
        const prefix = prefixOf(group);
        const initial = document.getElementById(`id_${prefix}-INITIAL_FORMS`);
        const savedCount = initial ? parseInt(initial.value, 10) : 0;
        const rows = rowsOf(group);
        rows.forEach((row, index) => {
            row.dataset.orderingSaved = String(index < savedCount);
        });
        // A form sent back with an error lists its rows in the order of their fields, not as
        // the editor had them: show them by their positions again (those left without one last).
        const positionOf = (row) => {
            const value = row.querySelector(POSITION).value;
            return value !== "" && Number.isFinite(Number(value)) ? Number(value) : Infinity;
        };
        const sorted = [...rows].sort((a, b) => positionOf(a) - positionOf(b));
        if (sorted.some((row, index) => row !== rows[index])) {
            const last = rows[rows.length - 1];
            const [parent, end] = [last.parentElement, last.nextElementSibling];
            for (const row of sorted) {
                for (const element of withErrors(row)) {
                    parent.insertBefore(element, end);
                }
            }
        }

        const help = document.createElement("p");
        help.id = `${prefix}-ordering-help`;
        help.className = "help ordering-help";
        help.textContent =
            "Drag a row by its ⠿ handle to change its place, or use its ↑ and ↓ buttons, or " +
            "focus the handle and press the up and down arrow keys (Home and End: first and " +
            "last place). The order shown is the order saved.";
        const heading = group.querySelector(".inline-heading");
        (heading.closest("summary") || heading).after(help);

        // The empty form too: rows added from it are its clones.
        for (const row of allRowsOf(group)) {
            addControls(row, group);
            nameControls(row);
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        const groups = [...document.querySelectorAll(".js-inline-admin-formset")].filter((group) =>
            group.querySelector(POSITION),
        );
        if (!groups.length) {
            return;
        }
        groups.forEach(setUp);
        document.body.append(status);
        document.addEventListener("keydown", onKeydown);
        document.addEventListener("click", onClick);
        document.addEventListener("pointerdown", onPointerdown);
        document.addEventListener("pointerup", onPointerup);
        document.addEventListener("dragstart", onDragstart);
        document.addEventListener("dragover", onDragover);
        document.addEventListener("drop", onDrop);
        document.addEventListener("dragend", onDragend);
        document.addEventListener("formset:added", onAdded);
        document.addEventListener("formset:removed", onRemoved);
    });
}

/*
 * Follows a spreadsheet import while it is checked or imported, without reloading the page.
 *
 * The job page (members/admin/import_job.html) holds a <progress> element, a status line
 * (role="status", so screen readers announce each change politely) and a refresh link that
 * works without JavaScript. This script asks the job's status URL (JSON) every few seconds,
 * moves the bar and rewrites the line; when the job stops running it says the result and
 * loads the page again, which shows the full result: the summary, or every problem by row.
 */
(function () {
    "use strict";

    var box = document.querySelector("[data-import-status-url]");
    if (!box || !window.fetch) {
        return;
    }
    var url = box.getAttribute("data-import-status-url");
    var bar = box.querySelector("progress");
    var line = box.querySelector("[role=status]");
    var delay = 1500;
    var failures = 0;

    function show(status) {
        if (status.total_rows > 0) {
            bar.max = status.total_rows;
            bar.value = Math.min(status.processed_rows, status.total_rows);
            bar.textContent = status.processed_rows + " of " + status.total_rows + " rows";
        }
        if (line.textContent !== status.message) {
            line.textContent = status.message;
        }
    }

    function poll() {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("status " + response.status);
                }
                return response.json();
            })
            .then(function (status) {
                failures = 0;
                show(status);
                if (status.running) {
                    delay = Math.min(delay + 500, 5000);
                    window.setTimeout(poll, delay);
                } else {
                    // Give the result a moment to be read out, then show it in full.
                    window.setTimeout(function () {
                        window.location.reload();
                    }, 1500);
                }
            })
            .catch(function () {
                failures += 1;
                if (failures >= 5) {
                    line.textContent =
                        "We could not check on the job just now. Use the refresh link to see how far it has got.";
                    return;
                }
                window.setTimeout(poll, 5000);
            });
    }

    window.setTimeout(poll, delay);
})();

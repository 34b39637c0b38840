// Live progress of a planning run: polls the run's progress.json every second, updates the
// status text and draws the preference of the best plan so far and the proven bound over time.
// Loaded with defer from templates/planning/run.html; the CSP allows no inline script.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var POLL_MS = 1000;
  var W = 640, H = 260, LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 36;

  var root = document.getElementById("run-progress");
  if (!root) { return; }
  var chart = document.getElementById("progress-chart");
  var labels = root.dataset;
  var timeLimit = Number(labels.timeLimit) || 30;

  function text(id, value) {
    var element = document.getElementById(id);
    if (element) { element.textContent = value; }
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function svg(name, attributes, content) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (content !== undefined) { element.textContent = content; }
    return element;
  }

  function isNumber(value) { return typeof value === "number" && isFinite(value); }

  var drawn = "";

  function draw(points, elapsed) {
    // Redraw only when the picture changes; data-updates counts the changes (tests wait on it).
    var last = Math.max(points.length ? points[points.length - 1].t : 0, elapsed || 0);
    var picture = points.length + ":" + last.toFixed(1);
    if (picture === drawn) { return; }
    drawn = picture;
    chart.setAttribute("data-updates", String(Number(chart.getAttribute("data-updates") || 0) + 1));
    var old = chart.querySelector("g.plot");
    if (old) { chart.removeChild(old); }
    var plot = svg("g", { "class": "plot" });
    chart.appendChild(plot);

    var found = points.filter(function (p) { return isNumber(p.preference); });
    // A bound below the plan's own value proves nothing about a maximized term: left out.
    var bounds = points.filter(function (p) {
      return isNumber(p.preference_bound) && !(isNumber(p.preference) && p.preference_bound < p.preference);
    });
    // While the solver works the lines reach to now (last), so the chart grows between reports.
    var xMax = Math.max(timeLimit, last, 1);
    var values = found.map(function (p) { return p.preference; })
      .concat(bounds.map(function (p) { return p.preference_bound; }));
    var yMin = values.length ? Math.min.apply(null, values) : 0;
    var yMax = values.length ? Math.max.apply(null, values) : 1;
    if (yMax === yMin) { yMax += 1; yMin -= 1; }
    var pad = (yMax - yMin) * 0.08;
    yMin -= pad; yMax += pad;

    function x(t) { return LEFT + (t / xMax) * (W - LEFT - RIGHT); }
    function y(v) { return TOP + (1 - (v - yMin) / (yMax - yMin)) * (H - TOP - BOTTOM); }

    plot.appendChild(svg("line", { "class": "axis", x1: LEFT, y1: H - BOTTOM, x2: W - RIGHT, y2: H - BOTTOM }));
    plot.appendChild(svg("line", { "class": "axis", x1: LEFT, y1: TOP, x2: LEFT, y2: H - BOTTOM }));
    [0, xMax / 2, xMax].forEach(function (t) {
      plot.appendChild(svg("text", { "class": "tick", x: x(t), y: H - BOTTOM + 18, "text-anchor": "middle" },
        format(labels.labelSeconds, { n: Math.round(t * 10) / 10 })));
    });
    if (values.length) {
      [yMin + pad, yMax - pad].forEach(function (v) {
        plot.appendChild(svg("text", { "class": "tick", x: LEFT - 6, y: y(v) + 4, "text-anchor": "end" },
          String(Math.round(v))));
        plot.appendChild(svg("line", { "class": "grid", x1: LEFT, y1: y(v), x2: W - RIGHT, y2: y(v) }));
      });
    }

    // Step lines: a value holds until the solver reports the next one.
    function steps(series, key) {
      return series.map(function (p, i) {
        var head = (i === 0 ? "M" : "H") + x(p.t).toFixed(1);
        return head + (i === 0 ? "," : " V") + y(p[key]).toFixed(1);
      }).join(" ") + (series.length ? " H" + x(last).toFixed(1) : "");
    }
    if (bounds.length) {
      plot.appendChild(svg("path", { "class": "line-bound", d: steps(bounds, "preference_bound") }));
    }
    if (found.length) {
      plot.appendChild(svg("path", { "class": "line-preference", d: steps(found, "preference") }));
    }
    found.forEach(function (p) {
      var dot = svg("circle", { "class": "dot-preference", cx: x(p.t).toFixed(1), cy: y(p.preference).toFixed(1), r: 3.5 });
      dot.appendChild(svg("title", {}, labels.labelPreference + ": " + p.preference + " · " +
        format(labels.labelSeconds, { n: p.t.toFixed(1) })));
      plot.appendChild(dot);
    });
    chart.setAttribute("data-points", String(found.length));
  }

  function show(data) {
    var status = document.getElementById("run-status");
    if (status) {
      status.textContent = data.status_label;
      status.className = "badge run-" + data.status;
    }
    text("run-phase", data.phase_label || data.phase || "–");
    text("run-elapsed", String(Math.round(data.elapsed_s || 0)));
    var message = document.getElementById("run-message");
    if (message) {
      message.textContent = data.message || "";
      message.classList.toggle("is-hidden", !data.message);
    }
    var points = data.points || [];
    var latest = null;
    for (var i = points.length - 1; i >= 0; i -= 1) {
      if (isNumber(points[i].coverage)) { latest = points[i]; break; }
    }
    text("run-coverage", latest
      ? format(labels.labelCoverage, {
        n: latest.coverage,
        bound: isNumber(latest.coverage_bound) ? latest.coverage_bound : "?"
      })
      : labels.labelNoCoverage);
    text("run-preference", latest && isNumber(latest.preference)
      ? format(labels.labelPreferenceNow, {
        n: latest.preference,
        bound: isNumber(latest.preference_bound) && latest.preference_bound >= latest.preference
          ? latest.preference_bound : "?"
      })
      : "–");
    draw(points, data.is_active ? data.elapsed_s : 0);
    var link = document.getElementById("draft-link");
    if (link && data.draft_url) {
      link.setAttribute("href", data.draft_url);
      link.classList.remove("is-hidden");
    }
    if (!data.is_active) {
      var cancel = document.getElementById("cancel-form");
      if (cancel) { cancel.classList.add("is-hidden"); }
      root.setAttribute("data-final", data.status);
    }
  }

  function poll() {
    fetch(labels.progressUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.is_active) { window.setTimeout(poll, POLL_MS); }
      })
      .catch(function () {
        text("run-phase", labels.labelPollFailed);
        window.setTimeout(poll, POLL_MS * 3);
      });
  }

  poll();
}());

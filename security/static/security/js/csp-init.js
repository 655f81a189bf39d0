/*
 * Starts the Wagtail admin widgets that Wagtail 8 starts with inline <script> tags
 * (date and time pickers, inline panels, choosers), which our Content Security Policy blocks.
 * Our copies of those templates (security/templates/wagtailadmin/) leave a hidden
 * <span data-csp-init="..." data-csp-config="{json}"> instead; this finds them on load
 * and whenever the admin adds a form to the page (an inline panel's "Add" button).
 */
(function () {
  'use strict';

  var starters = {
    date: function (el, config) { window.initDateChooser(el.dataset.cspTarget, config); },
    time: function (el, config) { window.initTimeChooser(el.dataset.cspTarget, config); },
    datetime: function (el, config) { window.initDateTimeChooser(el.dataset.cspTarget, config); },
    'inline-panel': function (el, config) { return new window.InlinePanel(config); },
    'multiple-chooser-panel': function (el, config) { return new window.MultipleChooserPanel(config); },
    // The workflow task chooser (security/csp_widgets.py): Wagtail's inline script is this call.
    'task-chooser': function (el) { window.createTaskChooser(el.dataset.cspTarget); },
    // Choosers (security/csp_widgets.py): PageChooser, ImageChooser, Chooser, ...
    chooser: function (el, config) {
      var name = el.dataset.cspConstructor;
      if (/^[A-Za-z]*Chooser$/.test(name) && typeof window[name] === 'function') {
        return new window[name](el.dataset.cspTarget, config);
      }
      return null;
    },
  };

  function start(el) {
    if (el.dataset.cspStarted) return;
    el.dataset.cspStarted = 'true';
    var starter = starters[el.dataset.cspInit];
    if (starter) starter(el, el.dataset.cspConfig ? JSON.parse(el.dataset.cspConfig) : {});
  }

  function startWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches('[data-csp-init]')) start(node);
    node.querySelectorAll('[data-csp-init]').forEach(start);
  }

  function ready() {
    startWithin(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) { mutation.addedNodes.forEach(startWithin); });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();

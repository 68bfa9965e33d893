// The query page: YASGUI (vendored by tools/vendor_yasgui.sh) over this server's /sparql, with
// every named question (queries/*.rq, parameters bound to their defaults) preloaded as a tab,
// and a picker that shows each question's description and opens its tab. A file of its own,
// not inline script, so the page keeps its Content-Security-Policy.
(function () {
  "use strict";
  var questions = JSON.parse(document.getElementById("questions").textContent);
  var picker = document.getElementById("question");
  var description = document.getElementById("description");
  var endpoint = new URL("/sparql", window.location.href).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,          // always the questions as shipped, not a stale copy in localStorage
    populateFromUrl: false,
    autoAddOnInit: false,
  });
  var tabOf = [];
  var questionOf = {};
  questions.forEach(function (q, i) {
    var tab = yasgui.addTab(i === 0, {
      name: q.title,
      yasqe: { value: q.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
    tabOf.push(tab.getId());
    questionOf[tab.getId()] = i;
  });
  // tabs a previous version of the page may have left behind go
  Object.keys(yasgui._tabs).forEach(function (id) {
    if (!(id in questionOf)) { yasgui.getTab(id).close(); }
  });
  function show(i) {
    picker.value = String(i);
    description.textContent = questions[i].question;
  }
  picker.addEventListener("change", function () {
    var i = Number(picker.value);
    yasgui.selectTabId(tabOf[i]);
    show(i);
  });
  yasgui.on("tabSelect", function (_, id) {
    if (id in questionOf) { show(questionOf[id]); } else { description.textContent = ""; }
  });
  if (tabOf.length) { yasgui.selectTabId(tabOf[0]); show(0); }
  window.budgetkgYasgui = yasgui;   // for the browser test and the curious
})();

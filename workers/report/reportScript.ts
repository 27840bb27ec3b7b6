/**
 * The report's only script, inlined and allowed by its hash in the page's
 * Content-Security-Policy: sortable tables and the findings filters. It reads
 * the DOM the page already holds (no data in the script, no eval, no network),
 * so without it the page still shows everything, unsorted and unfiltered.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var key = cell.getAttribute('data-sort');
    return key !== null ? key : cell.textContent || '';
  }
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var table = document.getElementById('findings-table');
  if (!table) return;
  var severity = document.getElementById('filter-severity');
  var state = document.getElementById('filter-state');
  var text = document.getElementById('filter-text');
  var count = document.getElementById('filter-count');
  function apply() {
    var wantedSeverity = severity.value, wantedState = state.value, needle = text.value.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var rowState = row.getAttribute('data-state');
      var stateOk = wantedState === 'all' || (wantedState === 'unresolved' ? rowState === 'new' || rowState === 'open' || rowState === 'returned' : rowState === wantedState);
      var ok = stateOk && (wantedSeverity === 'all' || row.getAttribute('data-severity') === wantedSeverity) && (needle === '' || (row.textContent || '').toLowerCase().indexOf(needle) !== -1);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' findings shown';
  }
  [severity, state].forEach(function (el) { el.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  apply();
})();
`;

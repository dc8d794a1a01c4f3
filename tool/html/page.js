// The kstack HTML report: draws the page from the data kstack embedded in it
// (tool/report_html.cc documents its layout). No library and no network.
//
// The entry table is drawn as one string of rows, PAGE rows at first, so a
// kernel's 1,500 entries draw in one layout; the worst path of the entry
// picked (the deepest, or the one the address names: #entry=NAME) is drawn
// as an icicle, where each step is a box from the stack in use when it is
// called to the deepest point below it, its own frame coloured, and as a
// table of steps.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('kstack-data').textContent);
  const files = data.files;
  const functions = data.functions;  // [name, file, line, frame, depth, complete, assumed]
  const entries = data.entries;
  const PAGE = 300;  // entry rows drawn before "show all"
  const numbers = new Intl.NumberFormat('en-US');

  const $ = (id) => document.getElementById(id);
  const fmt = (n) => numbers.format(n);
  const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const bytes = (n, complete) => (complete ? '' : '\u2265 ') + fmt(n);
  const name = (f) => functions[f][0];
  const statusClass = (status) => status.replace(/ /g, '-');
  const plural = (n, noun) => fmt(n) + ' ' + noun + (n === 1 ? '' : 's');

  // Where FILE:LINE links: the --source-link template, else the file itself.
  function href(file, line) {
    const path = encodeURI(files[file]).replace(/[#?]/g, encodeURIComponent);
    if (data.link) return data.link.split('{file}').join(path).split('{line}').join(String(line));
    return (files[file].startsWith('/') ? 'file://' : '') + path;
  }

  function where(file, line) {
    if (file < 0) return '';
    const text = files[file] + (line ? ':' + line : '');
    return '<a href="' + esc(href(file, line)) + '">' + esc(text).replace(/\//g, '/<wbr>') + '</a>';
  }

  // Warm colours by name, so one function keeps its colour across paths.
  function hue(text) {
    let h = 0;
    for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return 8 + (Math.abs(h) % 44);
  }

  // A scale's ticks: about five, at 1, 2 or 5 times a power of ten.
  function ticks(max) {
    const rough = max / 5;
    const power = Math.pow(10, Math.floor(Math.log10(Math.max(rough, 1))));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) || power;
    const out = [];
    for (let t = 0; t <= max; t += step) out.push(t);
    return out;
  }

  function summary() {
    const s = data.summary;
    const parts = [
      '<b>' + fmt(s.entries) + '</b> entry point' + (s.entries === 1 ? '' : 's'),
      '<b' + (s.over_budget ? ' class="over"' : '') + '>' + fmt(s.over_budget) + '</b> over budget',
      '<b>' + fmt(s.incomplete) + '</b> with a lower bound only',
    ];
    if (s.accepted) parts.push('<b>' + fmt(s.accepted) + '</b> accepted');
    parts.push(fmt(s.functions) + ' functions in ' + fmt(s.units) + ' units, ' + fmt(s.calls) +
               ' calls');
    $('summary').innerHTML = parts.join(' \u00b7 ');
  }

  // ---- The entry table.

  const scale = entries.reduce((max, e) => Math.max(max, e.depth, e.budget || 0), 1);
  let visible = entries.map((_, i) => i);
  let limit = PAGE;
  let picked = -1;
  let query = '';

  function headroom(e) {
    if (e.budget === null) return ['\u2013', ''];
    const left = e.budget - e.depth;
    if (left < 0) return ['\u2212' + fmt(-left), ' neg'];
    return [(e.complete ? '' : '\u2264 ') + fmt(left), ''];
  }

  // Over budget or accepted; a lower bound shows as its '≥' and its bar.
  function badge(e) {
    if (e.status === 'ok' || (e.status === 'incomplete' && !e.accepted)) return '';
    const text = e.status === 'incomplete' ? 'lower bound' : e.status.replace(/-/g, ' ');
    return '<span class="status ' + (e.accepted ? 'accepted' : statusClass(e.status)) + '">' +
           esc(text) + (e.accepted ? ', accepted' : '') + '</span>';
  }

  function bar(e) {
    const status = e.accepted ? 'ok' : statusClass(e.status);
    let html = '<div class="bar" title="' + esc(bytes(e.depth, e.complete)) + ' bytes' +
               (e.budget === null ? '' : ' of a budget of ' + fmt(e.budget)) + '">' +
               '<div class="fill ' + status + '" data-bytes="' + e.depth + '" style="width:' +
               (100 * e.depth / scale).toFixed(2) + '%"></div>';
    if (e.budget !== null)
      html += '<div class="limit" data-bytes="' + e.budget + '" style="left:' +
              (100 * e.budget / scale).toFixed(2) + '%"></div>';
    return html + '</div>';
  }

  function entryRow(i) {
    const e = entries[i];
    const f = functions[e.f];
    const [room, roomClass] = headroom(e);
    return '<tr class="entry' + (i === picked ? ' picked' : '') + '" data-i="' + i +
           '" data-function="' + esc(f[0]) + '" data-depth="' + e.depth + '" data-complete="' +
           e.complete + '" data-budget="' + (e.budget === null ? '' : e.budget) +
           '" data-status="' + esc(e.status) + '"><td class="num">' + (i + 1) +
           '</td><td class="fn">' + esc(f[0]) + badge(e) + '<div class="where">' +
           where(f[1], f[2]) + '</div></td><td class="num">' + bytes(e.depth, e.complete) +
           '</td><td class="num">' + (e.budget === null ? '\u2013' : fmt(e.budget)) +
           '</td><td class="num' + roomClass + '">' + room + '</td><td class="bar-cell">' + bar(e) +
           '</td></tr>';
  }

  function drawEntries() {
    const shown = visible.slice(0, limit);
    let rows = shown.map(entryRow).join('');
    if (!shown.length) {
      rows = '<tr><td colspan="6" class="empty">' + (entries.length
        ? 'No worst path goes through a function or file whose name contains \u201c' +
          esc($('search').value.trim()) + '\u201d.'
        : 'No entry points: nothing matched --entry, or the program has no functions.') +
        '</td></tr>';
    }
    $('entries').tBodies[0].innerHTML = rows;
    const more = $('more');
    more.hidden = visible.length <= limit;
    more.textContent = 'Show all ' + plural(visible.length, 'entry point');
    $('matches').textContent = query
      ? fmt(visible.length) + ' of ' + plural(entries.length, 'entry point')
      : plural(entries.length, 'entry point');
  }

  // ---- Search: an entry matches when a function or a file of its worst path
  // (its own, a step's, a call site's) contains the text, in any case.

  let haystacks = null;
  function haystack(i) {
    const e = entries[i];
    const parts = [name(e.f), files[functions[e.f][1]] || ''];
    for (const step of e.path) {
      parts.push(name(step[0]), files[functions[step[0]][1]] || '', files[step[4]] || '');
    }
    return parts.join('\n').toLowerCase();
  }

  function stepMatches(step) {
    if (!query) return false;
    const f = functions[step[0]];
    return [f[0], files[f[1]] || '', files[step[4]] || ''].some(
        (text) => text.toLowerCase().includes(query));
  }

  function search(text) {
    query = text.trim().toLowerCase();
    if (query && !haystacks) haystacks = entries.map((_, i) => haystack(i));
    visible = entries.map((_, i) => i).filter((i) => !query || haystacks[i].includes(query));
    limit = PAGE;
    drawEntries();
    drawFrames();
    // The path shown is one the search matches: the picked entry's if it
    // still is, else the first match's.
    if (visible.length && !visible.includes(picked)) pick(visible[0], false);
    else if (picked >= 0) pick(picked, false);
  }

  // ---- The worst path of one entry.

  function icicle(e) {
    const path = e.path;
    // The budget is on the scale unless it is far beyond the path, which
    // would leave the boxes too narrow to read: then it is an arrow.
    const budgetShown = e.budget !== null && e.budget <= 1.5 * e.depth;
    const max = Math.max(1, e.depth, budgetShown ? e.budget : 0);
    const pct = (n) => (100 * n / max).toFixed(3) + '%';
    // Each step's box reaches the deepest point of the path below it.
    const deepest = new Array(path.length);
    for (let k = path.length - 1, low = 0; k >= 0; k--) {
      low = Math.max(low, path[k][3]);
      deepest[k] = low;
    }
    // No tick under the budget's label.
    const clear = (t) => e.budget === null || Math.abs(t - Math.min(e.budget, max)) > 0.18 * max;
    let html = '<div class="axis">' + ticks(max).filter(clear).map((t) =>
        '<span class="tick" style="left:' + pct(t) + '">' + fmt(t) + '</span>').join('') + '</div>';
    if (budgetShown)
      html += '<div class="budget-line' + (e.budget > 0.8 * max ? ' left' : '') + '" style="left:' +
              pct(e.budget) + '"><span>budget ' + fmt(e.budget) + '</span></div>';
    else if (e.budget !== null)
      html += '<div class="budget-beyond">budget ' + fmt(e.budget) + ' \u2192</div>';
    path.forEach((step, k) => {
      const [f, frame, redZone, stack, , , , , recursion] = step;
      const before = stack - frame - redZone;
      const width = Math.max(deepest[k] - before, 1);
      const h = hue(name(f));
      const title = name(f) + ': frame ' + fmt(frame) + (redZone ? ' + red zone ' + fmt(redZone) : '') +
                    ', ' + fmt(before) + ' bytes in use above it, ' + fmt(stack) + ' with it' +
                    (recursion ? ', then ' + fmt(recursion) + ' for its other activations' : '');
      const part = (cls, from, size, style) => '<div class="' + cls + '" style="left:' +
          (100 * from / width).toFixed(3) + '%;width:' + (100 * size / width).toFixed(3) + '%' +
          (style || '') + '"></div>';
      html += '<div class="ice-row" data-step="' + k + '"><div class="ice' + (functions[f][6] ? ' assumed' : '') +
              (stepMatches(step) ? ' hit' : '') + '" title="' + esc(title) +
              '" style="left:' + pct(before) + ';width:' + pct(width) + ';background:hsl(' + h +
              ',80%,90%)">' + part('own', 0, frame, ';background:hsl(' + h + ',85%,64%)') +
              (redZone ? part('red-zone', frame, redZone) : '') +
              (recursion ? part('recursion', frame + redZone, recursion,
                                ';--hue:' + h) : '') +
              '</div><span class="label" style="' +
              // Near the right edge a label ends where its box starts.
              (before > 0.7 * max ? 'right:' + (100 - 100 * before / max).toFixed(3) + '%' :
                                    'left:' + pct(before)) + '">' + esc(name(f)) + ' ' +
              fmt(frame) + (recursion ? ' (+' + fmt(recursion) + ' recursing)' : '') +
              '</span></div>';
    });
    return html;
  }

  function stepRow(step, k) {
    const [f, frame, , stack, callFile, callLine, how, note] = step;
    const fn = functions[f];
    const assumed = fn[6] ? ' <span class="assumed-mark">assumed' +
                    (fn[1] >= 0 ? ' at ' + where(fn[1], fn[2]) : '') + '</span>' : '';
    const defined = fn[6] ? '' : '<div class="where">' + where(fn[1], fn[2]) + '</div>';
    return '<tr class="step' + (stepMatches(step) ? ' hit' : '') + '" data-function="' +
           esc(fn[0]) + '" data-frame="' + frame + '" data-stack="' + stack + '"><td class="num">' +
           (k + 1) + '</td><td class="fn">' + esc(fn[0]) + assumed + defined +
           '</td><td class="num">' + fmt(frame) + '</td><td class="num">' + fmt(stack) +
           '</td><td class="where">' + where(callFile, callLine) + '</td><td class="how">' +
           esc([how, note].filter(Boolean).join('; ')) + '</td></tr>';
  }

  function verdict(e) {
    let text = 'Worst case ' + bytes(e.depth, e.complete) + ' bytes' +
               (e.complete ? '' : ' (a lower bound)');
    if (e.budget !== null) {
      text += ' against a budget of ' + fmt(e.budget) +
              (e.budget_from ? ' (' + e.budget_from + ')' : '');
      const left = e.budget - e.depth;
      text += left < 0 ? ': ' + fmt(-left) + ' over' :
                         ': ' + (e.complete ? '' : 'at most ') + fmt(left) + ' left';
    }
    return text;
  }

  function drawDetail(i) {
    const e = entries[i];
    const f = functions[e.f];
    let html = '<h2>' + esc(f[0]) + badge(e) + '</h2><div class="where">' +
               (f[1] >= 0 ? 'defined at ' + where(f[1], f[2]) : '') + '</div>' +
               '<p class="verdict ' + (e.accepted ? 'ok' : statusClass(e.status)) + '">' +
               esc(verdict(e)) + '</p>';
    if (e.accepted) html += '<p class="note">Accepted: ' + esc(e.accepted) + '</p>';
    html += '<div id="icicle">' + icicle(e) + '</div>';
    html += '<h3>Worst path: ' + fmt(e.path.length) + (e.path.length === 1 ? ' function' : ' functions') +
            '</h3><table id="path"><thead><tr><th class="num">#</th><th>function</th>' +
            '<th class="num">frame</th><th class="num">stack</th><th>called at</th><th>how</th>' +
            '</tr></thead><tbody>' + e.path.map(stepRow).join('') + '</tbody></table>';
    if (!e.complete) {
      html += '<div id="reasons"><h3>Why the bound is a lower bound</h3><ul>' +
              e.reasons.map((r) => '<li>' + esc(r) + '</li>').join('') +
              (e.more_reasons ? '<li>and more</li>' : '') + '</ul></div>';
    }
    const detail = $('detail');
    detail.innerHTML = html;
    detail.dataset.entry = f[0];
    // A box of the icicle points at its row of the table.
    $('icicle').addEventListener('click', (event) => {
      const box = event.target.closest('.ice-row');
      if (!box) return;
      const row = $('path').tBodies[0].rows[Number(box.dataset.step)];
      const old = $('path').querySelector('tr.focus');
      if (old) old.classList.remove('focus');
      row.classList.add('focus');
      row.scrollIntoView({ block: 'nearest' });
    });
  }

  function pick(i, scroll) {
    if (i < 0 || i >= entries.length) return;
    const old = document.querySelector('#entries tr.picked');
    if (old) old.classList.remove('picked');
    picked = i;
    const row = document.querySelector('#entries tr[data-i="' + i + '"]');
    if (row) {
      row.classList.add('picked');
      if (scroll) row.scrollIntoView({ block: 'nearest' });
    }
    drawDetail(i);
  }

  // The address keeps what the page shows, to be shared or reloaded:
  // #entry=NAME&search=TEXT.
  function address() {
    const params = new URLSearchParams(location.hash.slice(1));
    return { entry: params.get('entry'), search: params.get('search') || '' };
  }

  function remember() {
    const params = new URLSearchParams();
    if (picked >= 0) params.set('entry', name(entries[picked].f));
    if (query) params.set('search', $('search').value.trim());
    history.replaceState(null, '', '#' + params.toString());
  }

  function followAddress() {
    const wanted = address();
    if (wanted.search.trim().toLowerCase() !== query) {
      $('search').value = wanted.search;
      search(wanted.search);
    }
    const i = wanted.entry === null ? -1 : entries.findIndex((e) => name(e.f) === wanted.entry);
    if (i >= 0) return pick(i, true);
    if (visible.length) pick(visible[0], false);
  }

  // ---- The tables below.

  function drawFrames() {
    const rows = data.frames.filter((f) => !query ||
        [name(f), files[functions[f][1]] || ''].some((t) => t.toLowerCase().includes(query)));
    $('frames').tBodies[0].innerHTML = rows.map((f) => {
      const fn = functions[f];
      return '<tr data-function="' + esc(fn[0]) + '"><td class="num">' + fmt(fn[3]) +
             '</td><td class="num">' + bytes(fn[4], fn[5]) + '</td><td class="fn">' + esc(fn[0]) +
             '</td><td class="where">' + where(fn[1], fn[2]) + '</td></tr>';
    }).join('');
  }

  function drawUnknowns() {
    const section = $('unknowns-section');
    section.hidden = data.unknowns.length === 0;
    $('unknowns').tBodies[0].innerHTML = data.unknowns.map(([symbol, sites, caller]) =>
        '<tr><td class="fn">' + esc(symbol) + '</td><td class="num">' + fmt(sites) +
        '</td><td class="fn">' + esc(name(caller)) + '</td></tr>').join('');
  }

  // ---- Events.

  $('entries').addEventListener('click', (event) => {
    if (event.target.closest('a')) return;
    const row = event.target.closest('tr[data-i]');
    if (!row) return;
    const i = Number(row.dataset.i);
    pick(i, false);
    remember();
  });
  $('more').addEventListener('click', () => {
    limit = Infinity;
    drawEntries();
  });
  let typing = 0;
  $('search').addEventListener('input', (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      search(event.target.value);
      remember();
    }, 120);
  });
  window.addEventListener('hashchange', followAddress);
  document.addEventListener('keydown', (event) => {
    if (event.target.tagName === 'INPUT' || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp'))
      return;
    const at = visible.indexOf(picked);
    const next = visible[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next === undefined || visible.indexOf(next) >= limit) return;
    event.preventDefault();
    pick(next, true);
    remember();
  });

  summary();
  drawEntries();
  drawFrames();
  drawUnknowns();
  followAddress();
  // How long the page took to become readable, for bench/html_report.py:
  // from navigation to the first full layout.
  void document.body.offsetHeight;
  document.body.dataset.renderMs = performance.now().toFixed(0);
})();

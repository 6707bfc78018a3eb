// Trendline's dashboard page: follows /events (Server-Sent Events) and draws the rankings with
// Apache ECharts (SVG, so what is drawn is in the page). Text from the topic is only ever set as
// text, never as markup.
'use strict';

(function () {
  var SERIES = 10; // keywords drawn in the line chart: the current top ones
  var DISCONNECTED_MS = 5000; // no status for this long: the stream to the dashboard is lost
  var RETRY_MS = 3000; // after the dashboard refused the stream (an HTTP error), try again

  var snapshot = null; // settings from the dashboard
  var rankings = []; // oldest first, by batch time
  var status = null;
  var lastEventAt = 0;
  var refused = false; // the dashboard answered the stream with an HTTP error
  var num = new Intl.NumberFormat();

  // For measuring: when each batch was drawn (ms since the epoch), by batch time.
  var rendered = {};
  var undrawn = []; // batch times received since the last drawing
  window.trendline = {
    rendered: rendered,
    batchTimes: function () { return rankings.map(function (r) { return r.batchTime; }); },
    // When the dashboard read each ranking kept (its clock), by batch time.
    arrivals: function () {
      var a = {};
      rankings.forEach(function (r) { a[r.batchTime] = r.arrivedAt; });
      return a;
    }
  };

  function $(id) { return document.getElementById(id); }

  var charts = {};
  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init($(id), null, { renderer: 'svg' });
    }
    return charts[id];
  }
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    scheduleDraw(); // the charts' text follows the page's, which follows the window
  });

  // Chart text in pixels, scaled like the page's text (from a laptop to a wall screen).
  function px(scale) {
    return Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * scale);
  }

  function newest() { return rankings.length ? rankings[rankings.length - 1] : null; }

  function add(r) {
    var i = rankings.length;
    while (i > 0 && rankings[i - 1].batchTime > r.batchTime) { i--; }
    if (i > 0 && rankings[i - 1].batchTime === r.batchTime) {
      rankings[i - 1] = r; // the same batch written again (a restarted consumer)
    } else {
      rankings.splice(i, 0, r);
    }
    var from = newest().batchTime - snapshot.historyMs;
    while (rankings.length && rankings[0].batchTime < from) { rankings.shift(); }
    Object.keys(rendered).forEach(function (k) { if (Number(k) < from) { delete rendered[k]; } });
  }

  function time(ms) {
    return new Date(ms).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function seconds(ms) { return (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s'; }

  function changeText(row) {
    if (row.entered) { return 'new in the top'; }
    if (row.change === undefined) { return '–'; }
    return (row.change > 0 ? '+' : row.change < 0 ? '−' : '±') + num.format(Math.abs(row.change));
  }

  function text(el, value) { el.textContent = value; }

  function fillTable(table, rows, withChange) {
    var body = table.tBodies[0];
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (row, i) {
      var tr = document.createElement('tr');
      var cells = [String(i + 1), row.keyword, num.format(row.count)];
      if (withChange) { cells.push(changeText(row)); }
      cells.forEach(function (c, j) {
        var td = document.createElement('td');
        if (j !== 1) { td.className = 'num'; }
        td.textContent = c;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function bars(id, rows, withChange) {
    var el = $(id);
    el.setAttribute('aria-label', rows.length
      ? rows.slice(0, 3).map(function (r) { return r.keyword + ' ' + r.count; }).join(', ')
      : 'No keywords');
    chart(id).setOption({
      animation: false,
      grid: { left: 8, right: px(6), top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', splitLine: { lineStyle: { color: '#2b3642' } }, axisLabel: { color: '#9aa7b4', fontSize: px(0.75) } },
      yAxis: {
        type: 'category', inverse: true, data: rows.map(function (r) { return r.keyword; }),
        axisLabel: { color: '#e6edf3', fontSize: px(0.9) }
      },
      series: [{
        type: 'bar', data: rows.map(function (r) { return r.count; }),
        itemStyle: { color: id === 'totals' ? '#a371f7' : '#4fc3f7' },
        label: {
          show: true, position: 'right', color: '#e6edf3', fontSize: px(0.8),
          formatter: function (p) {
            var r = rows[p.dataIndex];
            var c = withChange ? changeText(r) : '';
            return num.format(r.count) + (c && c !== '–' ? '  (' + c + ')' : '');
          }
        }
      }]
    }, true);
  }

  function lines(latest) {
    var keywords = latest.top.slice(0, SERIES).map(function (r) { return r.keyword; });
    var series = keywords.map(function (k) {
      var points = 0;
      var data = rankings.map(function (r) {
        var count = null;
        for (var i = 0; i < r.top.length; i++) {
          if (r.top[i].keyword === k) { count = r.top[i].count; points++; break; }
        }
        return [r.batchTime, count];
      });
      // A keyword new in the top has a point or two: drawn as dots until it has a line.
      return { name: k, type: 'line', showSymbol: points < 3, connectNulls: false, data: data };
    });
    $('lines').setAttribute('aria-label', 'Counts of ' + keywords.join(', ') + ' since ' +
      (rankings.length ? time(rankings[0].batchTime) : '–'));
    chart('lines').setOption({
      animation: false,
      legend: { type: 'scroll', top: 0, textStyle: { color: '#e6edf3', fontSize: px(0.85) } },
      // Text tooltips: a keyword is never markup.
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 8, right: 16, top: px(2.5), bottom: 8, containLabel: true },
      xAxis: { type: 'time', axisLabel: { color: '#9aa7b4', fontSize: px(0.75) }, splitLine: { show: false } },
      yAxis: { type: 'value', axisLabel: { color: '#9aa7b4', fontSize: px(0.75) }, splitLine: { lineStyle: { color: '#2b3642' } } },
      series: series
    }, true);
  }

  function clear() {
    document.body.removeAttribute('data-batch-time');
    Object.keys(charts).forEach(function (k) { charts[k].clear(); });
    ['table', 'totals-table'].forEach(function (id) { fillTable($(id), [], false); });
    ['bars-sub', 'processing', 'records', 'keys', 'window', 'age'].forEach(function (id) { text($(id), '–'); });
    $('totals-panel').hidden = true;
    $('totals-table').hidden = true;
  }

  function draw() {
    var latest = newest();
    if (!latest) { clear(); undrawn = []; return; }
    document.body.setAttribute('data-batch-time', String(latest.batchTime));
    text($('bars-sub'), 'window of ' + seconds(latest.windowMs) + ' at ' + time(latest.batchTime));
    text($('table-caption'), 'Top keywords, window of ' + seconds(latest.windowMs) + ' at ' + time(latest.batchTime));
    text($('processing'), latest.processingMs < 0 ? '–' : num.format(latest.processingMs) + ' ms');
    text($('records'), num.format(latest.total));
    text($('keys'), num.format(latest.keys));
    text($('window'), seconds(latest.windowMs) + ' / ' + seconds(latest.slideMs));
    bars('bars', latest.top, true);
    fillTable($('table'), latest.top, true);
    lines(latest);
    var totals = latest.totals;
    $('totals-panel').hidden = !totals;
    $('totals-table').hidden = !totals;
    if (totals) {
      text($('totals-sub'), num.format(totals.total) + ' records, ' + num.format(totals.keys) + ' keywords');
      bars('totals', totals.top, false);
      fillTable($('totals-table'), totals.top, false);
    }
    var now = Date.now();
    undrawn.forEach(function (t) { rendered[t] = now; });
    undrawn = [];
  }

  // A burst of rankings (a page opened during a catch-up) is drawn once per frame, not once each.
  var drawPending = false;
  function scheduleDraw() {
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(function () { drawPending = false; draw(); });
    }
  }

  function showState() {
    var state, label;
    var reader = status ? status.state : 'connecting';
    document.body.setAttribute('data-reader', reader);
    if (refused) {
      state = 'disconnected';
      label = 'the dashboard refused this page (too many open?), trying again…';
    } else if (Date.now() - lastEventAt > DISCONNECTED_MS) {
      state = 'disconnected';
      label = 'disconnected from the dashboard, reconnecting…';
    } else if (!status) {
      state = 'connecting';
      label = 'connecting…';
    } else if (!newest()) {
      state = 'waiting';
      label = status.state === 'live' ? 'no ranking yet' : status.state;
    } else if (status.stale) {
      state = 'stale';
      label = 'stale: no ranking for ' + seconds(status.ageMs) + (reader === 'live' ? '' : ' (' + reader + ')');
    } else if (reader !== 'live') {
      // Reading back the history (fine), or Kafka lost (not: rankings will stop).
      state = /^(error|cannot|stopped)/.test(reader) ? 'stale' : 'live';
      label = reader;
    } else {
      state = 'live';
      label = 'live';
    }
    document.body.setAttribute('data-state', state);
    text($('state'), label);
    if (status && status.ageMs !== undefined) { text($('age'), seconds(status.ageMs)); }
  }

  function showStatus(s) {
    status = s;
    text($('bad'), num.format(s.badRecords));
    var list = $('warnings-list');
    while (list.firstChild) { list.removeChild(list.firstChild); }
    s.warnings.slice().reverse().forEach(function (w) {
      var li = document.createElement('li');
      li.textContent = time(w.at) + '  ' + w.text;
      list.appendChild(li);
    });
    $('warnings').hidden = s.warnings.length === 0;
    showState();
  }

  function connect() {
    if (!lastEventAt) { lastEventAt = Date.now(); }
    var events = new EventSource('events');
    events.addEventListener('snapshot', function (e) {
      lastEventAt = Date.now();
      refused = false;
      snapshot = JSON.parse(e.data);
      rankings = snapshot.rankings;
      undrawn = rankings.map(function (r) { return r.batchTime; });
      text($('topic'), snapshot.topic);
      text($('lines-span'), 'last ' + Math.round(snapshot.historyMs / 60000) + ' minutes');
      draw();
      showStatus(snapshot.status);
    });
    events.addEventListener('ranking', function (e) {
      lastEventAt = Date.now();
      if (!snapshot) { return; }
      var r = JSON.parse(e.data);
      var latest = !newest() || r.batchTime >= newest().batchTime;
      add(r);
      undrawn.push(r.batchTime);
      if (latest && status) { status.stale = false; status.ageMs = 0; } // it just arrived
      scheduleDraw();
      showState();
    });
    events.addEventListener('status', function (e) {
      lastEventAt = Date.now();
      showStatus(JSON.parse(e.data));
    });
    events.onerror = function () {
      if (events.readyState === EventSource.CLOSED) {
        // Refused with an HTTP error (too many pages, a proxy's 502): browsers give up; we don't.
        refused = true;
        events.close();
        setTimeout(connect, RETRY_MS + Math.random() * RETRY_MS);
      }
      showState();
    };
  }

  setInterval(showState, 1000);
  connect();
})();

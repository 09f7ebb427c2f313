/* global document, window */
// Draws every chart of the page with Chart.js: each <canvas data-chart> carries its spec as JSON
// ({ type, labels, datasets: [{ label, data }] }); the table beside it already has the numbers, so a
// page without scripts (or without Chart.js) loses nothing. A drawn canvas gets data-drawn="true".
(function () {
  'use strict';
  var TONES = { good: '#1d7a3a', warn: '#d08a00', bad: '#b3261e', neutral: '#7d8896' };
  var PALETTE = [
    '#1f5fbf',
    '#e07b00',
    '#1d7a3a',
    '#b3261e',
    '#6b4fbb',
    '#0f8b8d',
    '#8a5a00',
    '#5b6573',
    '#c2185b',
  ];

  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute('data-chart') || '');
    } catch {
      return false;
    }
    var datasets = spec.datasets.map(function (d, i) {
      var colour = PALETTE[i % PALETTE.length];
      var colours = spec.labels.map(function (_, j) {
        var tone = spec.tones && spec.tones[j];
        return tone ? TONES[tone] || TONES.neutral : PALETTE[j % PALETTE.length];
      });
      var toned = Array.isArray(spec.tones) && spec.datasets.length === 1;
      return {
        label: d.label,
        data: d.data,
        backgroundColor: spec.type === 'doughnut' || toned ? colours : colour,
        borderColor: spec.type === 'doughnut' ? '#ffffff' : colour,
        borderWidth: spec.type === 'line' ? 2 : 1,
        fill: false,
      };
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: spec.type === 'doughnut' || spec.datasets.length > 1 } },
        scales: spec.type === 'doughnut' ? {} : { y: { beginAtZero: true } },
      },
    });
    canvas.setAttribute('data-drawn', 'true');
    return true;
  }

  function start() {
    var canvases = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; i++) {
      var canvas = canvases[i];
      var drawn = false;
      if (typeof window.Chart === 'function') {
        try {
          drawn = draw(canvas);
        } catch {
          drawn = false;
        }
      }
      // Without Chart.js the table beside the canvas is the chart.
      if (!drawn && canvas.parentElement) canvas.parentElement.classList.add('unavailable');
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

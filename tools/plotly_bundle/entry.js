'use strict';
// 退役军人驾驶舱 uses only these trace types (grep "type": in dashboard/): scatter (in core), bar, choropleth, scattergeo
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);
module.exports = Plotly;

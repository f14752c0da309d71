// node build.js VERSION OUTFILE — esbuild with plotly.js's own settings (its esbuild-config.js), minified
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const [version, outfile] = process.argv.slice(2);
esbuild.build({
    entryPoints: [__dirname + '/entry.js'], outfile,
    format: 'iife', globalName: 'Plotly', bundle: true, minify: true, sourcemap: false,
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016', logLevel: 'info',
    banner: { js: `/** plotly.js v${version} partial bundle (scatter, bar, choropleth, scattergeo) | MIT license, Copyright 2012-2026 Plotly, Inc. */` },
}).catch(() => process.exit(1));

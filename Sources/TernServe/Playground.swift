/// The browser playground served at `/`: one self-contained page (no build step, no network
/// beyond this server) to type text, pick model, mode and beam and see the translation, and to
/// compare the architectures of a model side by side (`POST /v1/compare`): each mode's output,
/// tokens/s, latency and attention-cache bytes and, when asked, the attention figure of one line
/// (the SVG of `tern compare --svg`: the three attention masks and the cross-attention and
/// prefix-attention heatmaps), inserted inline after dropping anything that could run script.
///
/// `/?q=TEXT` fills the text and translates at once; `&compare=1` also compares, and
/// `&attention=LINE` asks for the figure of line LINE (1-based), so that a headless browser
/// can drive the page from its address alone.
enum Playground {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tern playground</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d232a; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem; }
  .controls { display: flex; gap: .8rem; flex-wrap: wrap; align-items: center; margin: .6rem 0; }
  button { font: inherit; padding: .35rem 1rem; cursor: pointer; }
  pre { background: #f3f5f7; padding: .7rem; white-space: pre-wrap; min-height: 1.5rem; }
  .error { color: #a4161a; }
  table { border-collapse: collapse; margin: .6rem 0; }
  th, td { border-bottom: 1px solid #d5dbe1; padding: .25rem .6rem; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  .outputs th, .outputs td { text-align: left; vertical-align: top; }
  #attention-figure { overflow-x: auto; border: 1px solid #d5dbe1; }
  #attention-figure svg { display: block; }
</style>
</head>
<body>
<h1>Tern playground</h1>
<p>Lines in, translations out, from this server's models.</p>
<textarea id="source" rows="4" aria-label="text to translate">A man in a blue shirt is riding a bike.</textarea>
<div class="controls">
  <label>model <select id="model"></select></label>
  <label>mode <select id="mode"></select></label>
  <label>into <select id="target"></select></label>
  <label>beam <input id="beam" type="number" min="1" max="8" value="1" style="width:4rem"></label>
  <label>API key <input id="key" type="password" placeholder="if the server needs one" style="width:10rem"></label>
  <button id="translate">Translate</button>
  <button id="compare">Compare architectures</button>
  <label><input id="attention" type="checkbox"> with the attention of line
    <input id="attention-line" type="number" min="1" value="1" style="width:3.5rem"></label>
</div>
<pre id="output" data-state="idle"></pre>
<section id="comparison" data-state="idle"></section>
<script>
"use strict";
const $ = id => document.getElementById(id);
let models = [];

function headers() {
  const result = { "Content-Type": "application/json" };
  if ($("key").value) result["Authorization"] = "Bearer " + $("key").value;
  return result;
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

// The selected model's modes, and its target languages (a multilingual model has several).
function fillModes() {
  const named = models.filter(m => m.name === $("model").value);
  $("mode").replaceChildren(...named.map(m => new Option(m.mode, m.mode)));
  $("target").replaceChildren(...(named[0]?.targets ?? []).map(code => new Option(code, code)));
}

function lines() { return $("source").value.split("\n"); }

async function translate() {
  const output = $("output");
  output.dataset.state = "busy";
  output.classList.remove("error");
  try {
    const answer = await post("/v1/translate", { lines: lines(), model: $("model").value, mode: $("mode").value,
                                                 target_language: $("target").value, beam: Number($("beam").value) });
    output.textContent = answer.translations.map(t => t.text).join("\n");
    output.dataset.state = "done";
  } catch (error) {
    output.textContent = error.message;
    output.classList.add("error");
    output.dataset.state = "error";
  }
}

function cell(tag, text) { const element = document.createElement(tag); element.textContent = text; return element; }
function row(tag, values) { const tr = document.createElement("tr"); tr.append(...values.map(v => cell(tag, v))); return tr; }
const bytes = n => n >= 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B";

// The figure's SVG as a node of this page. The server writes it and escapes the tokens in it,
// which are user text; as a second guard nothing that could run script is kept.
function svgNode(markup) {
  const parsed = new DOMParser().parseFromString(markup, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.nodeName !== "svg" || parsed.getElementsByTagName("parsererror").length) throw new Error("the attention figure is not valid SVG");
  for (const element of [...svg.querySelectorAll("script, foreignObject, iframe, a")]) element.remove();
  for (const element of [svg, ...svg.querySelectorAll("*")]) {
    for (const attribute of [...element.attributes]) {
      if (/^on/i.test(attribute.name) || /href$/i.test(attribute.name)) element.removeAttribute(attribute.name);
    }
  }
  return document.importNode(svg, true);
}

async function compare() {
  const section = $("comparison");
  section.dataset.state = "busy";
  try {
    const request = { lines: lines(), model: $("model").value, target_language: $("target").value, beam: Number($("beam").value) };
    if ($("attention").checked) {
      request.attention = true;
      request.line = Number($("attention-line").value);
    }
    const report = await post("/v1/compare", request);
    const summary = document.createElement("table");
    summary.id = "compare-summary";
    summary.append(row("th", ["mode", "tokens/s", "latency p50 ms", "decoder steps", "peak self KV", "peak cross KV", "parameters"]));
    for (const mode of report.modes) {
      summary.append(row("td", [mode.label, mode.tokensPerSecond.toFixed(0), (mode.latencyP50Ms ?? 0).toFixed(2), mode.decoderSteps,
                                bytes(mode.peakSelfCacheBytes), bytes(mode.peakCrossCacheBytes), mode.parameters.toLocaleString("en")]));
    }
    const outputs = document.createElement("table");
    outputs.className = "outputs";
    outputs.append(row("th", ["source", ...report.modes.map(m => m.label)]));
    for (const sentence of report.sentences) {
      outputs.append(row("td", [sentence.source, ...report.modes.map(m => sentence.outputs[m.label] ?? "")]));
    }
    section.replaceChildren(cell("h2", "Architectures side by side"), summary, outputs);
    if (report.attention) {
      const figure = document.createElement("div");
      figure.id = "attention-figure";
      figure.append(svgNode(report.attention.svg));
      section.append(cell("h2", "Attention masks and heatmaps of line " + report.attention.line), figure);
    }
    section.dataset.state = "done";
  } catch (error) {
    section.replaceChildren(cell("p", error.message));
    section.firstChild.className = "error";
    section.dataset.state = "error";
  }
}

async function start() {
  const health = await (await fetch("/health")).json();
  models = health.models;
  const names = [...new Set(models.map(m => m.name))];
  $("model").replaceChildren(...names.map(n => new Option(n, n)));
  fillModes();
  $("model").addEventListener("change", fillModes);
  $("translate").addEventListener("click", translate);
  $("compare").addEventListener("click", compare);
  const parameters = new URLSearchParams(location.search);
  if (parameters.has("q")) {
    $("source").value = parameters.get("q");
    if (parameters.has("attention")) {
      $("attention").checked = true;
      $("attention-line").value = parameters.get("attention");
    }
    await translate();
    if (parameters.has("compare")) await compare();
  }
}
start();
</script>
</body>
</html>
"""#
}

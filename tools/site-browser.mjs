// The browser check of the built site (make site, after tools/site.R): every
// page is opened in headless Chromium at each width (1280 and 390 px: a
// laptop and a phone), once its scripts have run (MathJax typesets, the "On
// this page" box fills), and must
//   * not scroll sideways: document.documentElement.scrollWidth <= the width
//     of the viewport (a formula or a wide block scrolls inside its own box);
//   * have no <img> without a src (or with an empty one) or without an alt,
//     and, on the home page and the articles, no figure with an empty alt.
// A page that fails is listed with the elements that stick out; the check
// exits with status 1. Screenshots of a few pages at every width are written
// to the screenshot folder. No npm package: Chromium's DevTools protocol over
// Node's WebSocket (node --experimental-websocket on Node 20).
//   node --experimental-websocket tools/site-browser.mjs SITE_DIR [SHOTS_DIR]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, relative } from "node:path";
import { pathToFileURL } from "node:url";

const site = resolve(process.argv[2] || "site");
const shotsDir = process.argv[3] ? resolve(process.argv[3]) : null;
const widths = (process.env.SITE_WIDTHS || "1280,390").split(",").map(Number);
const shotPages = ["index.html", "reference/nma.html", "articles/getting-started.html"];
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";

function htmlPages(dir) {
  let out = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== "deps" && f !== "screenshots") out = out.concat(htmlPages(p));
    } else if (f.endsWith(".html")) out.push(p);
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const profile = mkdtempSync(join(tmpdir(), "site-browser-"));
const browser = spawn(chromium, [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
], { stdio: "ignore" });

let exitCode = 0;
try {
  // Chromium writes the port of its DevTools endpoint to DevToolsActivePort
  const portFile = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 200 && !existsSync(portFile); i++) await sleep(100);
  if (!existsSync(portFile)) throw new Error(`${chromium} did not start its DevTools endpoint`);
  let lines = [];
  for (let i = 0; i < 50 && lines.length < 2; i++) {
    lines = readFileSync(portFile, "utf8").split("\n").filter(Boolean);
    if (lines.length < 2) await sleep(100);
  }
  const ws = new WebSocket(`ws://127.0.0.1:${lines[0]}${lines[1]}`);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });

  let nextId = 1;
  const pending = new Map();
  const waiters = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      const { res, rej } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) rej(new Error(msg.error.message)); else res(msg.result);
    } else if (msg.method) {
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].method === msg.method) { waiters[i].res(msg.params); waiters.splice(i, 1); }
      }
    }
  };
  const send = (method, params = {}, sessionId) => new Promise((res, rej) => {
    const id = nextId++;
    pending.set(id, { res, rej });
    ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  });
  const once = (method, ms) => new Promise((res) => {
    const w = { method, res };
    waiters.push(w);
    setTimeout(() => { const i = waiters.indexOf(w); if (i >= 0) { waiters.splice(i, 1); res(null); } }, ms);
  });

  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);

  // what the page is checked for, once MathJax (if any) has typeset it
  const probe = (strictAlt) => `(async () => {
    if (window.MathJax && MathJax.Hub && MathJax.Hub.Queue) {
      await Promise.race([new Promise(r => MathJax.Hub.Queue(r)), new Promise(r => setTimeout(r, 8000))]);
    }
    await new Promise(r => setTimeout(r, 150));
    const vw = document.documentElement.clientWidth;
    const sw = document.documentElement.scrollWidth;
    const wide = [];
    if (sw > vw) {
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > vw + 0.5) {
          // an element inside a box that sticks out, or inside a box that
          // scrolls or clips (a code block), is not the cause
          let p = el.parentElement, inside = false;
          while (p && p !== document.body) {
            const pr = p.getBoundingClientRect();
            if (pr.right > vw + 0.5 || getComputedStyle(p).overflowX !== "visible") { inside = true; break; }
            p = p.parentElement;
          }
          if (!inside) {
            wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
              (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
              " (right edge " + Math.round(r.right) + " px)");
          }
        }
        if (wide.length >= 5) break;
      }
    }
    const imgs = [];
    for (const img of document.querySelectorAll("img")) {
      const src = img.getAttribute("src");
      if (src === null || src.trim() === "") imgs.push("<img> without src: " + img.outerHTML.slice(0, 120));
      else if (!img.hasAttribute("alt")) imgs.push("<img> without alt: " + src);
    }
    if (${strictAlt}) {
      for (const img of document.querySelectorAll("main img:not(.logo)")) {
        const alt = img.getAttribute("alt");
        if (img.getAttribute("src") && alt !== null && alt.trim() === "") {
          imgs.push("figure without alt text: " + img.getAttribute("src"));
        }
      }
    }
    return JSON.stringify({ vw, sw, wide, imgs, height: document.documentElement.scrollHeight });
  })()`;

  const pages = htmlPages(site).sort();
  const failures = [];
  const heights = [];
  for (const width of widths) {
    await send("Emulation.setDeviceMetricsOverride",
      { width, height: 900, deviceScaleFactor: 1, mobile: width < 768 }, sessionId);
    for (const page of pages) {
      const rel = relative(site, page);
      const loaded = once("Page.loadEventFired", 20000);
      await send("Page.navigate", { url: pathToFileURL(page).href }, sessionId);
      if (!(await loaded)) { failures.push(`${rel} at ${width} px: did not load in 20 s`); continue; }
      const { result, exceptionDetails } = await send("Runtime.evaluate",
        { expression: probe(rel === "index.html" || rel.startsWith("articles/")), awaitPromise: true, returnByValue: true }, sessionId);
      if (exceptionDetails) { failures.push(`${rel} at ${width} px: ${exceptionDetails.text} ${exceptionDetails.exception ? exceptionDetails.exception.description : ""}`); continue; }
      const r = JSON.parse(result.value);
      if (rel === "index.html") heights.push(`${r.height} px at ${width} px`);
      if (r.vw !== width) failures.push(`${rel} at ${width} px: the viewport is ${r.vw} px wide`);
      if (r.sw > width) {
        failures.push(`${rel} at ${width} px: the page is ${r.sw} px wide (scrolls sideways); ` +
          `sticking out: ${r.wide.join(", ") || "?"}`);
      }
      if (width === widths[0]) for (const m of r.imgs) failures.push(`${rel}: ${m}`);
      if (shotsDir && shotPages.includes(rel)) {
        mkdirSync(shotsDir, { recursive: true });
        const { data } = await send("Page.captureScreenshot",
          { format: "png", captureBeyondViewport: false }, sessionId);
        const out = join(shotsDir, rel.replace(/\//g, "-").replace(/\.html$/, "") + `-${width}.png`);
        writeFileSync(out, Buffer.from(data, "base64"));
        console.log(`screenshot: ${relative(process.cwd(), out)}`);
      }
    }
  }
  console.log(`${pages.length} pages checked in Chromium at ${widths.join(" and ")} px: ` +
    `${failures.length} problems; the home page is ${heights.join(", ")} long`);
  if (failures.length) {
    console.log(failures.map((f) => `* ${f}`).join("\n"));
    exitCode = 1;
  }
  ws.close();
} catch (e) {
  console.error(`tools/site-browser.mjs: ${e.message}`);
  exitCode = 1;
} finally {
  browser.kill();
  await sleep(300);
  try { rmSync(profile, { recursive: true, force: true }); } catch (e) { /* in use */ }
}
process.exit(exitCode);

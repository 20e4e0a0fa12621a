// Drives Debian's headless Chromium over a status site served on loopback
// and reports each check as one line, "PASS<TAB>name" or
// "FAIL<TAB>name<TAB>detail", for tests/integration/browser.t to count.
//
// usage: node check.mjs BASE_URL SITE_DIR ARTEFACT_DIR CHROMIUM PROFILE_DIR
//   BASE_URL      http://127.0.0.1:PORT/ serving SITE_DIR
//   ARTEFACT_DIR  where the screenshots go
//   PROFILE_DIR   Chromium's user data directory (the caller removes it)
// Environment: GLANCE_SYSTEMS, the number of rows the table must have;
// GLANCE_NOTICE, GLANCE_SYSTEM, the relative paths of a notice and a system
// page to check beside the index and the archive.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";
import { HtmlValidate } from "html-validate";

const require = createRequire(import.meta.url);
const [base, site, artefacts, chromium, profile] = process.argv.slice(2);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const pages = ["index.html", process.env.GLANCE_NOTICE, process.env.GLANCE_SYSTEM,
               "archive/index.html"];
const nsystems = Number(process.env.GLANCE_SYSTEMS);

function report(pass, name, detail) {
	const line = pass ? `PASS\t${name}` : `FAIL\t${name}\t${detail ?? ""}`;
	process.stdout.write(line.replace(/\n/g, " ") + "\n");
}

// Every request the pages make; anything not on the loopback server is
// recorded and aborted, so a leak fails the test without reaching out.
const foreign = [];
async function openPage(browser, opts) {
	const page = await browser.newPage();
	await page.setRequestInterception(true);
	page.on("request", (r) => {
		const u = r.url();
		if (u.startsWith(base) || u.startsWith("data:")) {
			r.continue();
		} else {
			foreign.push(u);
			r.abort();
		}
	});
	await page.setViewport({ width: opts.width, height: opts.height ?? 800 });
	await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: opts.scheme ?? "light" }]);
	if (opts.tz)
		await page.emulateTimezone(opts.tz);
	if (opts.js === false)
		await page.setJavaScriptEnabled(false);
	return page;
}

async function load(page, path) {
	const res = await page.goto(base + path, { waitUntil: "load", timeout: 10000 });
	return res ? res.status() : 0;
}

async function axe(page) {
	await page.addScriptTag({ content: axeSource });
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ["violations"] });
		return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
	});
}

async function screenshots(browser) {
	for (const width of [375, 1440])
		for (const scheme of ["light", "dark"]) {
			const page = await openPage(browser, { width, scheme, height: width === 375 ? 812 : 900 });
			await load(page, "index.html");
			const file = join(artefacts, `index-${width}-${scheme}.png`);
			await page.screenshot({ path: file, fullPage: true });
			report(statSync(file).size > 1000, `screenshot ${width} px ${scheme}`, file);
			await page.close();
		}
	// A notice and a system page as a phone shows them.
	for (const [name, path] of [["notice", pages[1]], ["system", pages[2]]]) {
		const page = await openPage(browser, { width: 375, height: 812 });
		await load(page, path);
		const file = join(artefacts, `${name}-375-light.png`);
		await page.screenshot({ path: file, fullPage: true });
		report(statSync(file).size > 1000, `screenshot of the ${name} page at 375 px`, file);
		await page.close();
	}
}

// At a phone's width: no sideways scrolling, the table fits, and for a
// handful of systems it ends above the fold; the pinned items come first.
async function phone(browser) {
	const page = await openPage(browser, { width: 375, height: 812 });
	await load(page, "index.html");
	const m = await page.evaluate(() => {
		const t = document.querySelector("table.glance").getBoundingClientRect();
		const pin = document.querySelector("section.pinned article.pin-inc");
		const up = document.querySelector("section.upcoming");
		const maint = document.querySelector("section.upcoming article.pin-maint .body");
		return {
			doc: document.documentElement.scrollWidth,
			right: t.right,
			bottom: t.bottom,
			pinTop: pin ? pin.getBoundingClientRect().top : -1,
			tableTop: t.top,
			maint: maint ? maint.innerText.trim() : "",
			upTop: up ? up.getBoundingClientRect().top : -1,
			uptime: [...document.querySelectorAll(".scroll")].map((e) => e.scrollWidth - e.clientWidth),
		};
	});
	// What a reader sees first on a phone, before scrolling.
	await page.screenshot({ path: join(artefacts, "index-375-fold.png") });
	report(m.doc <= 375, "375 px: the page does not scroll sideways", `scrollWidth ${m.doc}`);
	report(m.right <= 375, "375 px: the whole table is in view", `right edge ${m.right}`);
	report(nsystems > 6 || m.bottom <= 812, "375 px: the table ends above the fold", `bottom ${m.bottom}`);
	report(m.pinTop >= 0 && m.pinTop < m.tableTop, "the open incident is pinned above the table",
	       `pinned at ${m.pinTop}, table at ${m.tableTop}`);
	report(m.uptime.length > 0 && m.uptime.every((d) => d <= 0),
	       "375 px: the uptime table and its day bars fit, with no sideways scrolling",
	       `overflow ${m.uptime.join(", ")} px`);
	report(m.upTop > m.bottom && m.maint.length > 20,
	       "the upcoming maintenance, under the table, says what it is for", `at ${m.upTop}: ${m.maint}`);
	await page.close();
}

// The page without JavaScript: complete (table, pinned, times in UTC).
// With it, in another zone: each time gets the reader's local time.
async function scripting(browser) {
	let page = await openPage(browser, { width: 1440, js: false });
	await load(page, "index.html");
	const off = await page.evaluate(() => ({
		rows: document.querySelectorAll("table.glance tbody tr").length,
		status: [...document.querySelectorAll("table.glance tbody tr td:nth-of-type(2)")].map((td) => td.textContent.trim()),
		pinned: document.querySelectorAll("section.pinned article.pin-inc").length,
		times: [...document.querySelectorAll("time")].filter((t) => / \+0000$/.test(t.textContent)).length,
		local: document.querySelectorAll(".lt").length,
		rss: document.querySelectorAll("link[rel=alternate][type='application/rss+xml']").length,
		atom: document.querySelectorAll("link[rel=alternate][type='application/atom+xml']").length,
		feeds: [...document.querySelectorAll("footer a")].map((a) => a.getAttribute("href")),
	}));
	report(off.rows === nsystems, "without JavaScript: the table has every system", `${off.rows} rows`);
	const words = /^. (Operational|Degraded performance|Partial outage|Major outage|Under maintenance|Internal|No data)$/;
	const bad = off.status.filter((s) => !words.test(s));
	report(off.status.length === nsystems && bad.length === 0, "each system's status in words", bad.join("; "));
	report(off.pinned >= 1, "without JavaScript: the open incident is there", `${off.pinned} pinned`);
	report(off.times > 0 && off.local === 0, "without JavaScript: every time in UTC, nothing added",
	       `${off.times} UTC times, ${off.local} local`);
	report(off.rss === 1 && off.atom === 1, "the feeds are announced in the head", `rss ${off.rss}, atom ${off.atom}`);
	for (const f of ["feed.rss", "feed.atom", "status.json"]) {
		const ok = off.feeds.includes(f) && (await fetch(base + f)).status === 200;
		report(ok, `the footer links ${f} and it is served`, off.feeds.join(" "));
	}
	await page.close();
	page = await openPage(browser, { width: 1440, tz: "Pacific/Auckland" });
	await load(page, "index.html");
	const on = await page.evaluate(() => ({
		times: document.querySelectorAll("time").length,
		local: [...document.querySelectorAll("time + .lt")].map((e) => e.textContent),
	}));
	report(on.times > 0 && on.local.length === on.times && on.local.every((t) => / your time\)$/.test(t)),
	       "with JavaScript in another zone: the reader's time beside each UTC time",
	       `${on.local.length} of ${on.times}: ${on.local[0]}`);
	await page.close();
}

// Keyboard: the uptime region and each day list can be reached by Tab.
async function keyboard(browser) {
	const page = await openPage(browser, { width: 375 });
	await load(page, "index.html");
	const want = await page.evaluate(() => document.querySelectorAll(".scroll[tabindex='0'], details.dd summary").length);
	const seen = new Set();
	for (let i = 0; i < 200; i++) {
		await page.keyboard.press("Tab");
		const id = await page.evaluate(() => {
			const e = document.activeElement;
			if (!e || !(e.matches(".scroll") || e.matches("details.dd summary")))
				return null;
			return [...document.querySelectorAll(".scroll, details.dd summary")].indexOf(e);
		});
		if (id !== null)
			seen.add(id);
	}
	report(want > 0 && seen.size === want, "the uptime table and each day list are reached by keyboard",
	       `${seen.size} of ${want}`);
	await page.close();
}

// Every day of each system's bars is readable as text once its list is
// opened from the keyboard: the lines' dates cover the last N days (N as
// the bars say), each day exactly once, and each line is visible.
async function days(browser, path) {
	const page = await openPage(browser, { width: 375, height: 812 });
	await load(page, path);
	const summaries = await page.$$("details.dd summary");
	for (const sm of summaries) {
		await sm.focus();
		await page.keyboard.press("Enter");
	}
	const r = await page.evaluate(() => {
		const day = 86400000;
		const months = ["January", "February", "March", "April", "May", "June", "July",
		                "August", "September", "October", "November", "December"];
		// "12 June 2025", "12–13 June 2025", "17 May – 10 June 2025",
		// "22 December 2025 – 3 January 2026": the first and last day.
		const range = (text) => {
			const parts = text.split(":")[0].split(/\s*\u2013\s*/).map((p) => p.trim().split(" "));
			const end = parts[parts.length - 1];
			const at = (p) => Date.UTC(Number(p[2] ?? end[2]), months.indexOf(p[1] ?? end[1]), Number(p[0]));
			return [at(parts[0]), at(end)];
		};
		const gen = Date.parse(document.querySelector("footer time").getAttribute("datetime"));
		const last = gen - (gen % day);
		return [...document.querySelectorAll("details.dd")].map((d) => {
			const n = Number(/^Last (\d+) days/.exec(d.querySelector("summary").textContent)[1]);
			const seen = new Map();
			let hidden = 0;
			for (const li of d.querySelectorAll("li")) {
				const [a, b] = range(li.textContent);
				if (!d.open || li.getClientRects().length === 0 || li.innerText.trim() === "")
					hidden++;
				for (let x = a; x <= b; x += day)
					seen.set(x, (seen.get(x) ?? 0) + 1);
			}
			let once = 0;
			for (let k = 0; k < n; k++)
				once += seen.get(last - k * day) === 1;
			return { n, once, total: seen.size, hidden };
		});
	});
	const bad = r.filter((x) => x.n !== 90 || x.once !== x.n || x.total !== x.n || x.hidden > 0);
	report(r.length > 0 && bad.length === 0,
	       `${path}: every one of the 90 days is one visible line once its list is opened by keyboard`,
	       `${r.length} lists; ${JSON.stringify(bad)}`);
	await page.close();
}

async function accessibility(browser) {
	for (const scheme of ["light", "dark"])
		for (const p of pages) {
			const page = await openPage(browser, { width: 1440, scheme });
			const status = await load(page, p);
			const v = status === 200 || status === 304 ? await axe(page) : [`HTTP ${status}`];
			report(v.length === 0, `axe: no violation on ${p} (${scheme})`, v.join("; "));
			await page.close();
		}
}

function htmlFiles(dir) {
	const out = [];
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, e.name);
		if (e.isDirectory() || (e.isSymbolicLink() && statSync(p).isDirectory()))
			out.push(...htmlFiles(p));
		else if (e.name.endsWith(".html"))
			out.push(p);
	}
	return out;
}

// html-validate's recommended rules; the pages are also well-formed XML,
// so void elements are self-closed on purpose.
async function validate() {
	const hv = new HtmlValidate({
		extends: ["html-validate:recommended"],
		rules: { "void-style": ["error", { style: "selfclose" }] },
	});
	const files = htmlFiles(site);
	const errors = [];
	for (const f of files) {
		const r = await hv.validateString(readFileSync(f, "utf8"), f);
		for (const res of r.results)
			for (const m of res.messages)
				errors.push(`${relative(site, f)}:${m.line}: ${m.ruleId}: ${m.message}`);
	}
	report(files.length > 10 && errors.length === 0, `html-validate: no error in ${files.length} pages`,
	       errors.slice(0, 8).join("; "));
}

async function main() {
	const browser = await puppeteer.launch({
		executablePath: chromium,
		userDataDir: profile,
		headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		       "--disable-component-update", "--disable-sync", "--disable-default-apps",
		       "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
	});
	try {
		await screenshots(browser);
		await phone(browser);
		await scripting(browser);
		await keyboard(browser);
		await days(browser, "index.html");
		await days(browser, pages[2]);
		await accessibility(browser);
	} finally {
		await browser.close();
	}
	report(foreign.length === 0, "no request left the loopback server", foreign.join(" "));
	await validate();
}

// A hard limit of its own, below the caller's, so a stuck browser is
// reported and closed rather than left behind.
const limit = setTimeout(() => {
	report(false, "the browser checks finish in time", "50 s");
	process.exit(1);
}, 50000);
main().then(() => clearTimeout(limit), (e) => {
	report(false, "the browser checks run", e.stack ?? String(e));
	process.exit(1);
});

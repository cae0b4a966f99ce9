// The catalogue's try-it forms: each sends a real request to the MCP endpoint (protocol
// 2025-11-25, one session for the page, opened on the first call) and shows the JSON-RPC
// answer. Everything shown is set as text, never as markup.
"use strict";

const VERSION = "2025-11-25";
const endpoint = new URL(document.body.dataset.endpoint, location.href);
let session = null;
let nextId = 1;

function headers() {
  const h = { "Content-Type": "application/json", "Accept": "application/json, text/event-stream" };
  const token = document.getElementById("token");
  if (token && token.value.trim()) h["Authorization"] = "Bearer " + token.value.trim();
  if (session) { h["Mcp-Session-Id"] = session; h["MCP-Protocol-Version"] = VERSION; }
  return h;
}

// The JSON-RPC answer to request `id`, from a JSON body or an SSE stream of messages.
async function answerOf(response, id) {
  const type = response.headers.get("Content-Type") || "";
  const text = await response.text();
  if (!type.startsWith("text/event-stream")) return text ? JSON.parse(text) : null;
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
    if (!data) continue;
    const message = JSON.parse(data);
    if (message.id === id && ("result" in message || "error" in message)) return message;
  }
  return null;
}

async function post(message) {
  const response = await fetch(endpoint, { method: "POST", headers: headers(), body: JSON.stringify(message), credentials: "same-origin" });
  return response;
}

async function openSession() {
  const id = nextId++;
  const response = await post({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: "catalogue", version: "1" } } });
  const answer = await answerOf(response, id);
  if (!response.ok || !answer || answer.error) throw new Error("initialize failed: HTTP " + response.status + " " + JSON.stringify(answer));
  session = response.headers.get("Mcp-Session-Id");
  await post({ jsonrpc: "2.0", method: "notifications/initialized" });
}

// One request; a session the server no longer knows (404) is opened again once.
async function call(method, params, retried) {
  if (!session) await openSession();
  const id = nextId++;
  const response = await post({ jsonrpc: "2.0", id, method, params });
  if (response.status === 404 && !retried) { session = null; return call(method, params, true); }
  const answer = await answerOf(response, id);
  return { status: response.status, answer };
}

function show(output, outcome) {
  const { status, answer } = outcome;
  output.hidden = false;
  output.classList.remove("ok", "tool-error", "rpc-error");
  let verdict;
  if (answer && answer.error) {
    output.classList.add("rpc-error");
    verdict = "error " + answer.error.code + ": " + answer.error.message;
  } else if (answer && answer.result && answer.result.isError) {
    output.classList.add("tool-error");
    verdict = "result (isError)";
  } else if (answer) {
    output.classList.add("ok");
    verdict = "result";
  } else {
    output.classList.add("rpc-error");
    verdict = "no answer (HTTP " + status + ")";
  }
  output.textContent = verdict + "\n" + JSON.stringify(answer, null, 2);
}

// RFC 6570 expansion of the operators MCP templates use; modifiers (`:n`, `*`) are ignored.
function expand(template, values) {
  const unreserved = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  const reserved = (s) => encodeURI(s).replace(/%25([0-9A-Fa-f]{2})/g, "%$1");
  const operators = { "": [",", "", false, unreserved], "+": [",", "", false, reserved], "#": [",", "#", false, reserved],
    ".": [".", ".", false, unreserved], "/": ["/", "/", false, unreserved], ";": [";", ";", true, unreserved],
    "?": ["&", "?", true, unreserved], "&": ["&", "&", true, unreserved] };
  return template.replace(/\{([+#./;?&]?)([^}]*)\}/g, (_, op, list) => {
    const [separator, first, named, encode] = operators[op];
    const parts = list.split(",").map((v) => v.replace(/(\*|:\d+)$/, "")).filter((name) => values[name]);
    if (!parts.length) return "";
    return first + parts.map((name) => (named ? name + "=" : "") + encode(values[name])).join(separator);
  });
}

function track(form) {
  const uri = form.querySelector("input[name=uri]");
  const template = uri && uri.dataset.template;
  if (!template) return;
  const update = () => {
    const values = {};
    for (const input of form.querySelectorAll("input[data-variable]")) values[input.dataset.variable] = input.value;
    uri.value = expand(template, values);
  };
  for (const input of form.querySelectorAll("input[data-variable]")) input.addEventListener("input", update);
  update();
}

async function submit(form, event) {
  event.preventDefault();
  const output = form.querySelector(".result");
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    let outcome;
    if (form.dataset.call === "tool") {
      let args;
      try { args = JSON.parse(form.querySelector("textarea").value || "{}"); }
      catch (e) { throw new Error("the arguments are not JSON: " + e.message); }
      outcome = await call("tools/call", { name: form.dataset.name, arguments: args });
    } else if (form.dataset.call === "resource") {
      outcome = await call("resources/read", { uri: form.querySelector("input[name=uri]").value });
    } else {
      const args = {};
      for (const input of form.querySelectorAll("input[data-argument]")) if (input.value) args[input.dataset.argument] = input.value;
      outcome = await call("prompts/get", { name: form.dataset.name, arguments: args });
    }
    show(output, outcome);
  } catch (e) {
    output.hidden = false;
    output.classList.remove("ok", "tool-error");
    output.classList.add("rpc-error");
    output.textContent = String(e.message || e);
  } finally {
    button.disabled = false;
  }
}

function filter(text) {
  const needle = text.trim().toLowerCase();
  for (const card of document.querySelectorAll("article.binding")) {
    card.hidden = needle !== "" && !card.textContent.toLowerCase().includes(needle);
  }
}

for (const form of document.querySelectorAll("form.try")) {
  track(form);
  form.addEventListener("submit", (event) => submit(form, event));
}
// The page's session ends with the page, rather than waiting out its idle timeout.
addEventListener("pagehide", () => {
  if (session) fetch(endpoint, { method: "DELETE", headers: headers(), keepalive: true, credentials: "same-origin" });
  session = null;
});
const search = document.getElementById("filter");
search.closest(".controls").hidden = false;
search.addEventListener("input", () => filter(search.value));

// Reads [{name, text}] as JSON on stdin; prints [{name, ok, error}]: Mermaid's own parser
// on each text, as a Markdown page's ```mermaid block would be parsed before drawing.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { name, text } of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ name, ok: true, diagramType: parsed.diagramType });
  } catch (error) {
    results.push({ name, ok: false, error: String(error.message ?? error).slice(0, 500) });
  }
}
process.stdout.write(JSON.stringify(results));

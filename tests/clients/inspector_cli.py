"""Drive MCP servers with the MCP Inspector's CLI, a client nobody on this project wrote.
Usage:
    python inspector_cli.py <mcp-inspector> --stdio <quickstart binary>
    python inspector_cli.py <mcp-inspector> --http <everything server URL>
Exits non-zero, with the failing check, on any mismatch.
"""

import json
import subprocess
import sys


def inspect(inspector, server, *args):
    out = subprocess.run([inspector, "--cli", *server, *args], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"FAILED: inspector {' '.join(args)} exited {out.returncode}: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok - {what}")


def over_http(inspector, url):
    server = [url, "--transport", "http"]
    tools = inspect(inspector, server, "--method", "tools/list")
    check(any(t["name"] == "test_simple_text" for t in tools["tools"]), "inspector lists tools over HTTP")
    text = inspect(inspector, server, "--method", "tools/call", "--tool-name", "test_simple_text")
    check(text["content"][0]["text"] == "This is a simple text response for testing.", "inspector calls a tool over HTTP")
    read = inspect(inspector, server, "--method", "resources/read", "--uri", "test://template/7/data")
    check('"id":"7"' in read["contents"][0]["text"], "inspector reads a templated resource over HTTP")
    prompt = inspect(inspector, server, "--method", "prompts/get", "--prompt-name", "test_simple_prompt")
    check(prompt["messages"][0]["content"]["text"] == "This is a simple prompt for testing.", "inspector gets a prompt over HTTP")


def over_stdio(inspector, binary):
    server = [binary]
    tools = inspect(inspector, server, "--method", "tools/list")
    names = [t["name"] for t in tools["tools"]]
    check(names == ["add", "count_slowly", "server.build_info", "word_count"], f"inspector lists tools: {names}")
    added = inspect(inspector, server, "--method", "tools/call", "--tool-name", "add", "--tool-arg", "a=1", "--tool-arg", "b=2")
    check(added["content"] == [{"type": "text", "text": "3.0"}], "inspector calls a tool")
    read = inspect(inspector, server, "--method", "resources/read", "--uri", "greeting://Ada?lang=fr")
    check(read["contents"][0]["text"] == "Bonjour, Ada !", "inspector reads a templated resource")
    templates = inspect(inspector, server, "--method", "resources/templates/list")
    check(templates["resourceTemplates"][0]["uriTemplate"] == "greeting://{name}{?lang}", "inspector lists templates")
    prompt = inspect(inspector, server, "--method", "prompts/get", "--prompt-name", "code_review", "--prompt-args", "code=x", "language=rust")
    check("rust code" in prompt["messages"][0]["content"]["text"], "inspector renders a prompt")


if __name__ == "__main__":
    inspector, mode, target = sys.argv[1:4]
    if mode == "--http":
        over_http(inspector, target)
    else:
        over_stdio(inspector, target)

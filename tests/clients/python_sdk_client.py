"""Drive an MCP server over stdio with the official Python SDK (the `mcp` package).

A client nobody on this project wrote: if the SDK can initialize, list and call every kind
of binding, stock clients can. Usage: python python_sdk_client.py <server binary>
Exits non-zero, with the failing check, on any mismatch.
"""

import asyncio
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import PromptReference, ResourceTemplateReference


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok - {what}")


async def main(binary):
    params = StdioServerParameters(command=binary, args=[])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "quickstart", "initialize names the server")
            check(init.protocol_version.startswith("2025-"), f"a 2025-era revision is negotiated: {init.protocol_version}")
            check(init.capabilities.tools is not None, "tools capability advertised")

            tools = await session.list_tools()
            names = [t.name for t in tools.tools]
            check(names == ["add", "count_slowly", "server.build_info", "word_count"], f"tools listed sorted: {names}")

            result = await session.call_tool("add", {"a": 2, "b": 3})
            check(result.content[0].text == "5.0" and not result.is_error, "tools/call add")
            bad = await session.call_tool("add", {"a": "two"})
            check(bad.is_error and "/a" in bad.content[0].text, "schema failures are tool errors naming the path")

            progress = []

            async def on_progress(value, total, message):
                progress.append(value)

            counted = await session.call_tool("count_slowly", {"to": 3, "delay_ms": 10}, progress_callback=on_progress)
            check(counted.content[0].text == "counted to 3", "a slow tool finishes")
            check(progress == [1.0, 2.0, 3.0], f"progress notifications reach the client: {progress}")

            templates = await session.list_resource_templates()
            check(templates.resource_templates[0].uri_template == "greeting://{name}{?lang}", "resource templates listed")
            read = await session.read_resource("greeting://Ada?lang=de")
            check(read.contents[0].text == "Hallo, Ada!", "resources/read through a template")

            prompts = await session.list_prompts()
            check(prompts.prompts[0].name == "code_review", "prompts listed")
            prompt = await session.get_prompt("code_review", {"code": "x = 1", "language": "python"})
            check("python code" in prompt.messages[0].content.text, "prompts/get renders")

            done = await session.complete(PromptReference(type="ref/prompt", name="code_review"), {"name": "language", "value": "p"})
            check(done.completion.values == ["python"], "completion for a prompt argument")
            done = await session.complete(
                ResourceTemplateReference(type="ref/resource", uri="greeting://{name}{?lang}"), {"name": "lang", "value": "f"}
            )
            check(done.completion.values == ["fr"], "completion for a template variable")
            await session.send_ping()
            check(True, "ping")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

"""Drive the everything server with the official Python SDK (the `mcp` package), over
Streamable HTTP or stdio, including the requests the server makes of the client (sampling,
elicitation) and progress. Usage:
    python python_sdk_everything.py http://127.0.0.1:3000/mcp
    python python_sdk_everything.py --stdio <everything binary>
Exits non-zero, with the failing check, on any mismatch.
"""

import asyncio
import contextlib
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok - {what}")


async def on_sampling(context, params):
    prompt = params.messages[0].content.text
    return types.CreateMessageResult(role="assistant", content=types.TextContent(type="text", text=f"echo: {prompt}"), model="stub")


async def on_elicitation(context, params):
    return types.ElicitResult(action="accept", content={"username": "ada", "email": "ada@example.com"})


@contextlib.asynccontextmanager
async def connect(target):
    if target[0] == "--stdio":
        async with stdio_client(StdioServerParameters(command=target[1], args=["--stdio"])) as (read, write):
            yield read, write
    else:
        async with streamable_http_client(target[0]) as streams:
            yield streams[0], streams[1]


async def main(target):
    async with connect(target) as (read, write):
        async with ClientSession(read, write, sampling_callback=on_sampling, elicitation_callback=on_elicitation) as session:
            init = await session.initialize()
            check(init.server_info.name == "mcp-conformance-test-server", f"initialize ({init.protocol_version})")
            names = [t.name for t in (await session.list_tools()).tools]
            check("test_simple_text" in names and names == sorted(names), "tools listed, sorted")
            text = await session.call_tool("test_simple_text", {})
            check(text.content[0].text == "This is a simple text response for testing.", "a simple tool call")

            progress = []

            async def on_progress(value, total, message):
                progress.append(value)

            await session.call_tool("test_tool_with_progress", {}, progress_callback=on_progress)
            check(progress == [0.0, 50.0, 100.0], f"progress reaches the client: {progress}")

            sampled = await session.call_tool("test_sampling", {"prompt": "two plus two"})
            check(sampled.content[0].text == "LLM response: echo: two plus two", "the server samples through the client")
            elicited = await session.call_tool("test_elicitation", {"message": "who are you?"})
            check("action=\"accept\"" in elicited.content[0].text and "ada@example.com" in elicited.content[0].text, "the server elicits through the client")

            read = await session.read_resource("test://template/42/data")
            check('"id":"42"' in read.contents[0].text, "a templated resource read")
            prompt = await session.get_prompt("test_prompt_with_arguments", {"arg1": "a", "arg2": "b"})
            check(prompt.messages[0].content.text == "Prompt with arguments: arg1='a', arg2='b'", "a prompt with arguments")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))

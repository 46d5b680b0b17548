// One valid exchange per LLM protocol route: the request, a JSON reply, and where the route
// streams, a stream as the upstream frames it. Each is as rich as the protocol allows
// (nested tool arguments, numbers, sibling parts) so the generator finds many positions.
// Channels are the fields a client concatenates across frames; parts are arrays whose
// elements a client joins; flushes are frames that end a channel mid-stream.
import type { Json } from "./plant.ts";

/** One stream frame: SSE fields (when framed as SSE) and its JSON payload or raw data. */
export interface StreamFrame {
  readonly event?: string;
  readonly data: Json;
}

/** A stream reply as the upstream sends it. */
export interface StreamShape {
  readonly label: string;
  /** The route (with query) that asks for this stream. */
  readonly path: string;
  /** The request body that asks for it. */
  readonly request: Json;
  readonly framing: "sse" | "ndjson" | "json-array";
  readonly contentType: string;
  readonly frames: readonly StreamFrame[];
  /** A raw last frame (`[DONE]`) written after the JSON frames, for SSE. */
  readonly done?: string;
  /** Folded paths of text channels (see `foldPath`). */
  readonly channels: readonly string[];
  /** Folded paths of arrays whose elements are sibling parts. */
  readonly parts: readonly string[];
  /** Frames that end or interrupt a channel, inserted between two halves of a value. */
  readonly flushes: Readonly<Record<string, StreamFrame>>;
  /**
   * Streams that carry a value's halves in two different fields (e.g. the text of a block's
   * start event, then a delta): each builds the whole stream from the two halves.
   */
  readonly crossSplits?: Readonly<Record<string, (a: string, b: string) => StreamFrame[]>>;
}

/** One route's exchange. */
export interface LlmExchange {
  readonly name: string;
  readonly path: string;
  readonly request: Json;
  /** Folded paths of arrays in the request whose elements are sibling text parts. */
  readonly requestParts: readonly string[];
  readonly reply: Json;
  /** Folded paths of arrays in the JSON reply whose elements are sibling text parts. */
  readonly replyParts: readonly string[];
  readonly streams: readonly StreamShape[];
}

const toolArgs = JSON.stringify({ q: "weather", days: 3 });

const chatChunk = (choice: Json, extra: Record<string, Json> = {}): Json => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [choice],
  ...extra,
});

const OPENAI_CHAT: LlmExchange = {
  name: "openai.chat",
  path: "/v1/chat/completions",
  request: {
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "You are terse." },
      {
        role: "user",
        content: [
          { type: "text", text: "Summarize this." },
          { type: "text", text: "Keep it short." },
          { type: "image_url", image_url: { url: "https://img.test/a.png", detail: "low" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "call_1",
          type: "function",
          function: { name: "lookup", arguments: toolArgs },
        }],
      },
      { role: "tool", tool_call_id: "call_1", content: "sunny" },
    ],
    tools: [{
      type: "function",
      function: {
        name: "lookup",
        description: "Look something up",
        parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
      },
    }],
    temperature: 0.2,
    max_tokens: 64,
    seed: 7,
    user: "u-1",
    metadata: { ticket: "T-1" },
  },
  requestParts: ["messages[].content[]"],
  reply: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: "Here you go.",
        tool_calls: [{
          id: "call_2",
          type: "function",
          function: { name: "lookup", arguments: toolArgs },
        }],
      },
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  },
  replyParts: [],
  streams: [{
    label: "sse",
    path: "/v1/chat/completions",
    request: { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] },
    framing: "sse",
    contentType: "text/event-stream",
    frames: [
      {
        data: chatChunk({
          index: 0,
          delta: { role: "assistant", content: "" },
          finish_reason: null,
        }),
      },
      { data: chatChunk({ index: 0, delta: { content: "Hello " }, finish_reason: null }) },
      { data: chatChunk({ index: 0, delta: { content: "there" }, finish_reason: null }) },
      {
        data: chatChunk({
          index: 0,
          delta: { content: [{ type: "text", text: "!" }] },
          finish_reason: null,
        }),
      },
      {
        data: chatChunk({
          index: 0,
          delta: { reasoning_content: "thinking" },
          finish_reason: null,
        }),
      },
      {
        data: chatChunk({
          index: 0,
          delta: {
            tool_calls: [{
              index: 0,
              id: "call_1",
              type: "function",
              function: { name: "lookup", arguments: "" },
            }],
          },
          finish_reason: null,
        }),
      },
      {
        data: chatChunk({
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] },
          finish_reason: null,
        }),
      },
      {
        data: chatChunk({
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] },
          finish_reason: null,
        }),
      },
      { data: chatChunk({ index: 0, delta: {}, finish_reason: "stop" }) },
      {
        data: {
          id: "chatcmpl-1",
          object: "chat.completion.chunk",
          created: 1,
          model: "m",
          choices: [],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
        },
      },
    ],
    done: "[DONE]",
    channels: [
      "choices[].delta.content",
      "choices[].delta.content[].text",
      "choices[].delta.reasoning_content",
      "choices[].delta.tool_calls[].function.arguments",
    ],
    parts: ["choices[].delta.content[]"],
    flushes: {
      "finish_reason": { data: chatChunk({ index: 0, delta: {}, finish_reason: "stop" }) },
      "error chunk": { data: { error: { message: "overloaded", type: "server_error" } } },
      "string index": {
        data: chatChunk({ index: "0", delta: { content: "" }, finish_reason: null }),
      },
    },
  }],
};

const completionChunk = (text: string, finish: Json = null): Json => ({
  id: "cmpl-1",
  object: "text_completion",
  created: 1,
  model: "m",
  choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
});

const OPENAI_COMPLETIONS: LlmExchange = {
  name: "openai.completions",
  path: "/v1/completions",
  request: {
    model: "m",
    prompt: "Say hi to the team",
    suffix: "Regards",
    max_tokens: 16,
    temperature: 0.5,
    stop: ["\n\n"],
    logit_bias: { "50256": -100 },
    user: "u-2",
  },
  requestParts: [],
  reply: {
    id: "cmpl-1",
    object: "text_completion",
    created: 1,
    model: "m",
    choices: [{ text: "Hello team", index: 0, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  },
  replyParts: [],
  streams: [{
    label: "sse",
    path: "/v1/completions",
    request: { model: "m", prompt: "hi", stream: true },
    framing: "sse",
    contentType: "text/event-stream",
    frames: [
      { data: completionChunk("Hello ") },
      { data: completionChunk("team") },
      { data: completionChunk("", "stop") },
    ],
    done: "[DONE]",
    channels: ["choices[].text"],
    parts: [],
    flushes: { "finish_reason": { data: completionChunk("", "stop") } },
  }],
};

const responseItem: Json = {
  type: "message",
  id: "msg_1",
  status: "completed",
  role: "assistant",
  content: [{ type: "output_text", text: "Hello there", annotations: [] }],
};
const responseObject = (status: string, output: Json[]): Json => ({
  id: "resp_1",
  object: "response",
  created_at: 0,
  status,
  model: "m",
  output,
  usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
});
const ids = { item_id: "msg_1", output_index: 0, content_index: 0 };

const OPENAI_RESPONSES: LlmExchange = {
  name: "openai.responses",
  path: "/v1/responses",
  request: {
    model: "m",
    instructions: "Be brief",
    input: [
      {
        role: "user",
        content: [
          { type: "input_text", text: "First part." },
          { type: "input_text", text: "Second part." },
        ],
      },
      { type: "function_call", call_id: "call_1", name: "lookup", arguments: toolArgs },
      { type: "function_call_output", call_id: "call_1", output: "sunny" },
    ],
    tools: [{
      type: "function",
      name: "lookup",
      parameters: { type: "object", properties: { q: { type: "string" } } },
    }],
    max_output_tokens: 100,
    temperature: 0.3,
    metadata: { k: "v" },
  },
  requestParts: ["input[].content[]"],
  reply: responseObject("completed", [
    responseItem,
    {
      type: "function_call",
      id: "fc_1",
      call_id: "call_2",
      name: "lookup",
      arguments: toolArgs,
      status: "completed",
    },
  ]),
  replyParts: ["output[].content[]"],
  streams: [{
    label: "sse",
    path: "/v1/responses",
    request: { model: "m", input: "hi", stream: true },
    framing: "sse",
    contentType: "text/event-stream",
    frames: [
      {
        event: "response.created",
        data: {
          type: "response.created",
          sequence_number: 0,
          response: responseObject("in_progress", []),
        },
      },
      {
        event: "response.output_item.added",
        data: {
          type: "response.output_item.added",
          sequence_number: 1,
          output_index: 0,
          item: { ...responseItem as Record<string, Json>, status: "in_progress", content: [] },
        },
      },
      {
        event: "response.content_part.added",
        data: {
          type: "response.content_part.added",
          sequence_number: 2,
          ...ids,
          part: { type: "output_text", text: "", annotations: [] },
        },
      },
      {
        event: "response.output_text.delta",
        data: { type: "response.output_text.delta", sequence_number: 3, ...ids, delta: "Hello " },
      },
      {
        event: "response.output_text.delta",
        data: { type: "response.output_text.delta", sequence_number: 4, ...ids, delta: "there" },
      },
      {
        event: "response.output_text.done",
        data: {
          type: "response.output_text.done",
          sequence_number: 5,
          ...ids,
          text: "Hello there",
        },
      },
      {
        event: "response.output_item.done",
        data: {
          type: "response.output_item.done",
          sequence_number: 6,
          output_index: 0,
          item: responseItem,
        },
      },
      {
        event: "response.completed",
        data: {
          type: "response.completed",
          sequence_number: 7,
          response: responseObject("completed", [responseItem]),
        },
      },
    ],
    channels: ["delta"],
    parts: [],
    flushes: {
      "output_text.done": {
        event: "response.output_text.done",
        data: { type: "response.output_text.done", sequence_number: 9, ...ids, text: "Hello" },
      },
      "content_part.done": {
        event: "response.content_part.done",
        data: {
          type: "response.content_part.done",
          sequence_number: 9,
          ...ids,
          part: { type: "output_text", text: "Hello", annotations: [] },
        },
      },
    },
  }],
};

const OPENAI_EMBEDDINGS: LlmExchange = {
  name: "openai.embeddings",
  path: "/v1/embeddings",
  request: {
    model: "e",
    input: ["first text", "second text"],
    encoding_format: "float",
    dimensions: 8,
    user: "u-3",
  },
  requestParts: [],
  reply: {
    object: "list",
    data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
    model: "e",
    usage: { prompt_tokens: 2, total_tokens: 2 },
  },
  replyParts: [],
  streams: [],
};

const anthropicMessage: Json = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude",
  content: [
    { type: "text", text: "Here you go." },
    { type: "text", text: "Anything else?" },
    { type: "tool_use", id: "toolu_2", name: "lookup", input: { q: "x", limit: 3 } },
  ],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 },
};

const sseFrame = (event: string, data: Json): StreamFrame => ({ event, data });
const anthropicStart = sseFrame("message_start", {
  type: "message_start",
  message: { ...anthropicMessage as Record<string, Json>, content: [], stop_reason: null },
});

const ANTHROPIC: LlmExchange = {
  name: "anthropic.messages",
  path: "/v1/messages",
  request: {
    model: "claude",
    max_tokens: 256,
    system: [{ type: "text", text: "Be kind" }, { type: "text", text: "and brief" }],
    messages: [
      {
        role: "user",
        content: [{ type: "text", text: "Part one" }, { type: "text", text: "part two" }],
      },
      {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "toolu_1",
          name: "lookup",
          input: { q: "x", limit: 3, filters: { owner: "team" } },
        }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: [{ type: "text", text: "found" }],
        }],
      },
    ],
    tools: [{
      name: "lookup",
      description: "Look up",
      input_schema: { type: "object", properties: { q: { type: "string" } } },
    }],
    metadata: { user_id: "u-1" },
    temperature: 0.1,
    stop_sequences: ["END"],
  },
  requestParts: ["system[]", "messages[].content[]", "messages[].content[].content[]"],
  reply: anthropicMessage,
  replyParts: ["content[]"],
  streams: [{
    label: "sse",
    path: "/v1/messages",
    request: {
      model: "claude",
      max_tokens: 8,
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    },
    framing: "sse",
    contentType: "text/event-stream",
    frames: [
      {
        event: "message_start",
        data: {
          type: "message_start",
          message: { ...anthropicMessage as Record<string, Json>, content: [], stop_reason: null },
        },
      },
      {
        event: "content_block_start",
        data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      },
      { event: "ping", data: { type: "ping" } },
      {
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: "Hello " },
        },
      },
      {
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: "there" },
        },
      },
      { event: "content_block_stop", data: { type: "content_block_stop", index: 0 } },
      {
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index: 1,
          content_block: { type: "tool_use", id: "toolu_1", name: "lookup", input: {} },
        },
      },
      {
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: '{"q":' },
        },
      },
      {
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index: 1,
          delta: { type: "input_json_delta", partial_json: '"x"}' },
        },
      },
      { event: "content_block_stop", data: { type: "content_block_stop", index: 1 } },
      {
        event: "message_delta",
        data: {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 2 },
        },
      },
      { event: "message_stop", data: { type: "message_stop" } },
    ],
    channels: ["delta.text", "delta.partial_json", "content_block.text"],
    crossSplits: {
      "content_block_start text then delta": (a, b) => [
        anthropicStart,
        sseFrame("content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: { type: "text", text: a },
        }),
        sseFrame("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: b },
        }),
        sseFrame("content_block_stop", { type: "content_block_stop", index: 0 }),
        sseFrame("message_stop", { type: "message_stop" }),
      ],
      "second text block": (a, b) => [
        anthropicStart,
        sseFrame("content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: a },
        }),
        sseFrame("content_block_delta", {
          type: "content_block_delta",
          index: 1,
          delta: { type: "text_delta", text: b },
        }),
        sseFrame("message_stop", { type: "message_stop" }),
      ],
    },
    parts: [],
    flushes: {
      "content_block_stop": {
        event: "content_block_stop",
        data: { type: "content_block_stop", index: 0 },
      },
      "message_delta": {
        event: "message_delta",
        data: {
          type: "message_delta",
          delta: { stop_reason: null, stop_sequence: null },
          usage: { output_tokens: 1 },
        },
      },
      "ping": { event: "ping", data: { type: "ping" } },
    },
  }],
};

const geminiChunk = (text: string, finish?: string): Json => ({
  candidates: [{
    content: { role: "model", parts: [{ text }] },
    index: 0,
    ...(finish === undefined ? {} : { finishReason: finish }),
  }],
  modelVersion: "gemini-pro",
});
const geminiStream = {
  request: { contents: [{ role: "user", parts: [{ text: "hi" }] }] },
  frames: [
    { data: geminiChunk("Hello ") },
    { data: geminiChunk("there") },
    {
      data: {
        candidates: [{
          content: { role: "model", parts: [{ text: "!" }] },
          finishReason: "STOP",
          index: 0,
        }],
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
        modelVersion: "gemini-pro",
      },
    },
  ],
  channels: ["candidates[].content.parts[].text"],
  parts: ["candidates[].content.parts[]"],
  flushes: {
    "finishReason": { data: geminiChunk("", "STOP") },
    "usage only": {
      data: { usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 } },
    },
  },
};

const GEMINI: LlmExchange = {
  name: "gemini.generate",
  path: "/v1beta/models/gemini-pro:generateContent",
  request: {
    contents: [
      {
        role: "user",
        parts: [
          { text: "Hello" },
          { text: "world" },
          { inlineData: { mimeType: "text/plain", data: "aGk=" } },
        ],
      },
      { role: "model", parts: [{ functionCall: { name: "lookup", args: { q: "x", n: 2 } } }] },
      {
        role: "user",
        parts: [{ functionResponse: { name: "lookup", response: { result: "ok", count: 1 } } }],
      },
    ],
    systemInstruction: { parts: [{ text: "Be brief" }] },
    generationConfig: { temperature: 0.4, maxOutputTokens: 50, topK: 3 },
    tools: [{
      functionDeclarations: [{
        name: "lookup",
        description: "Look up",
        parameters: { type: "OBJECT", properties: { q: { type: "STRING" } } },
      }],
    }],
    safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
  },
  requestParts: ["contents[].parts[]", "systemInstruction.parts[]"],
  reply: {
    candidates: [{
      content: {
        role: "model",
        parts: [
          { text: "Here you go." },
          { text: "Anything else?" },
          { functionCall: { name: "lookup", args: { q: "x", n: 2 } } },
        ],
      },
      finishReason: "STOP",
      index: 0,
    }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    modelVersion: "gemini-pro",
  },
  replyParts: ["candidates[].content.parts[]"],
  streams: [
    {
      label: "sse",
      path: "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse",
      framing: "sse",
      contentType: "text/event-stream",
      ...geminiStream,
    },
    {
      label: "json-array",
      path: "/v1beta/models/gemini-pro:streamGenerateContent",
      framing: "json-array",
      contentType: "application/json",
      ...geminiStream,
    },
  ],
};

const ollamaBase = { model: "llama3", created_at: "2026-01-01T00:00:00Z" };
const ollamaTool = {
  type: "function",
  function: {
    name: "lookup",
    description: "Look up",
    parameters: { type: "object", properties: { q: { type: "string" } } },
  },
};

const OLLAMA_CHAT: LlmExchange = {
  name: "ollama.chat",
  path: "/api/chat",
  request: {
    model: "llama3",
    messages: [
      { role: "system", content: "Be brief" },
      { role: "user", content: "Hi there", images: ["aGk="] },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "lookup", arguments: { q: "x", n: 2 } } }],
      },
      { role: "tool", content: "sunny" },
    ],
    tools: [ollamaTool],
    options: { temperature: 0.2, num_ctx: 2048, seed: 1 },
    format: "json",
    keep_alive: "5m",
    stream: false,
  },
  requestParts: [],
  reply: {
    ...ollamaBase,
    message: {
      role: "assistant",
      content: "Here you go.",
      thinking: "short",
      tool_calls: [{ function: { name: "lookup", arguments: { q: "x", n: 2 } } }],
    },
    done: true,
    done_reason: "stop",
    total_duration: 1,
    eval_count: 1,
  },
  replyParts: [],
  streams: [{
    label: "ndjson",
    path: "/api/chat",
    request: { model: "llama3", messages: [{ role: "user", content: "hi" }] },
    framing: "ndjson",
    contentType: "application/x-ndjson",
    frames: [
      { data: { ...ollamaBase, message: { role: "assistant", thinking: "hmm" }, done: false } },
      { data: { ...ollamaBase, message: { role: "assistant", content: "Hello " }, done: false } },
      { data: { ...ollamaBase, message: { role: "assistant", content: "there" }, done: false } },
      {
        data: {
          ...ollamaBase,
          message: {
            role: "assistant",
            content: "",
            tool_calls: [{ function: { name: "lookup", arguments: { q: "x" } } }],
          },
          done: false,
        },
      },
      {
        data: {
          ...ollamaBase,
          message: { role: "assistant", content: "" },
          done: true,
          done_reason: "stop",
          eval_count: 1,
        },
      },
    ],
    channels: ["message.content", "message.thinking"],
    parts: [],
    flushes: {
      "empty line": {
        data: { ...ollamaBase, message: { role: "assistant", content: "" }, done: false },
      },
    },
  }],
};

const OLLAMA_GENERATE: LlmExchange = {
  name: "ollama.generate",
  path: "/api/generate",
  request: {
    model: "llama3",
    prompt: "Hi there",
    system: "Be brief",
    template: "{{ .Prompt }}",
    context: [1, 2, 3],
    images: ["aGk="],
    options: { temperature: 0.1, top_k: 5 },
    stream: false,
  },
  requestParts: [],
  reply: {
    ...ollamaBase,
    response: "Here you go.",
    thinking: "short",
    done: true,
    done_reason: "stop",
    context: [1, 2],
    eval_count: 1,
  },
  replyParts: [],
  streams: [{
    label: "ndjson",
    path: "/api/generate",
    request: { model: "llama3", prompt: "hi" },
    framing: "ndjson",
    contentType: "application/x-ndjson",
    frames: [
      { data: { ...ollamaBase, response: "Hello ", done: false } },
      { data: { ...ollamaBase, response: "there", done: false } },
      { data: { ...ollamaBase, response: "", done: true, done_reason: "stop", eval_count: 1 } },
    ],
    channels: ["response", "thinking"],
    parts: [],
    flushes: { "empty line": { data: { ...ollamaBase, response: "", done: false } } },
  }],
};

const ANTHROPIC_COUNT: LlmExchange = {
  name: "anthropic.count_tokens",
  path: "/v1/messages/count_tokens",
  request: {
    model: "claude",
    system: "Be kind",
    messages: [{
      role: "user",
      content: [{ type: "text", text: "How" }, { type: "text", text: "long?" }],
    }],
    tools: [{ name: "lookup", input_schema: { type: "object", properties: {} } }],
  },
  requestParts: ["messages[].content[]"],
  reply: { input_tokens: 12 },
  replyParts: [],
  streams: [],
};

const GEMINI_EMBED: LlmExchange = {
  name: "gemini.embed",
  path: "/v1beta/models/text-embedding-004:embedContent",
  request: {
    model: "models/text-embedding-004",
    content: { parts: [{ text: "first" }, { text: "second" }] },
    taskType: "RETRIEVAL_DOCUMENT",
    title: "Notes",
    outputDimensionality: 8,
  },
  requestParts: ["content.parts[]"],
  reply: { embedding: { values: [0.1, 0.2] } },
  replyParts: [],
  streams: [],
};

const GEMINI_COUNT: LlmExchange = {
  name: "gemini.count_tokens",
  path: "/v1beta/models/gemini-pro:countTokens",
  request: { contents: [{ role: "user", parts: [{ text: "How" }, { text: "long?" }] }] },
  requestParts: ["contents[].parts[]"],
  reply: { totalTokens: 7 },
  replyParts: [],
  streams: [],
};

const OLLAMA_EMBED: LlmExchange = {
  name: "ollama.embed",
  path: "/api/embed",
  request: {
    model: "nomic-embed-text",
    input: ["first text", "second text"],
    truncate: true,
    options: { num_ctx: 512 },
    keep_alive: "5m",
  },
  requestParts: [],
  reply: { model: "nomic-embed-text", embeddings: [[0.1, 0.2]], total_duration: 1 },
  replyParts: [],
  streams: [],
};

/** Every LLM route exchange the matrix covers. */
export const LLM_EXCHANGES: readonly LlmExchange[] = [
  OPENAI_CHAT,
  OPENAI_COMPLETIONS,
  OPENAI_RESPONSES,
  OPENAI_EMBEDDINGS,
  ANTHROPIC,
  GEMINI,
  OLLAMA_CHAT,
  OLLAMA_GENERATE,
  ANTHROPIC_COUNT,
  GEMINI_EMBED,
  GEMINI_COUNT,
  OLLAMA_EMBED,
];

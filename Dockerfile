# haechi gateway image: the Deno sources on a distroless Deno base, run as a non-root user.
#
#   docker build -t haechi .
#   docker run --rm -v haechi-data:/data haechi init          # once: config + key file
#   docker run -d -p 127.0.0.1:11016:11016 -v haechi-data:/data \
#     -e HAECHI_UPSTREAM=http://ollama:11434 haechi
#
# It listens on 0.0.0.0 (a container port is unreachable otherwise) and therefore bakes in
# proxy.trustForwardedProto: requests that did not come through a TLS-terminating reverse
# proxy (X-Forwarded-Proto: https) are refused. Publish the port to loopback or to that
# proxy only; packaging/docker/compose.yaml shows the whole stack.

ARG DENO_VERSION=2.9.6

FROM denoland/deno:${DENO_VERSION} AS build
WORKDIR /app
ENV DENO_DIR=/deno-dir
COPY deno.json deno.lock main.ts mod.ts LICENSE NOTICE ./
COPY src ./src
COPY examples/plugins ./examples/plugins
# Everything the CLI imports is cached at build time; the running container fetches nothing.
RUN deno cache main.ts src/plugin/_runner.ts src/dashboard/chain_worker.ts \
  && mkdir -p /data && chown -R 65532:65532 /data /deno-dir

FROM denoland/deno:distroless-${DENO_VERSION}
LABEL org.opencontainers.image.title="haechi" \
      org.opencontainers.image.description="Privacy gateway for LLM and MCP traffic" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    NO_COLOR=1 \
    HAECHI_PROXY_HOST=0.0.0.0 \
    HAECHI_PROXY_PORT=11016 \
    HAECHI_PROXY_TRUST_FORWARDED_PROTO=true
COPY --from=build --chown=65532:65532 /deno-dir /deno-dir
COPY --from=build /app /app
COPY --from=build --chown=65532:65532 /data /data
# Config, key file, token vault and audit log live in the volume; the code stays read-only.
VOLUME ["/data"]
WORKDIR /data
USER 65532:65532
EXPOSE 11016
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["deno", "eval", "const p = Deno.env.get('HAECHI_PROXY_PORT') ?? '11016'; const r = await fetch(`http://127.0.0.1:${p}/__haechi/live`); Deno.exit(r.ok ? 0 : 1);"]
# The same permissions `deno task compile` grants the standalone binary.
ENTRYPOINT ["deno", "run", "--cached-only", "--allow-read", "--allow-write", "--allow-net", \
  "--allow-env", "--allow-run", "--allow-ffi", "--allow-sys", "--unstable-no-legacy-abort", \
  "/app/main.ts"]
CMD ["proxy", "--allow-remote-bind"]

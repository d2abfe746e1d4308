"""A small bounded HTTP/1.1 load generator (keep-alive, asyncio), for machines without wrk and
for the write benchmarks, where each request depends on an earlier reply (create → sign).

Every run is bounded by a request count and by time; latencies are kept per request."""
import asyncio
import json
import time


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method, path, body=None, headers=None):
        if self.writer is None:
            await self.open()
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(data)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ")[1])
        reply_headers = {}
        for line in header_lines:
            if ":" in line:
                k, v = line.split(":", 1)
                reply_headers[k.strip().lower()] = v.strip()
        if "content-length" in reply_headers:
            payload = await self.reader.readexactly(int(reply_headers["content-length"]))
        elif reply_headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            payload = b"".join(chunks)
        else:
            payload = b""
        return status, reply_headers, payload

    def close(self):
        if self.writer:
            self.writer.close()


def summary(latencies, seconds, errors=0, count=None):
    latencies = sorted(latencies)
    n = len(latencies)

    def pct(p):
        return latencies[min(n - 1, int(p * n))] * 1000 if n else float("nan")

    return {"requests": n if count is None else count, "seconds": seconds, "rate": (n / seconds) if seconds else 0.0,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": errors}


async def _run(host, port, connections, make_steps, max_count, max_seconds):
    """make_steps(i) -> list of (method, path, body, headers) coroutine factories: each worker takes
    the next job number and runs `job(conn, i)`; the job returns the number of successful requests."""
    latencies, errors = [], [0]
    counter = iter(range(max_count))
    deadline = time.perf_counter() + max_seconds

    async def worker():
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                try:
                    i = next(counter)
                except StopIteration:
                    return
                for method, path, body, headers, check in make_steps(i):
                    started = time.perf_counter()
                    status, reply_headers, payload = await conn.request(method, path, body, headers)
                    latencies.append(time.perf_counter() - started)
                    if not check(status, reply_headers, payload):
                        errors[0] += 1
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return summary(latencies, time.perf_counter() - started, errors[0])


def run(host, port, connections, make_steps, max_count, max_seconds):
    return asyncio.run(_run(host, port, connections, make_steps, max_count, max_seconds))


async def _each(host, port, connections, jobs):
    """Runs async jobs(conn, item) over a list with `connections` workers; returns (results, latencies, seconds)."""
    queue = list(enumerate(jobs[1]))
    results = [None] * len(queue)
    latencies = []

    async def worker():
        conn = Connection(host, port)
        try:
            while queue:
                index, item = queue.pop()
                started = time.perf_counter()
                results[index] = await jobs[0](conn, item)
                latencies.append(time.perf_counter() - started)
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return results, latencies, time.perf_counter() - started


def each(host, port, connections, job, items):
    return asyncio.run(_each(host, port, connections, (job, items)))

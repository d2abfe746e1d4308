-- wrk script for the write benchmark (issue 16): signs the charts whose ids are in
-- $BENCH_IDS.<thread> (written by create.lua), each once; a thread that has signed all of its
-- charts asks for /health/live instead, which the benchmark does not count as a signature.
local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
    thread:set("number", #threads)
end

function init(args)
    queue = {}
    for line in io.lines(os.getenv("BENCH_IDS") .. "." .. number) do
        if #line > 0 then queue[#queue + 1] = line end
    end
    local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
    body = f:read("*a")
    f:close()
    headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"), ["Content-Type"] = "application/json", ["If-Match"] = '"1"'}
    next_index = 0
end

succeeded, failed = 0, 0

function response(status, headers, body)
    if status == 200 and body:find('"signedAt"', 1, true) then
        succeeded = succeeded + 1
    elseif status ~= 200 then
        failed = failed + 1
    end
end

function request()
    next_index = next_index + 1
    if next_index > #queue then
        return wrk.format("GET", "/health/live")
    end
    return wrk.format("POST", "/api/v1/sessions/" .. queue[next_index] .. "/sign", headers, body)
end

-- One line the benchmark reads: how many signed and how many refused, over every thread.
function done(summary, latency, requests)
    local ok, refused = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("succeeded")
        refused = refused + thread:get("failed")
    end
    io.write(string.format("bench: succeeded %d failed %d\n", ok, refused))
end
